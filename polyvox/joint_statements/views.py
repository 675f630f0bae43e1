"""Pages of joint_statements: thin views over its services and selectors.

A service's ValidationError is shown on the page it came from (200, the form with its errors, so
hx-boost swaps it in); its PermissionDenied is the 403 page with its message. A statement, a
signature or a caucus that is not this process's is a 404.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyvox.caucuses.models import Caucus
from polyvox.caucuses.permissions import is_facilitator
from polyvox.core.forms import apply_validation_error
from polyvox.core.permissions import require
from polyvox.joint_statements import selectors
from polyvox.joint_statements.forms import (
    JointStatementForm,
    LinkedStatementForm,
    OpenForSignOnForm,
    PublishFromCaucusForm,
    SignForm,
    WithdrawForm,
    statement_initial,
)
from polyvox.joint_statements.models import JointStatement, Relation, Signature, StatementStatus
from polyvox.joint_statements.permissions import (
    can_edit_draft,
    can_open_for_sign_on,
    can_withdraw,
    can_write_statements,
    sign_on_is_open,
    signing_choices,
)
from polyvox.joint_statements.services import drafting, signing
from polyvox.organisations.permissions import represented_by
from polyvox.participants.http import signed_in_user
from polyvox.processes.models import Process
from polyvox.processes.selectors import access_process

STATEMENTS_PER_PAGE = 20
SIGNATORIES_ON_DETAIL = 50
SIGNATORIES_PER_PAGE = 100


def _statement(
    request: HttpRequest, slug: str, statement_id: int
) -> tuple[Process, JointStatement]:
    process = access_process(viewer=request.user, slug=slug)
    return process, selectors.statement_in(process, statement_id)


def _withdraw_form(signature: Signature, data: Any = None) -> WithdrawForm:
    """One form per signature on the page, each with its own ids."""
    return WithdrawForm(data, auto_id=f"id_withdraw_{signature.pk}_%s")


def _applied(form: Any, call: Any, **kwargs: Any) -> Any:
    """Call a service; its ValidationError lands on `form` and gives None."""
    try:
        return call(**kwargs)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def statement_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    paginator = Paginator(selectors.statements_of(process), STATEMENTS_PER_PAGE)
    context = {
        "process": process,
        "page": paginator.get_page(request.GET.get("page")),
        "can_write": can_write_statements(request.user, process),
        "now": timezone.now(),
    }
    return render(request, "joint_statements/list.html", context)


@login_required
def create(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    require(
        can_write_statements(actor, process),
        _("Only those taking part in this process may draft joint statements, while it is open."),
    )
    form = JointStatementForm(request.POST or None, represented=represented_by(actor))
    if request.method == "POST" and form.is_valid():
        statement = _applied(
            form,
            drafting.create_joint_statement,
            actor=actor,
            process=process,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            organisation=form.cleaned_data["organisation"],
        )
        if statement is not None:
            messages.success(request, _("Draft saved. Everyone can read it while you work on it."))
            return redirect(statement)
    return render(
        request,
        "joint_statements/form.html",
        {"process": process, "form": form, "heading": _("Draft a joint statement")},
    )


@login_required
def edit(request: HttpRequest, slug: str, statement_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    process, statement = _statement(request, slug, statement_id)
    require(
        can_edit_draft(actor, statement),
        _("Only its author may edit a draft, until it is opened for sign-on."),
    )
    form = JointStatementForm(
        request.POST or None, initial=statement_initial(statement), editing=True
    )
    if request.method == "POST" and form.is_valid():
        edited = _applied(
            form,
            drafting.edit_draft,
            actor=actor,
            statement=statement,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        )
        if edited is not None:
            messages.success(request, _("Draft saved; the earlier text is kept as a revision."))
            return redirect(edited)
    context = {
        "process": process,
        "statement": statement,
        "form": form,
        "heading": _("Edit the draft"),
    }
    return render(request, "joint_statements/form.html", context)


@login_required
def open_for_sign_on(request: HttpRequest, slug: str, statement_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    process, statement = _statement(request, slug, statement_id)
    require(
        can_open_for_sign_on(actor, statement),
        _("Only its author or the secretariat may open a draft for sign-on."),
    )
    form = OpenForSignOnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        opened = _applied(
            form,
            drafting.open_for_sign_on,
            actor=actor,
            statement=statement,
            deadline=form.cleaned_data["deadline"],
        )
        if opened is not None:
            messages.success(request, _("The statement is open for signatures."))
            return redirect(opened)
    context = {"process": process, "statement": statement, "form": form}
    return render(request, "joint_statements/open.html", context)


def _detail(
    request: HttpRequest,
    process: Process,
    statement: JointStatement,
    *,
    errors: list[str] | None = None,
) -> HttpResponse:
    """The statement page; `errors`: why a signature or a withdrawal was refused (shown at 200)."""
    viewer, now = request.user, timezone.now()
    published = statement.status == StatementStatus.PUBLISHED
    choices = signing_choices(viewer, statement)
    mine: list[tuple[Signature, WithdrawForm | None]] = []
    for signature in selectors.viewer_signatures(viewer, statement):
        signature.statement = statement  # already read, with its process
        withdrawable = can_withdraw(viewer, signature, now)
        mine.append((signature, _withdraw_form(signature) if withdrawable else None))
    is_joint = statement.relation == Relation.JOINT
    context = {
        "process": process,
        "statement": statement,
        "is_joint": is_joint,
        "published": published,
        "linked": list(selectors.linked_statements(statement)) if is_joint else [],
        "counts": selectors.signature_counts(statement) if published else None,
        "signatories": list(selectors.signatories(statement)[:SIGNATORIES_ON_DETAIL]),
        "now": now,
        "signing_open": sign_on_is_open(statement, now),
        "sign_form": SignForm(choices=choices) if choices else None,
        "errors": errors or [],
        "my_signatures": mine,
        "revisions": list(selectors.revisions_of(statement))
        if statement.status == StatementStatus.DRAFT
        else [],
        "can_edit": can_edit_draft(viewer, statement),
        "can_open": can_open_for_sign_on(viewer, statement),
        "can_respond": is_joint and published and can_write_statements(viewer, process),
    }
    return render(request, "joint_statements/detail.html", context)


def detail(request: HttpRequest, slug: str, statement_id: int) -> HttpResponse:
    process, statement = _statement(request, slug, statement_id)
    return _detail(request, process, statement)


@login_required
def respond(request: HttpRequest, slug: str, statement_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    process, statement = _statement(request, slug, statement_id)
    require(
        can_write_statements(actor, process),
        _("Only those taking part in this process may publish a statement, while it is open."),
    )
    form = LinkedStatementForm(request.POST or None, represented=represented_by(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        linked = _applied(
            form,
            drafting.publish_linked_statement,
            actor=actor,
            responds_to=statement,
            relation=data["relation"],
            title=data["title"],
            body=data["body"],
            organisation=data["organisation"],
            deadline=data["deadline"],
        )
        if linked is not None:
            messages.success(request, _("Your statement is published next to the one it answers."))
            return redirect(linked)
    context = {"process": process, "statement": statement, "form": form}
    return render(request, "joint_statements/respond.html", context)


def signatory_list(request: HttpRequest, slug: str, statement_id: int) -> HttpResponse:
    process, statement = _statement(request, slug, statement_id)
    withdrawn = request.GET.get("withdrawn") == "1"
    rows = (
        selectors.withdrawn_signatures(statement) if withdrawn else selectors.signatories(statement)
    )
    page = Paginator(rows, SIGNATORIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "process": process,
        "statement": statement,
        "withdrawn": withdrawn,
        "page": page,
        "query": "withdrawn=1" if withdrawn else "",
        "counts": selectors.signature_counts(statement),
    }
    return render(request, "joint_statements/signatories.html", context)


@login_required
@require_POST
def sign(request: HttpRequest, slug: str, statement_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    process, statement = _statement(request, slug, statement_id)
    form = SignForm(request.POST)
    if not form.is_valid():  # only an organisation that does not exist fails here
        raise Http404(_("There is no such organisation."))
    try:
        signature = signing.sign(
            actor=actor, statement=statement, organisation=form.cleaned_data["organisation"]
        )
    except ValidationError as error:
        return _detail(request, process, statement, errors=error.messages)
    messages.success(
        request,
        _("Signed for %(name)s.") % {"name": signature.organisation_name}
        if signature.organisation_id
        else _("Signed in your own name."),
    )
    return redirect(statement)


@login_required
@require_POST
def withdraw(request: HttpRequest, slug: str, statement_id: int, signature_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    process, statement = _statement(request, slug, statement_id)
    signature = get_object_or_404(
        Signature.objects.select_related("statement__process", "organisation"),
        pk=signature_id,
        statement=statement,
    )
    form = _withdraw_form(signature, request.POST)
    if not form.is_valid():
        return _detail(
            request, process, statement, errors=[str(e) for e in form.errors.get("reason", [])]
        )
    try:
        signing.withdraw_signature(
            actor=actor, signature=signature, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        return _detail(request, process, statement, errors=error.messages)
    messages.success(request, _("Signature withdrawn. The history of signatures keeps it."))
    return redirect(statement)


@login_required
def publish_from_caucus(request: HttpRequest, slug: str, caucus: str) -> HttpResponse:
    """The caucus page's form posts here; errors are shown on this page of its own."""
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    found = get_object_or_404(Caucus, process=process, slug=caucus)
    require(
        is_facilitator(actor, found), _("Only the caucus's facilitators can publish its content.")
    )
    form = PublishFromCaucusForm(request.POST or None, represented=represented_by(actor))
    if request.method == "POST" and form.is_valid():
        statement = _applied(
            form,
            drafting.publish_from_caucus,
            actor=actor,
            caucus=found,
            deadline=form.cleaned_data["deadline"],
            organisation=form.cleaned_data["organisation"],
        )
        if statement is not None:
            messages.success(
                request, _("The working draft is published as a joint statement, open for sign-on.")
            )
            return redirect(statement)
    context = {"process": process, "caucus": found, "form": form}
    return render(request, "joint_statements/publish_from_caucus.html", context)
