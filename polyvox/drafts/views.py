"""Draft pages: a version with its anchored sections, the diff between versions, secretariat forms."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from polyvox.core.forms import apply_validation_error
from polyvox.drafts import services
from polyvox.drafts.diff import summarise
from polyvox.drafts.forms import DraftForm, PublishVersionForm
from polyvox.drafts.models import Draft, DraftVersion, Section
from polyvox.drafts.pages import SECTION_PANELS, VERSION_PAGE
from polyvox.drafts.selectors import (
    access_draft,
    changes_between,
    draft_version_with_sections,
    latest_version,
)
from polyvox.participants.http import signed_in_user
from polyvox.participants.models import User
from polyvox.processes.permissions import is_secretariat
from polyvox.processes.selectors import access_process


def draft_detail(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    """The draft's address leads to its latest version (or, before the first, to publishing)."""
    process = access_process(viewer=request.user, slug=slug)
    found = access_draft(viewer=request.user, process=process, draft_slug=draft)
    latest = latest_version(found)
    if latest is None:
        return redirect("drafts:publish", slug=slug, draft=draft)
    return redirect(latest)


def version_detail(request: HttpRequest, slug: str, draft: str, number: int) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    version = draft_version_with_sections(
        viewer=request.user, process=process, draft_slug=draft, number=number
    )
    sections = list(version.sections.all())
    _set_heading_tags(sections)
    panels = SECTION_PANELS.build(request, sections, process=process, version=version)
    context = {
        "process": process, "draft": version.draft, "version": version,
        "sections": [(section, panels[section.pk]) for section in sections],
        "versions": list(version.draft.versions.order_by("number")),
        "version_sections": VERSION_PAGE.build(request, process=process, version=version),
        "is_secretariat": is_secretariat(request.user, process),
    }  # fmt: skip
    return render(request, "drafts/version.html", context)


def version_diff(request: HttpRequest, slug: str, draft: str, a: int, b: int) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    older, newer = (
        draft_version_with_sections(
            viewer=request.user, process=process, draft_slug=draft, number=n
        )
        for n in (a, b)
    )
    entries = changes_between(older, newer)
    context = {
        "process": process, "draft": older.draft, "older": older, "newer": newer,
        "entries": entries, "counts": summarise(entries),
        "versions": list(older.draft.versions.order_by("number")),
    }  # fmt: skip
    return render(request, "drafts/diff.html", context)


def choose_diff(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    """Target of the small GET form that picks two versions to compare (works without JS)."""
    try:
        a, b = int(request.GET["a"]), int(request.GET["b"])
    except (KeyError, ValueError) as error:
        raise Http404(_("Choose two versions to compare.")) from error
    return redirect("drafts:diff", slug=slug, draft=draft, a=a, b=b)


@login_required
def draft_create(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    if not is_secretariat(actor, process):
        raise PermissionDenied(_("Only the secretariat creates drafts."))
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_draft(actor=actor, process=process, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Draft created. Now publish its first version."))
            return redirect("drafts:publish", slug=slug, draft=created.slug)
    context = {"form": form, "process": process, "heading": _("New draft")}
    return render(request, "drafts/form.html", context)


@login_required
def version_publish(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    found = access_draft(viewer=actor, process=process, draft_slug=draft)
    if not is_secretariat(actor, process):
        raise PermissionDenied(_("Only the secretariat publishes draft versions."))
    latest = latest_version(found)
    initial = {"markdown": latest.source_markdown if latest else ""}
    form = PublishVersionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = _publish(actor, found, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Version %(number)d published.") % {"number": version.number}
            )
            return redirect(version)
    heading = _("Publish a new version of “%(title)s”") % {"title": found.title}
    context = {
        "form": form,
        "process": process,
        "draft": found,
        "heading": heading,
        "multipart": True,
    }
    return render(request, "drafts/form.html", context)


def _publish(actor: User, draft: Draft, data: dict[str, Any]) -> DraftVersion:
    """A chosen file wins over the text box (which starts filled with the previous version)."""
    if data.get("file"):
        return services.import_draft_text(
            actor=actor, draft=draft, content=data["file"].read(), note=data["note"]
        )
    return services.publish_draft_version(
        actor=actor, draft=draft, markdown=data["markdown"], note=data["note"]
    )


def _set_heading_tags(sections: list[Section]) -> None:
    """Shift heading levels so the shallowest becomes h2 under the page's one h1 (h6 at most)."""
    levels = [section.level for section in sections if section.level > 0]
    top = min(levels, default=1)
    for section in sections:
        section.heading_tag = min(6, section.level - top + 2) if section.level else 0  # type: ignore[attr-defined]
