"""Who holds which role: the secretariat's members page, and accepting an e-mailed invitation."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyvox.core.forms import apply_validation_error
from polyvox.core.permissions import require
from polyvox.participants.http import signed_in_user
from polyvox.participants.models import User
from polyvox.processes.forms import InvitationForm, MemberForm, RemoveRoleForm
from polyvox.processes.models import Membership, Role
from polyvox.processes.permissions import is_secretariat
from polyvox.processes.roles import CAPABILITIES, ROLE_DESCRIPTIONS, Capability
from polyvox.processes.selectors import (
    access_invitation,
    access_process,
    pending_invitations,
    process_members,
)
from polyvox.processes.services.membership import (
    accept_invitation,
    add_member,
    invite_by_email,
    remove_member,
)


def roles(request: HttpRequest) -> HttpResponse:
    """What each role may do: the capability table itself, for anyone to read."""
    table = [
        (capability.label, [role in CAPABILITIES[capability] for role in Role])
        for capability in Capability
    ]
    descriptions = [(role.label, ROLE_DESCRIPTIONS[role]) for role in Role]
    context = {"roles": [role.label for role in Role], "table": table, "descriptions": descriptions}
    return render(request, "processes/roles.html", context)


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """The members with their roles, pending invitations, and the forms to add and invite."""
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    rows = process_members(viewer=actor, process=process)  # 403 before any form is read
    member_form = MemberForm(request.POST if "add" in request.POST else None, prefix="add")
    invite_form = InvitationForm(request.POST if "invite" in request.POST else None, prefix="inv")
    if member_form.is_bound and member_form.is_valid():
        user = User.objects.filter(username=member_form.cleaned_data["username"]).first()
        if user is None:
            member_form.add_error("username", _("No participant with this username."))
        elif _applied(member_form, add_member, actor=actor, process=process, user=user):
            messages.success(request, _("Role given."))
            return redirect("processes:members", slug=slug)
    invited = invite_form.is_bound and invite_form.is_valid()
    if invited and _applied(invite_form, invite_by_email, actor=actor, process=process):
        messages.success(request, _("Invitation sent."))
        return redirect("processes:members", slug=slug)
    context = {
        "process": process,
        "members": rows,
        "invitations": pending_invitations(viewer=actor, process=process),
        "member_form": member_form,
        "invite_form": invite_form,
    }
    return render(request, "processes/members.html", context)


@require_POST
@login_required
def member_remove(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    require(is_secretariat(actor, process), _("Only the secretariat manages this process."))
    form = RemoveRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role to remove."))
        return redirect("processes:members", slug=slug)
    membership = get_object_or_404(Membership, pk=form.cleaned_data["membership"], process=process)
    try:
        remove_member(actor=actor, membership=membership)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Role removed."))
    return redirect("processes:members", slug=slug)


@login_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: shows the invitation; accepting it (POST) gives the role.

    `login_required` sends a visitor to log in first and back here afterwards (`?next=`)."""
    actor = signed_in_user(request)
    found = access_invitation(token)
    error = ""
    if request.method == "POST":
        try:
            accept_invitation(user=actor, token=token)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Invitation accepted."))
            return redirect(found.process)
    context = {"invitation": found, "process": found.process, "error": error}
    return render(request, "processes/invitation.html", context, status=400 if error else 200)


def _applied(form: forms.Form, service: Callable[..., object], **kwargs: object) -> bool:
    """Call the service with the form's role (and address); show a ValidationError on the form."""
    fields = {key: form.cleaned_data[key] for key in ("email", "role") if key in form.cleaned_data}
    try:
        service(**kwargs, **fields)
    except ValidationError as error:
        apply_validation_error(form, error)
        return False
    return True
