"""Template pages: a new process from a template, and saving a process as a template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from polyvox.core.forms import apply_validation_error
from polyvox.participants.http import signed_in_user
from polyvox.processes.forms import ProcessFromTemplateForm, SaveAsTemplateForm
from polyvox.processes.permissions import can_create_process, has_capability
from polyvox.processes.roles import Capability
from polyvox.processes.selectors import access_process, process_template, process_templates
from polyvox.processes.services.templating import (
    PhaseOverride,
    create_process_from_template,
    save_as_template,
)


@login_required
def process_from_template(request: HttpRequest) -> HttpResponse:
    """Without `?template=`, every template with its phases; with it, the form for that one."""
    actor = signed_in_user(request)
    if not can_create_process(actor):
        raise PermissionDenied(_("Only staff members can create processes."))
    name = request.GET.get("template", "")
    if not name:
        return render(request, "processes/templates.html", {"templates": process_templates()})
    spec = process_template(name)
    if spec is None:
        raise Http404(_("No such template."))
    form = ProcessFromTemplateForm(request.POST or None, template=spec)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        overrides: list[PhaseOverride | None] = [
            PhaseOverride(
                days=data[f"phase_{index}_days"],
                short_schedule_reason=data[f"phase_{index}_reason"],
            )
            for index in range(1, len(spec.phases) + 1)
        ]
        try:
            process = create_process_from_template(
                actor=actor,
                template_name=spec.name,
                slug=data["slug"],
                title=data["title"],
                opens=data["opens"],
                mandate=data["mandate"],
                phase_overrides=overrides,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Process created from the template."))
            return redirect(process)
    return render(
        request,
        "processes/template_form.html",
        {"form": form, "template": spec, "how_it_works": str(spec.how_it_works)},
    )


@login_required
def process_save_as_template(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    if not has_capability(actor, process, Capability.MANAGE_PROCESS):
        raise PermissionDenied(_("Only the secretariat can save this process as a template."))
    form = SaveAsTemplateForm(request.POST or None, initial={"title": process.title})
    if request.method == "POST" and form.is_valid():
        try:
            template = save_as_template(actor=actor, process=process, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Saved as the template “%(name)s”.") % {"name": template.name}
            )
            return redirect(process)
    return render(
        request,
        "processes/form.html",
        {"form": form, "process": process, "heading": _("Save as a template")},
    )
