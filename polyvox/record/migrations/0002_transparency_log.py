"""The hash chain becomes a Merkle tree log (issue 11; docs/record.md, "Migrating a chained record").

Existing entries keep their kind, time and payload and lose seq/prev_hash/hash; they become
pending (index NULL) and the integrator takes them into the tree in arrival order (their id, which
followed seq: entries were numbered under a lock on the process row), then signs a checkpoint.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('processes', '0002_lifecycle_roles_templates_invitations'),
        ('record', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='RecordCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tree_size', models.PositiveBigIntegerField()),
                ('root_hash', models.BinaryField(max_length=32)),
                ('note', models.TextField()),
                ('signed_at', models.DateTimeField()),
            ],
            options={
                'ordering': ['process', 'tree_size'],
            },
        ),
        migrations.CreateModel(
            name='RecordLog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tree_size', models.PositiveBigIntegerField(default=0)),
                ('root_hash', models.BinaryField(max_length=32)),
            ],
        ),
        migrations.CreateModel(
            name='RecordNode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.PositiveSmallIntegerField()),
                ('position', models.PositiveBigIntegerField()),
                ('hash', models.BinaryField(max_length=32)),
            ],
        ),
        migrations.AlterModelOptions(
            name='recordentry',
            options={'ordering': ['process', 'id'], 'verbose_name_plural': 'record entries'},
        ),
        migrations.RemoveConstraint(
            model_name='recordentry',
            name='unique_record_seq',
        ),
        migrations.RemoveField(
            model_name='recordentry',
            name='hash',
        ),
        migrations.RemoveField(
            model_name='recordentry',
            name='prev_hash',
        ),
        migrations.RemoveField(
            model_name='recordentry',
            name='seq',
        ),
        migrations.AddField(
            model_name='recordentry',
            name='index',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='recordentry',
            index=models.Index(condition=models.Q(('index__isnull', True)), fields=['process', 'id'], name='record_pending'),
        ),
        migrations.AddConstraint(
            model_name='recordentry',
            constraint=models.UniqueConstraint(fields=('process', 'index'), name='unique_record_index'),
        ),
        migrations.AddField(
            model_name='recordcheckpoint',
            name='process',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='processes.process'),
        ),
        migrations.AddField(
            model_name='recordlog',
            name='process',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='processes.process'),
        ),
        migrations.AddField(
            model_name='recordnode',
            name='process',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='processes.process'),
        ),
        migrations.AddConstraint(
            model_name='recordcheckpoint',
            constraint=models.UniqueConstraint(fields=('process', 'tree_size'), name='unique_checkpoint_size'),
        ),
        migrations.AddConstraint(
            model_name='recordnode',
            constraint=models.UniqueConstraint(fields=('process', 'level', 'position'), name='unique_record_node'),
        ),
    ]
