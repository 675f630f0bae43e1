"""The demo scenario: realistic, complete, deterministic, and valid (built through the services)."""

from django.core.management import call_command

from polyvox.campaigns.models import Campaign, CampaignMembership
from polyvox.contributions.models import Contribution, Disposition
from polyvox.demo.campaign import ADDITIONS
from polyvox.demo.scenario import SLUG, build_demo_process
from polyvox.organisations.permissions import can_speak_for
from polyvox.participants.models import Profile
from polyvox.record.entries import leaf_bytes, parse_jsonl
from polyvox.record.keys import load_signer
from polyvox.record.merkle import leaf_hash, root_from_leaf_hashes
from polyvox.record.notes import verify_checkpoint
from polyvox.record.selectors import export_record, latest_checkpoint
from polyvox.record.services import integrate_pending


def test_the_demo_covers_every_stakeholder_group_and_several_regions(db):
    build_demo_process(seed=0)

    groups = set(Profile.objects.values_list("stakeholder_group", flat=True))
    countries = set(Profile.objects.values_list("country", flat=True))

    assert groups == {
        "government",
        "private_sector",
        "civil_society",
        "technical_community",
        "academia",
        "intergovernmental",
        "individual",
    }
    assert len(countries) >= 8


def test_the_demo_has_every_kind_of_input_answers_and_a_second_version(db):
    process = build_demo_process(seed=0)

    kinds = set(Contribution.objects.filter(process=process).values_list("kind", flat=True))
    draft = process.drafts.get()
    v1_sections = draft.versions.get(number=1).sections.count()
    linked = Disposition.objects.filter(changed_sections__version__number=2).distinct().count()

    assert {"comment", "general", "omission", "reply"} <= kinds
    assert v1_sections >= 10
    assert draft.versions.count() == 2
    assert linked >= 4
    assert Disposition.objects.count() == 11  # every input but the replies (dialogue) is answered


def test_demo_inputs_on_behalf_of_organisations_come_from_their_approved_representatives(db):
    process = build_demo_process(seed=0)

    on_behalf = Contribution.objects.filter(process=process, on_behalf_of__isnull=False)
    speakers = {(c.author.username, c.organisation) for c in on_behalf.select_related("author")}

    assert speakers == {
        ("amina", "Réseau Communautaire Ouest"),
        ("lucia", "Secretaría de Innovación"),
        ("grace", "Ministry of Communications"),
    }
    assert all(can_speak_for(c.author, c.on_behalf_of) for c in on_behalf)
    assert not Contribution.objects.filter(process=process, on_behalf_of__isnull=True).filter(
        on_behalf_of_organisation=True
    )


def test_replies_cross_stakeholder_groups(db):
    process = build_demo_process(seed=0)

    pairs = {
        (reply.parent.stakeholder_group, reply.stakeholder_group)
        for reply in Contribution.objects.filter(
            process=process, parent__isnull=False
        ).select_related("parent")
    }

    assert any(a != b for a, b in pairs)


def test_the_demo_record_verifies(db):
    process = build_demo_process(seed=0)

    integrate_pending()
    checkpoint = latest_checkpoint(process=process)
    entries = parse_jsonl(export_record(process=process))

    signer = load_signer()
    assert checkpoint is not None
    assert signer is not None
    signed = verify_checkpoint(checkpoint.note, signer.verifier())
    assert [entry["index"] for entry in entries] == list(range(signed.size))
    assert root_from_leaf_hashes(leaf_hash(leaf_bytes(e)) for e in entries) == signed.root_hash
    assert signed.size > 30


def test_seeding_twice_is_harmless(db, capsys):
    call_command("seed_demo")
    call_command("seed_demo")

    assert "already exists" in capsys.readouterr().out
    assert Contribution.objects.filter(process__slug=SLUG).count() == 40  # 16 inputs, 24 letters


def test_the_demo_has_a_form_letter_campaign_with_personal_additions(db):
    process = build_demo_process(seed=0)

    campaign = Campaign.objects.get(process=process)
    members = CampaignMembership.objects.filter(campaign=campaign)
    additions = [m.unique_addition.casefold() for m in members if m.unique_addition]

    assert members.count() == 24
    assert additions
    assert all(any(a.split()[0] in x.casefold() for x in ADDITIONS) for a in additions), additions
