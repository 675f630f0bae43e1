"""Draft pages: a version with its sections, diffs; preparing, previewing, publishing versions;
reading and publishing its language versions."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyvox.core.forms import apply_validation_error
from polyvox.drafts import services, translating
from polyvox.drafts.diff import summarise
from polyvox.drafts.forms import (
    DraftForm,
    PublishVersionForm,
    ScheduleVersionForm,
    TranslateLanguageForm,
    TranslationForm,
)
from polyvox.drafts.models import Draft, DraftVersion, Section
from polyvox.drafts.pages import SECTION_PANELS, VERSION_PAGE
from polyvox.drafts.permissions import can_publish_versions
from polyvox.drafts.selectors import (
    access_draft,
    changes_between,
    current_translations,
    draft_parity,
    draft_version_with_sections,
    latest_version,
    original_changes,
    original_language,
    parity_for,
    pending_version,
    translation_languages,
    versions_of,
)
from polyvox.participants.http import signed_in_user
from polyvox.participants.models import User
from polyvox.processes.permissions import can_publish_translations
from polyvox.processes.selectors import access_process


def draft_detail(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    """The draft's address leads to its latest version (or, before the first, to publishing)."""
    process = access_process(viewer=request.user, slug=slug)
    found = access_draft(viewer=request.user, process=process, draft_slug=draft)
    latest = latest_version(found)
    if latest is None:
        pending = pending_version(viewer=request.user, draft=found)
        return redirect("drafts:preview" if pending else "drafts:publish", slug=slug, draft=draft)
    return redirect(latest)


def version_detail(request: HttpRequest, slug: str, draft: str, number: int) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    version = draft_version_with_sections(
        viewer=request.user, process=process, draft_slug=draft, number=number
    )
    if version.published_at is None:  # only those who may publish get here: the preview
        return redirect("drafts:preview", slug=slug, draft=draft)
    sections = list(version.sections.all())
    _set_heading_tags(sections)
    panels = SECTION_PANELS.build(request, sections, process=process, version=version)
    versions = versions_of(version.draft)
    translations = current_translations(version)
    parity = draft_parity(version, sections=sections, translations=translations)
    language = _reading_language(request, version.draft)
    reading = next((p for p in parity if p.language == language and p.translated_version), None)
    by_anchor = {entry.anchor: entry for entry in reading.sections} if reading else {}
    may_translate = can_publish_translations(request.user, process)
    is_latest = bool(versions) and versions[-1].number == version.number
    context = {
        "process": process, "draft": version.draft, "version": version,
        "sections": [(s, panels[s.pk], by_anchor.get(s.anchor)) for s in sections],
        "versions": versions,
        "version_sections": VERSION_PAGE.build(request, process=process, version=version),
        "may_publish": can_publish_versions(request.user, process),
        "pending": pending_version(viewer=request.user, draft=version.draft),
        "original_language": original_language(version.draft),
        "parity": parity, "reading": reading, "asked_language": language,
        "translation": translations.get(language) if reading else None,
        "may_translate": may_translate and is_latest,
        "translate_form": TranslateLanguageForm(
            languages=translation_languages(version.draft)
        ) if may_translate and is_latest else None,
    }  # fmt: skip
    return render(request, "drafts/version.html", context)


def _reading_language(request: HttpRequest, draft: Draft) -> str:
    """The language the reader asked for (`?lang=fr`); "" for the original or an unknown code."""
    language = request.GET.get("lang", "").strip().lower()
    return language if language in translation_languages(draft) else ""


@login_required
def version_translate(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    """A translator publishes the latest version in a language, section by section."""
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    found = access_draft(viewer=actor, process=process, draft_slug=draft)
    if not can_publish_translations(actor, process):
        raise PermissionDenied(_("Only translators and the secretariat publish language versions."))
    latest = latest_version(found)
    if latest is None:
        raise Http404(_("No version of this draft is published yet."))
    picker = TranslateLanguageForm(request.GET or None, languages=translation_languages(found))
    context: dict[str, Any] = {"process": process, "draft": found, "picker": picker}
    if not picker.is_valid():
        return render(request, "drafts/translate.html", context)
    language = picker.cleaned_data["language"]
    version = draft_version_with_sections(
        viewer=actor, process=process, draft_slug=draft, number=latest.number
    )
    sections = list(version.sections.all())
    previous = current_translations(version).get(language)
    parity = parity_for(version, language, sections=sections, translation=previous)
    initial = {f"section-{entry.anchor}": entry.translated for entry in parity.sections}
    initial["title"] = previous.title if previous else ""
    form = TranslationForm(
        request.POST or None, sections=sections, language=language, stale=parity.stale,
        initial=initial,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            translating.publish_translation(
                actor=actor, version=version, language=language, sections=form.translated(),
                confirmed=form.confirmed(), title=form.cleaned_data["title"],
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The language version is published."))
            return redirect(f"{version.get_absolute_url()}?lang={language}")
    statuses = {entry.anchor: entry for entry in parity.sections}
    changes = original_changes(version, parity)
    context |= {
        "version": version, "language": language, "form": form, "parity": parity,
        "rows": [
            (section, field, confirm, statuses[section.anchor], changes.get(section.anchor, []))
            for section, field, confirm in form.rows()
        ],
        "original_language": original_language(found),
    }  # fmt: skip
    return render(request, "drafts/translate.html", context)


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
        "versions": versions_of(older.draft), "original_language": original_language(older.draft),
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
    if not can_publish_versions(actor, process):
        raise PermissionDenied(_("Only the secretariat and rapporteurs create drafts."))
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
    """ "New version": save the text unpublished, then preview it (`version_preview`)."""
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    found = access_draft(viewer=actor, process=process, draft_slug=draft)
    if not can_publish_versions(actor, process):
        raise PermissionDenied(_("Only the secretariat publishes draft versions."))
    base = pending_version(viewer=actor, draft=found) or latest_version(found)
    initial = {"markdown": base.source_markdown, "note": base.note} if base else {}
    form = PublishVersionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save(actor, found, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Version saved, not yet published. Check it, then publish.")
            )
            return redirect("drafts:preview", slug=slug, draft=draft)
    heading = _("Prepare a new version of “%(title)s”") % {"title": found.title}
    context = {
        "form": form,
        "process": process,
        "draft": found,
        "heading": heading,
        "multipart": True,
    }
    return render(request, "drafts/form.html", context)


@login_required
def version_preview(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    """The saved version as it will read, its changes from the published one, and what to do."""
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    found = access_draft(viewer=actor, process=process, draft_slug=draft)
    pending = pending_version(viewer=actor, draft=found)
    if pending is None:
        raise Http404(_("No version is waiting to be published."))
    version = draft_version_with_sections(
        viewer=actor, process=process, draft_slug=draft, number=pending.number
    )
    sections = list(version.sections.all())
    _set_heading_tags(sections, first=3)
    current = latest_version(found)
    entries = changes_between(current, version) if current else []
    when = version.scheduled_for
    context = {
        "process": process, "draft": found, "version": version, "sections": sections,
        "current": current, "entries": entries, "counts": summarise(entries),
        "schedule_form": ScheduleVersionForm(initial={"scheduled_for": when} if when else None),
        "original_language": original_language(found),
    }  # fmt: skip
    return render(request, "drafts/preview.html", context)


@login_required
@require_POST
def version_publish_now(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    actor = signed_in_user(request)
    version = _pending(request, slug, draft)
    try:
        services.publish_version(actor=actor, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("drafts:detail", slug=slug, draft=draft)
    messages.success(request, _("Version %(number)d published.") % {"number": version.number})
    return redirect(version)


@login_required
@require_POST
def version_schedule(request: HttpRequest, slug: str, draft: str) -> HttpResponse:
    actor = signed_in_user(request)
    version = _pending(request, slug, draft)
    form = ScheduleVersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the date and time to publish it."))
        when = form.cleaned_data["scheduled_for"]
        services.schedule_version(actor=actor, version=version, when=when)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Version %(number)d will be published on %(when)s.")
            % {"number": version.number, "when": date_format(localtime(when), "DATETIME_FORMAT")},
        )
    return redirect("drafts:preview", slug=slug, draft=draft)


def _pending(request: HttpRequest, slug: str, draft: str) -> DraftVersion:
    """The draft's pending version, or 404 (also for whoever may not see it)."""
    process = access_process(viewer=request.user, slug=slug)
    found = access_draft(viewer=request.user, process=process, draft_slug=draft)
    pending = pending_version(viewer=request.user, draft=found)
    if pending is None:
        raise Http404(_("No version is waiting to be published."))
    return pending


def _save(actor: User, draft: Draft, data: dict[str, Any]) -> DraftVersion:
    """A chosen file wins over the text box (which starts filled with the latest text)."""
    markdown = data["markdown"]
    if data.get("file"):
        markdown = services.decode_draft_file(data["file"].read())
    return services.save_version(actor=actor, draft=draft, markdown=markdown, note=data["note"])


def _set_heading_tags(sections: list[Section], first: int = 2) -> None:
    """Shift heading levels so the shallowest becomes h`first` under the page's headings (h6 at
    most): h2 under the version page's h1, h3 under the preview's "text as it will read"."""
    levels = [section.level for section in sections if section.level > 0]
    top = min(levels, default=1)
    for section in sections:
        section.heading_tag = min(6, section.level - top + first) if section.level else 0  # type: ignore[attr-defined]
