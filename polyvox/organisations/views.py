"""Pages of organisations: thin views over its services and selectors.

A form with errors answers 200 with the errors shown; a refused action answers 403 (the
services check permission); a merged duplicate's page redirects to the organisation it became.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyvox.core.forms import apply_validation_error
from polyvox.organisations.forms import (
    FilterForm,
    MergeForm,
    OrganisationForm,
    ReasonForm,
    RequestForm,
)
from polyvox.organisations.models import Organisation, Representative
from polyvox.organisations.pages import ORGANISATION_PAGE
from polyvox.organisations.permissions import (
    can_manage_organisation,
    can_request_to_represent,
    can_verify_organisations,
)
from polyvox.organisations.selectors import (
    my_representations,
    open_standing,
    organisation_by_slug,
    organisation_history,
    organisation_list,
    organisation_place,
    pending_requests,
    public_representatives,
    surviving_organisation,
)
from polyvox.organisations.services.registering import edit_organisation, register_organisation
from polyvox.organisations.services.representatives import (
    decide_representative,
    make_administrator,
    request_to_represent,
    revoke_representative,
)
from polyvox.organisations.services.verification import merge_organisations, verify_organisation
from polyvox.participants.http import signed_in_user

PAGE_SIZE = 50
REPRESENTATIVES_SHOWN = 100
HISTORY_PAGE_SIZE = 25


def list_page(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    organisations = organisation_list(
        query=data.get("q") or "",
        stakeholder_group=data.get("stakeholder_group") or "",
        country=data.get("country") or "",
        verified=form.verified_value() if data else None,
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    actor = signed_in_user(request)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = register_organisation(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered and you are its administrator.")
                % {"name": organisation.name},
            )
            return redirect(organisation)
    return render(request, "organisations/register.html", {"form": form})


def _detail(request: HttpRequest, organisation: Organisation, **forms: Any) -> HttpResponse:
    representatives = public_representatives(organisation)
    history = Paginator(organisation_history(organisation), HISTORY_PAGE_SIZE)
    context = {
        "organisation": organisation,
        "place": organisation_place(organisation),
        "representatives": representatives[:REPRESENTATIVES_SHOWN],
        "representative_count": representatives.count(),
        "standing": open_standing(request.user, organisation),
        "can_request": can_request_to_represent(request.user, organisation),
        "can_manage": can_manage_organisation(request.user, organisation),
        "is_staff": can_verify_organisations(request.user),
        "sections": ORGANISATION_PAGE.build(request, organisation=organisation),
        "history": history.get_page(request.GET.get("page")),
        "request_form": RequestForm(),
        "merge_form": MergeForm(),
        **forms,
    }
    return render(request, "organisations/detail.html", context)


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_by_slug(slug)
    if organisation.merged_into_id is not None:
        survivor = surviving_organisation(organisation)
        messages.info(
            request,
            _("%(duplicate)s was merged into %(name)s.")
            % {"duplicate": organisation.name, "name": survivor.name},
        )
        return redirect(survivor)
    return _detail(request, organisation)


@login_required
@require_POST
def ask_to_represent(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    organisation = organisation_by_slug(slug)
    form = RequestForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Check the message."))
        request_to_represent(actor=actor, organisation=organisation, **form.cleaned_data)
    except ValidationError as error:
        apply_validation_error(form, error)
        return _detail(request, organisation, request_form=form)
    messages.success(request, _("Your request was sent to the organisation's administrators."))
    return redirect(organisation)


@login_required
@require_POST
def verify(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    organisation = organisation_by_slug(slug)
    verified = request.POST.get("verified") == "1"
    try:
        verify_organisation(actor=actor, organisation=organisation, verified=verified)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The organisation is now verified.") if verified else _("Verification withdrawn."),
        )
    return redirect(organisation)


@login_required
@require_POST
def merge(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    duplicate = organisation_by_slug(slug)
    require_staff(actor)
    form = MergeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Name the organisation that remains and give a reason."))
        into = Organisation.objects.filter(slug=form.cleaned_data["into"]).first()
        if into is None:
            raise ValidationError({"into": _("No organisation has this address name.")})
        survivor = merge_organisations(
            actor=actor, duplicate=duplicate, into=into, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        apply_validation_error(form, error)
        return _detail(request, duplicate, merge_form=form)
    messages.success(
        request,
        _("%(duplicate)s was merged into %(name)s.")
        % {"duplicate": duplicate.name, "name": survivor.name},
    )
    return redirect(survivor)


def require_staff(actor: Any) -> None:
    if not can_verify_organisations(actor):
        raise PermissionDenied(_("Only the secretariat may merge organisations."))


# Administrators ----------------------------------------------------------------------------------


def _manage(
    request: HttpRequest,
    organisation: Organisation,
    *,
    action_error: str = "",
    **forms: Any,
) -> HttpResponse:
    requests = Paginator(
        pending_requests(viewer=request.user, organisation=organisation), PAGE_SIZE
    )
    people = Paginator(public_representatives(organisation), PAGE_SIZE)
    context = {
        "organisation": organisation,
        "requests": requests.get_page(request.GET.get("requests")),
        "page": people.get_page(request.GET.get("page")),
        "form": OrganisationForm.for_organisation(organisation),
        "action_error": action_error,
        **forms,
    }
    return render(request, "organisations/manage.html", context)


def _managed(request: HttpRequest, slug: str) -> Organisation:
    organisation = organisation_by_slug(slug)
    if not can_manage_organisation(request.user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators may manage it."))
    return organisation


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    """Requests, representatives and details, for administrators (and staff); POST edits."""
    actor = signed_in_user(request)
    organisation = _managed(request, slug)
    if request.method != "POST":
        return _manage(request, organisation)
    form = OrganisationForm(request.POST)
    if form.is_valid():
        try:
            edit_organisation(actor=actor, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Details saved."))
            return redirect("organisations:manage", slug=organisation.slug)
    return _manage(request, organisation, form=form)


def _error_about(row: Representative, error: ValidationError) -> str:
    return f"{row.user}: {' '.join(error.messages)}"


def _row(organisation: Organisation, pk: int) -> Representative:
    return get_object_or_404(
        Representative.objects.select_related("user"), organisation=organisation, pk=pk
    )


@login_required
@require_POST
def decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = signed_in_user(request)
    organisation = organisation_by_slug(slug)
    row = _row(organisation, pk)
    approve = request.POST.get("decision") == "approve"
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("A reason has at most 2000 characters."))
        decide_representative(
            actor=actor, representative=row, approve=approve, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        return _manage(request, organisation, action_error=_error_about(row, error))
    if approve:
        done = _("%(person)s now represents the organisation.") % {"person": str(row.user)}
    else:
        done = _("Request refused.")
    messages.success(request, done)
    return redirect("organisations:manage", slug=organisation.slug)


@login_required
@require_POST
def revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Revoke a representative, or (one's own row) step down or withdraw a request."""
    actor = signed_in_user(request)
    organisation = organisation_by_slug(slug)
    row = _row(organisation, pk)
    is_self = row.user_id == actor.pk
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("A reason has at most 2000 characters."))
        revoke_representative(actor=actor, representative=row, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        if is_self and not can_manage_organisation(actor, organisation):
            messages.error(request, " ".join(error.messages))
            return redirect("organisations:mine")
        return _manage(request, organisation, action_error=_error_about(row, error))
    if is_self:
        messages.success(
            request,
            _("You no longer represent or ask to represent %(name)s.")
            % {"name": organisation.name},
        )
        return redirect("organisations:mine")
    messages.success(
        request, _("%(person)s no longer represents the organisation.") % {"person": str(row.user)}
    )
    return redirect("organisations:manage", slug=organisation.slug)


@login_required
@require_POST
def promote(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = signed_in_user(request)
    organisation = organisation_by_slug(slug)
    row = _row(organisation, pk)
    try:
        make_administrator(actor=actor, representative=row)
    except ValidationError as error:
        return _manage(request, organisation, action_error=_error_about(row, error))
    messages.success(request, _("%(person)s is now an administrator.") % {"person": str(row.user)})
    return redirect("organisations:manage", slug=organisation.slug)


# The signed-in person ----------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    actor = signed_in_user(request)
    page = Paginator(my_representations(viewer=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/mine.html", {"page": page})
