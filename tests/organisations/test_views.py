"""Organisation pages: they render, forms with errors answer 200, actions are checked on the
server, a merged duplicate's page leads to the survivor."""

import pytest
from django.urls import reverse

from polyvox.core.sections import PageSection
from polyvox.organisations.models import Organisation, Representative, RepresentativeStatus
from polyvox.organisations.pages import ORGANISATION_PAGE
from polyvox.organisations.services.representatives import request_to_represent
from polyvox.organisations.services.verification import merge_organisations, verify_organisation
from tests.factories import approve_representative, make_organisation

pytestmark = pytest.mark.django_db


def _url(name, organisation=None, **kwargs):
    if organisation is not None:
        kwargs["slug"] = organisation.slug
    return reverse(f"organisations:{name}", kwargs=kwargs)


def _text(response):
    return response.content.decode()


# Reading -----------------------------------------------------------------------------------------


def test_the_list_searches_and_filters_and_leaves_out_merged_duplicates(client, staff):
    make_organisation("Rhizomatica", country="MX")
    verified = make_organisation(
        "Internet Society", stakeholder_group="technical_community", country="US"
    )
    verify_organisation(actor=staff, organisation=verified, verified=True)
    duplicate = make_organisation("ISOC")
    merge_organisations(actor=staff, duplicate=duplicate, into=verified, reason="Same.")

    everything = _text(client.get(_url("list")))
    searched = _text(client.get(_url("list"), {"q": "rhizo"}))
    technical = _text(client.get(_url("list"), {"stakeholder_group": "technical_community"}))
    only_verified = _text(client.get(_url("list"), {"verified": "yes"}))
    mexico = _text(client.get(_url("list"), {"country": "MX"}))

    assert "Rhizomatica" in everything
    assert "Internet Society" in everything
    assert "ISOC<" not in everything
    assert ("Rhizomatica" in searched, "Internet Society" in searched) == (True, False)
    assert ("Rhizomatica" in technical, "Internet Society" in technical) == (False, True)
    assert ("Rhizomatica" in only_verified, "Internet Society" in only_verified) == (False, True)
    assert ("Rhizomatica" in mexico, "Internet Society" in mexico) == (True, False)


def test_the_list_is_paginated(client):
    for n in range(55):
        make_organisation(f"Organisation {n:02d}")

    first = _text(client.get(_url("list")))
    second = _text(client.get(_url("list"), {"page": 2}))

    assert "Organisation 00" in first
    assert "Organisation 54" not in first
    assert "Organisation 54" in second
    assert "Page 2 of 2" in second


def test_a_bad_filter_still_answers_the_list(client):
    response = client.get(_url("list"), {"stakeholder_group": "nonsense", "page": "x"})

    assert response.status_code == 200


def test_the_detail_page_shows_the_organisation(client, organisation, admin_user, staff):
    organisation.website = "https://rhizomatica.org"
    organisation.description = "Community networks."
    organisation.save()
    verify_organisation(actor=staff, organisation=organisation, verified=True)

    page = _text(client.get(_url("detail", organisation)))

    assert '<h1 dir="auto">Rhizomatica</h1>' in page
    assert "Verified by the secretariat on" in page
    assert "Civil society" in page
    assert "Mexico" in page
    assert "Latin America and the Caribbean" in page
    assert 'href="https://rhizomatica.org" rel="nofollow ugc"' in page
    assert "Community networks." in page
    assert "Rosa — Administrator" in page
    assert "Verified by the secretariat." in page  # the history
    assert "Log in to ask to represent" in page


def test_an_unverified_organisation_says_so(client, organisation):
    assert "Not verified" in _text(client.get(_url("detail", organisation)))


def test_an_unknown_organisation_is_404(client, db):
    assert client.get(_url("detail", slug="nobody")).status_code == 404


def test_a_merged_duplicates_page_redirects_to_the_survivor(client, organisation, staff):
    survivor = make_organisation("Rhizomatica A.C.")
    merge_organisations(actor=staff, duplicate=organisation, into=survivor, reason="Same.")

    response = client.get(_url("detail", organisation), follow=True)

    assert response.redirect_chain == [(survivor.get_absolute_url(), 302)]
    page = _text(response)
    assert "Rhizomatica was merged into Rhizomatica A.C." in page
    assert "The duplicate “Rhizomatica” was merged into it." in page


def test_the_page_shows_the_sections_other_apps_register(client, organisation, monkeypatch):
    seen = []

    def context(*, request, organisation):
        seen.append(organisation)
        panel_text = f"Inputs of {organisation.name}"
        return {"event": {"kind": "panel", "get_kind_display": panel_text}}

    section = PageSection("test-panel", 99, "organisations/_event.html", context)
    monkeypatch.setattr(ORGANISATION_PAGE, "_entries", {"test-panel": section})

    page = _text(client.get(_url("detail", organisation)))

    assert "Inputs of Rhizomatica" in page
    assert seen == [organisation]


# Asking to represent -----------------------------------------------------------------------------


def test_a_participant_asks_to_represent_and_sees_the_request_waiting(
    client, organisation, participant
):
    client.force_login(participant)
    assert "Ask to represent this organisation" in _text(client.get(_url("detail", organisation)))

    response = client.post(
        _url("represent", organisation),
        {"message": "I coordinate the Oaxaca network."},
        follow=True,
    )

    assert "Your request was sent" in _text(response)
    assert "waiting for its administrators" in _text(response)
    assert Representative.objects.get(user=participant).status == RepresentativeStatus.REQUESTED


def test_asking_again_answers_200_with_the_message(client, organisation, participant):
    request_to_represent(actor=participant, organisation=organisation)
    client.force_login(participant)

    response = client.post(_url("represent", organisation), {"message": ""})

    assert response.status_code == 200
    assert "is waiting for its administrators" in _text(response)
    assert Representative.objects.filter(user=participant).count() == 1


def test_visitors_are_sent_to_log_in(client, organisation):
    response = client.post(_url("represent", organisation), {"message": "Hi"})

    assert response.status_code == 302
    assert "/login" in response["Location"]
    assert Representative.objects.count() == 1


# Registering -------------------------------------------------------------------------------------


def test_registering_leads_to_the_new_page(client, participant):
    client.force_login(participant)

    response = client.post(
        _url("register"),
        {"name": "Derechos Digitales", "stakeholder_group": "civil_society", "country": "CL"},
        follow=True,
    )

    organisation = Organisation.objects.get()
    assert response.redirect_chain[-1][0] == organisation.get_absolute_url()
    assert "you are its administrator" in _text(response)


def test_a_registration_with_errors_answers_200_with_them(client, participant, organisation):
    client.force_login(participant)

    bad_url = client.post(
        _url("register"),
        {"name": "Other", "stakeholder_group": "civil_society", "website": "javascript:x"},
    )
    duplicate = client.post(
        _url("register"), {"name": "rhizomatica", "stakeholder_group": "civil_society"}
    )

    assert bad_url.status_code == 200
    assert "http:// or https://" in _text(bad_url)
    assert duplicate.status_code == 200
    assert "is already registered" in _text(duplicate)
    assert Organisation.objects.count() == 1


def test_registering_needs_an_account(client, db):
    assert client.get(_url("register")).status_code == 302


# Managing ----------------------------------------------------------------------------------------


def test_administrators_see_requests_with_their_messages_and_approve(
    client, organisation, admin_user, participant
):
    row = request_to_represent(actor=participant, organisation=organisation, message="Hi, Rosa")
    client.force_login(admin_user)

    manage = _text(client.get(_url("manage", organisation)))
    response = client.post(
        _url("decide", organisation, pk=row.pk), {"decision": "approve", "reason": ""}, follow=True
    )

    assert "Hi, Rosa" in manage
    assert "Amina now represents the organisation." in _text(response)
    row.refresh_from_db()
    assert row.status == RepresentativeStatus.APPROVED


def test_refusing_from_the_manage_page(client, organisation, admin_user, participant):
    row = request_to_represent(actor=participant, organisation=organisation)
    client.force_login(admin_user)

    client.post(_url("decide", organisation, pk=row.pk), {"decision": "refuse", "reason": "Who?"})

    row.refresh_from_db()
    assert (row.status, row.reason) == (RepresentativeStatus.REFUSED, "Who?")


def test_others_cannot_open_the_manage_page_or_decide(
    client, organisation, participant, other_participant
):
    row = request_to_represent(actor=participant, organisation=organisation)
    approve_representative(organisation, other_participant)
    client.force_login(other_participant)

    page = client.get(_url("manage", organisation))
    decided = client.post(_url("decide", organisation, pk=row.pk), {"decision": "approve"})
    edited = client.post(
        _url("manage", organisation), {"name": "Taken", "stakeholder_group": "government"}
    )

    assert (page.status_code, decided.status_code, edited.status_code) == (403, 403, 403)
    row.refresh_from_db()
    assert row.status == RepresentativeStatus.REQUESTED
    organisation.refresh_from_db()
    assert organisation.name == "Rhizomatica"


def test_a_row_of_another_organisation_is_404(client, organisation, admin_user, participant):
    other = make_organisation("Other")
    row = request_to_represent(actor=participant, organisation=other)
    client.force_login(admin_user)

    response = client.post(_url("decide", organisation, pk=row.pk), {"decision": "approve"})

    assert response.status_code == 404


def test_revoking_without_a_reason_answers_200_with_the_message(
    client, organisation, admin_user, participant
):
    row = approve_representative(organisation, participant)
    client.force_login(admin_user)

    missing = client.post(_url("revoke", organisation, pk=row.pk), {"reason": ""})
    done = client.post(_url("revoke", organisation, pk=row.pk), {"reason": "Left."}, follow=True)

    assert missing.status_code == 200
    assert "Give the reason" in _text(missing)
    assert "Amina no longer represents the organisation." in _text(done)


def test_the_last_administrator_stepping_down_answers_200_with_why(
    client, organisation, admin_user
):
    [row] = Representative.objects.filter(organisation=organisation)
    client.force_login(admin_user)

    response = client.post(_url("revoke", organisation, pk=row.pk), {"reason": ""})

    assert response.status_code == 200
    assert "without an administrator" in _text(response)


def test_promoting_from_the_manage_page(client, organisation, admin_user, participant):
    row = approve_representative(organisation, participant)
    client.force_login(admin_user)

    client.post(_url("promote", organisation, pk=row.pk))

    row.refresh_from_db()
    assert row.role == "administrator"


def test_editing_details_with_errors_answers_200(client, organisation, admin_user):
    client.force_login(admin_user)

    bad = client.post(
        _url("manage", organisation),
        {"name": "Rhizomatica", "stakeholder_group": "civil_society", "website": "ftp://x.org"},
    )
    good = client.post(
        _url("manage", organisation),
        {"name": "Rhizomatica A.C.", "stakeholder_group": "civil_society", "country": "MX"},
    )

    assert bad.status_code == 200
    assert "http:// or https://" in _text(bad)
    assert good.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Rhizomatica A.C."


# Staff -------------------------------------------------------------------------------------------


def test_staff_verify_from_the_page(client, organisation, staff):
    client.force_login(staff)
    assert "Verify this organisation" in _text(client.get(_url("detail", organisation)))

    client.post(_url("verify", organisation), {"verified": "1"})
    organisation.refresh_from_db()
    assert organisation.is_verified
    client.post(_url("verify", organisation), {"verified": "0"})
    organisation.refresh_from_db()
    assert not organisation.is_verified


def test_others_cannot_verify_or_merge(client, organisation, admin_user):
    other = make_organisation("Other")
    client.force_login(admin_user)

    page = _text(client.get(_url("detail", organisation)))
    verified = client.post(_url("verify", organisation), {"verified": "1"})
    merged = client.post(_url("merge", organisation), {"into": other.slug, "reason": "Mine."})

    assert "Verify this organisation" not in page
    assert (verified.status_code, merged.status_code) == (403, 403)
    organisation.refresh_from_db()
    assert (organisation.is_verified, organisation.merged_into) == (False, None)


def test_staff_merge_from_the_page(client, organisation, staff):
    survivor = make_organisation("Rhizomatica A.C.")
    client.force_login(staff)

    response = client.post(
        _url("merge", organisation), {"into": survivor.slug, "reason": "Same body."}
    )

    assert response.status_code == 302
    assert response["Location"] == survivor.get_absolute_url()
    organisation.refresh_from_db()
    assert organisation.merged_into == survivor


@pytest.mark.parametrize(
    ("into", "reason", "message"),
    [
        ("nobody", "Same.", "No organisation has this address name."),
        ("rhizomatica", "Same.", "cannot be merged into itself"),
        ("other", "", "This field is required."),
    ],
)
def test_a_merge_with_errors_answers_200_with_them(
    client, organisation, staff, into, reason, message
):
    make_organisation("Other")
    client.force_login(staff)

    response = client.post(_url("merge", organisation), {"into": into, "reason": reason})

    assert response.status_code == 200
    assert message in _text(response)
    organisation.refresh_from_db()
    assert organisation.merged_into is None


# My organisations --------------------------------------------------------------------------------


def test_my_organisations_lists_my_standings_and_lets_me_withdraw(
    client, organisation, participant
):
    other = make_organisation("Access Now")
    row = request_to_represent(actor=participant, organisation=other)
    approve_representative(organisation, participant)
    client.force_login(participant)

    page = _text(client.get(_url("mine")))
    client.post(_url("revoke", other, pk=row.pk))

    assert "Rhizomatica" in page
    assert "Access Now" in page
    assert "Withdraw request" in page
    assert "Step down" in page
    row.refresh_from_db()
    assert row.status == RepresentativeStatus.REVOKED


def test_the_site_navigation_links_organisations(client, db):
    page = _text(client.get(reverse("processes:list")))

    assert f'href="{_url("list")}"' in page


def test_deciding_an_already_decided_request_answers_200_saying_so(
    client, organisation, admin_user, participant
):
    row = request_to_represent(actor=participant, organisation=organisation)
    client.force_login(admin_user)
    client.post(_url("decide", organisation, pk=row.pk), {"decision": "approve"})

    again = client.post(_url("decide", organisation, pk=row.pk), {"decision": "refuse"})

    assert again.status_code == 200
    assert "Amina: This request was already decided." in _text(again)
    row.refresh_from_db()
    assert row.status == RepresentativeStatus.APPROVED
