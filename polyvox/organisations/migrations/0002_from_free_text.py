"""Turn the free-text organisations of profiles and inputs into unverified Organisation records.

Before organisations were records, a profile named one in free text and ticked "I speak on behalf
of this organisation"; an input made on its behalf kept the name in its byline. Each distinct name
(compared case-insensitively, spaces collapsed) becomes one unverified organisation. Whoever said
they spoke for it becomes an approved representative, the earliest of them its administrator:
the same standing as someone who registers an organisation today, and staff verification is the
check. Inputs made on behalf of an organisation point to it; their byline text is not touched.
"""

from django.db import migrations
from django.utils import timezone
from django.utils.text import slugify


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def forwards(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    Representative = apps.get_model("organisations", "Representative")
    OrganisationEvent = apps.get_model("organisations", "OrganisationEvent")
    Profile = apps.get_model("participants", "Profile")
    Contribution = apps.get_model("contributions", "Contribution")

    taken = set(Organisation.objects.values_list("slug", flat=True))
    by_key = {_key(o.name): o for o in Organisation.objects.all()}
    now = timezone.now()

    def organisation_for(name, stakeholder_group, country, user_id):
        key = _key(name)
        if key not in by_key:
            organisation = Organisation.objects.create(
                name=" ".join(name.split())[:200],
                slug=_unique_slug(name, taken),
                stakeholder_group=stakeholder_group or "individual",
                country=country or "",
                registered_by_id=user_id,
            )
            OrganisationEvent.objects.create(
                organisation=organisation, kind="migrated", actor_id=None, detail={}
            )
            by_key[key] = organisation
        return by_key[key]

    profiles = Profile.objects.exclude(organisation="").order_by("id")
    for profile in profiles.iterator():
        organisation = organisation_for(
            profile.organisation,
            profile.stakeholder_group,
            profile.country,
            profile.user_id if profile.speaks_for_organisation else None,
        )
        if not profile.speaks_for_organisation:
            continue
        has_admin = Representative.objects.filter(
            organisation=organisation, role="administrator", status="approved"
        ).exists()
        Representative.objects.create(
            organisation=organisation,
            user_id=profile.user_id,
            role="representative" if has_admin else "administrator",
            status="approved",
            decided_at=now,
            reason="Spoke for it in their profile before organisations were records.",
        )

    on_behalf = Contribution.objects.filter(on_behalf_of_organisation=True)
    for contribution in on_behalf.order_by("id").iterator():
        if not contribution.organisation.strip():
            # Nothing was ever shown for it: an input cannot speak for an unnamed organisation.
            Contribution.objects.filter(pk=contribution.pk).update(on_behalf_of_organisation=False)
            continue
        organisation = organisation_for(
            contribution.organisation, contribution.stakeholder_group, contribution.country, None
        )
        Contribution.objects.filter(pk=contribution.pk).update(on_behalf_of=organisation)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("participants", "0001_initial"),
        ("contributions", "0006_contribution_on_behalf_of"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
