"""Pages of caucuses: thin views over its services and selectors.

The public sees a caucus's name, purpose, group, member count and published threads; members see
its threads, working draft and members; facilitators also decide requests and publish. Content
readers are selectors that refuse non-members (403 with the reason), so no view can leak it.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyvox.caucuses import selectors
from polyvox.caucuses.forms import (
    CaucusForm,
    DecisionForm,
    JoinForm,
    PostForm,
    ThreadForm,
    WorkingDraftForm,
)
from polyvox.caucuses.models import Caucus
from polyvox.caucuses.pages import CAUCUS_PAGE
from polyvox.caucuses.permissions import (
    is_facilitator,
    is_member,
    why_not_join,
    why_not_start,
)
from polyvox.caucuses.services.content import (
    post_in_thread,
    publish_thread,
    save_working_draft,
    start_thread,
    thread_url,
)
from polyvox.caucuses.services.membership import (
    appoint_facilitator,
    create_caucus,
    decide_membership,
    leave_caucus,
    remove_member,
    request_membership,
)
from polyvox.core.forms import apply_validation_error
from polyvox.core.permissions import require
from polyvox.participants.http import signed_in_user
from polyvox.processes.models import Process
from polyvox.processes.selectors import access_process

THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 50
MEMBERS_ON_DETAIL = 20
MEMBERS_PER_PAGE = 50
REVISIONS_PER_PAGE = 20


def _caucus(request: HttpRequest, slug: str, caucus: str) -> tuple[Process, Caucus]:
    process = access_process(viewer=request.user, slug=slug)
    return process, selectors.caucus_by_slug(process, caucus)


def _applied(form: Any, call: Any, **kwargs: Any) -> Any:
    """Call a service; a ValidationError lands on the form and gives None."""
    try:
        return call(**kwargs)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def _acted(request: HttpRequest, call: Any, done: str, **kwargs: Any) -> None:
    """Call a service from a button; its refusal (or `done`) is shown on the next page."""
    try:
        call(**kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)


def caucus_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    return render(
        request,
        "caucuses/list.html",
        {
            "process": process,
            "caucuses": selectors.caucuses_of(process),
            "can_start": not why_not_start(request.user, process),
        },
    )


@login_required
def caucus_create(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    refusal = why_not_start(actor, process)
    require(not refusal, refusal)
    form = CaucusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        caucus = _applied(form, create_caucus, actor=actor, process=process, **form.cleaned_data)
        if caucus is not None:
            messages.success(request, _("Your caucus is open; you are its facilitator."))
            return redirect(caucus.get_absolute_url())
    return render(request, "caucuses/create.html", {"process": process, "form": form})


def _detail(request: HttpRequest, process: Process, caucus: Caucus, **forms: Any) -> HttpResponse:
    viewer = request.user
    member, facilitator = is_member(viewer, caucus), is_facilitator(viewer, caucus)
    published = Paginator(selectors.published_threads(caucus), THREADS_PER_PAGE)
    context: dict[str, Any] = {
        "process": process,
        "caucus": caucus,
        "standing": selectors.viewer_standing(viewer=viewer, caucus=caucus),
        "is_member": member,
        "is_facilitator": facilitator,
        "join_refusal": why_not_join(viewer, caucus),
        "join_form": JoinForm(),
        "published": published.get_page(request.GET.get("published")),
        "open": process.closed_at is None,
        **forms,
    }
    if member:
        threads = Paginator(selectors.threads_for(viewer=viewer, caucus=caucus), THREADS_PER_PAGE)
        context |= {
            "threads": threads.get_page(request.GET.get("page")),
            "draft": selectors.working_draft(viewer=viewer, caucus=caucus).latest,
            "members": selectors.members_for(viewer=viewer, caucus=caucus)[:MEMBERS_ON_DETAIL],
            "panels": CAUCUS_PAGE.build(request, caucus=caucus, process=process),
        }
    if facilitator:
        requests = selectors.requests_for(viewer=viewer, caucus=caucus)
        context |= {"requests": requests[:MEMBERS_ON_DETAIL], "request_count": requests.count()}
    return render(request, "caucuses/detail.html", context)


def caucus_detail(request: HttpRequest, slug: str, caucus: str) -> HttpResponse:
    process, found = _caucus(request, slug, caucus)
    return _detail(request, process, found)


@login_required
@require_POST
def join(request: HttpRequest, slug: str, caucus: str) -> HttpResponse:
    actor = signed_in_user(request)
    process, found = _caucus(request, slug, caucus)
    form = JoinForm(request.POST)
    if form.is_valid() and _applied(
        form, request_membership, actor=actor, caucus=found, **form.cleaned_data
    ):
        messages.success(request, _("Your request was sent to the caucus's facilitators."))
        return redirect(found.get_absolute_url())
    return _detail(request, process, found, join_form=form)


@login_required
@require_POST
def leave(request: HttpRequest, slug: str, caucus: str) -> HttpResponse:
    actor = signed_in_user(request)
    _process, found = _caucus(request, slug, caucus)
    _acted(request, leave_caucus, _("You left the caucus."), actor=actor, caucus=found)
    return redirect(found.get_absolute_url())


@login_required
@require_POST
def decide(request: HttpRequest, slug: str, caucus: str, membership_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    _process, found = _caucus(request, slug, caucus)
    membership = selectors.membership_in(viewer=actor, caucus=found, membership_id=membership_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or refuse the request."))
    else:
        approve = form.cleaned_data["decision"] == "approve"
        done = _("Request approved.") if approve else _("Request refused.")
        kwargs = {"actor": actor, "membership": membership, "approve": approve}
        _acted(request, decide_membership, done, **kwargs)
    return redirect(_back(request, found))


@login_required
@require_POST
def appoint(request: HttpRequest, slug: str, caucus: str, membership_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    _process, found = _caucus(request, slug, caucus)
    membership = selectors.membership_in(viewer=actor, caucus=found, membership_id=membership_id)
    done = _("%(person)s is now a facilitator.") % {"person": membership.user}
    _acted(request, appoint_facilitator, done, actor=actor, membership=membership)
    return redirect(_back(request, found))


@login_required
@require_POST
def remove(request: HttpRequest, slug: str, caucus: str, membership_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    _process, found = _caucus(request, slug, caucus)
    membership = selectors.membership_in(viewer=actor, caucus=found, membership_id=membership_id)
    done = _("%(person)s was removed from the caucus.") % {"person": membership.user}
    _acted(request, remove_member, done, actor=actor, membership=membership)
    return redirect(_back(request, found))


def _back(request: HttpRequest, caucus: Caucus) -> str:
    """Facilitators act from the caucus page or its members page; go back to the one used."""
    members = reverse(
        "caucuses:members", kwargs={"slug": caucus.process.slug, "caucus": caucus.slug}
    )
    return members if request.POST.get("back") == "members" else caucus.get_absolute_url()


@login_required
def members(request: HttpRequest, slug: str, caucus: str) -> HttpResponse:
    actor = signed_in_user(request)
    process, found = _caucus(request, slug, caucus)
    listed = Paginator(selectors.members_for(viewer=actor, caucus=found), MEMBERS_PER_PAGE)
    context: dict[str, Any] = {
        "process": process,
        "caucus": found,
        "members": listed.get_page(request.GET.get("page")),
        "is_facilitator": is_facilitator(actor, found),
        "open": process.closed_at is None,
    }
    if context["is_facilitator"]:
        pending = Paginator(selectors.requests_for(viewer=actor, caucus=found), MEMBERS_PER_PAGE)
        context["requests"] = pending.get_page(request.GET.get("requests"))
    return render(request, "caucuses/members.html", context)


@login_required
def thread_create(request: HttpRequest, slug: str, caucus: str) -> HttpResponse:
    actor = signed_in_user(request)
    process, found = _caucus(request, slug, caucus)
    require(is_member(actor, found), selectors.members_only())
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kwargs = {"actor": actor, "caucus": found, **form.cleaned_data}
        if thread := _applied(form, start_thread, **kwargs):
            return redirect(thread_url(thread))
    return render(
        request, "caucuses/thread_form.html", {"process": process, "caucus": found, "form": form}
    )


def thread(request: HttpRequest, slug: str, caucus: str, thread_id: int) -> HttpResponse:
    """Members read and reply; once published, anyone reads it (and no one replies)."""
    process, found = _caucus(request, slug, caucus)
    viewer = request.user
    shown = selectors.thread_in(viewer=viewer, caucus=found, thread_id=thread_id)
    posts = Paginator(selectors.posts_for(viewer=viewer, thread=shown), POSTS_PER_PAGE)
    form = PostForm(request.POST or None)
    if request.method == "POST":
        actor = signed_in_user(request)
        if form.is_valid() and _applied(
            form, post_in_thread, actor=actor, thread=shown, **form.cleaned_data
        ):
            return redirect(f"{thread_url(shown)}?page={posts.num_pages}")
    member = is_member(viewer, found)
    context = {
        "process": process,
        "caucus": found,
        "thread": shown,
        "posts": posts.get_page(request.GET.get("page")),
        "form": form,
        "can_reply": member and shown.published_at is None and process.closed_at is None,
        "can_publish": shown.published_at is None
        and process.closed_at is None
        and is_facilitator(viewer, found),
    }
    return render(request, "caucuses/thread.html", context)


@login_required
@require_POST
def publish(request: HttpRequest, slug: str, caucus: str, thread_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    _process, found = _caucus(request, slug, caucus)
    shown = selectors.thread_in(viewer=actor, caucus=found, thread_id=thread_id)
    done = _("The thread is published: anyone can read it, and it is on the record.")
    _acted(request, publish_thread, done, actor=actor, thread=shown)
    return redirect(thread_url(shown))


@login_required
def working_draft(request: HttpRequest, slug: str, caucus: str) -> HttpResponse:
    """The latest revision (or `?revision=n`) and the history of revisions."""
    actor = signed_in_user(request)
    process, found = _caucus(request, slug, caucus)
    draft = selectors.working_draft(viewer=actor, caucus=found)
    number = request.GET.get("revision", "")
    shown = (
        selectors.working_draft_revision(viewer=actor, caucus=found, number=int(number))
        if number.isdigit()
        else draft.latest
    )
    context = {
        "process": process,
        "caucus": found,
        "revision": shown,
        "latest": draft.latest,
        "history": Paginator(draft.history, REVISIONS_PER_PAGE).get_page(request.GET.get("page")),
        "open": process.closed_at is None,
    }
    return render(request, "caucuses/draft.html", context)


@login_required
def working_draft_edit(request: HttpRequest, slug: str, caucus: str) -> HttpResponse:
    """Edit from the latest revision; a newer save in between is refused, shown to merge."""
    actor = signed_in_user(request)
    process, found = _caucus(request, slug, caucus)
    latest = selectors.working_draft(viewer=actor, caucus=found).latest
    initial: dict[str, Any] = {"based_on": latest.number if latest else 0}
    if latest is not None:
        initial |= {"title": latest.title, "body": latest.body}
    form = WorkingDraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        kwargs = {"actor": actor, "caucus": found, **form.cleaned_data}
        if _applied(form, save_working_draft, **kwargs):
            messages.success(request, _("Your revision of the working draft is saved."))
            return redirect("caucuses:draft", slug=process.slug, caucus=found.slug)
        if latest is not None and form.cleaned_data["based_on"] != latest.number:
            # They now see the newer revision below: their next save merges from it.
            form.data = request.POST.copy()
            form.data["based_on"] = str(latest.number)
    context = {"process": process, "caucus": found, "form": form, "latest": latest}
    return render(request, "caucuses/draft_edit.html", context)
