"""Participant pages: register, confirm the address, consent, log in/out, reset or change the
password, own profile, interests, public profiles."""

from typing import Any

from axes.utils import reset as reset_login_failures
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from polyvox.core.forms import apply_validation_error
from polyvox.participants import services
from polyvox.participants.forms import (
    ConsentForm,
    EmailChangeForm,
    InterestsForm,
    PasswordResetForm,
    ProfileForm,
    RegistrationForm,
)
from polyvox.participants.http import signed_in_user
from polyvox.participants.models import Profile, User
from polyvox.participants.pages import PROFILE_PAGE
from polyvox.participants.regions import region_of
from polyvox.participants.selectors import (
    active_participant,
    public_profile,
    statements_of_interest_for,
)


def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.register_participant(**form.service_fields())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            services.send_verification(user)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _(
                    "Welcome! We sent a link to %(email)s: open it to confirm your address and "
                    "take part. Meanwhile, please complete your profile."
                )
                % {"email": user.email},
            )
            return redirect("participants:profile_edit")
    return render(request, "participants/register.html", {"form": form})


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the mail: confirms the address, or says why not (400, never a 500)."""
    try:
        user = services.verify_email(token)
    except ValidationError as error:
        reason = " ".join(error.messages)
        return render(request, "participants/verify_failed.html", {"reason": reason}, status=400)
    messages.success(
        request, _("Thank you: your e-mail address %(email)s is confirmed.") % {"email": user.email}
    )
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("participants:profile")
    return redirect("participants:login")


@login_required
def verify_email_resend(request: HttpRequest) -> HttpResponse:
    """Ask for a new link (GET shows the button; POST sends, within the limits)."""
    actor = signed_in_user(request)
    error = ""
    if request.method == "POST":
        try:
            services.send_verification(actor)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request, _("We sent a new link to %(email)s.") % {"email": actor.email}
            )
            return redirect("participants:profile")
    status = 429 if error else 200
    return render(request, "participants/verify_resend.html", {"error": error}, status=status)


@login_required
def email_change(request: HttpRequest) -> HttpResponse:
    actor = signed_in_user(request)
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_email(actor=actor, user=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Address changed. We sent a link to %(email)s: open it to take part again.")
                % {"email": actor.email},
            )
            return redirect("participants:profile")
    return render(request, "participants/email_change.html", {"form": form})


def consent(request: HttpRequest) -> HttpResponse:
    """Accept the current terms and privacy notice, then go back where one was going."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('participants:login')}?next={request.path}")
    actor = signed_in_user(request)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    missing = services.consents_missing(actor)
    form = ConsentForm(request.POST or None, missing=missing)
    if request.method == "POST" and form.is_valid():
        services.accept_consents(actor, missing)
        messages.success(request, _("Thank you. You can go on."))
        return redirect(next_url or "participants:profile")
    versions = services.current_versions()
    return render(
        request, "participants/consent.html",
        {"form": form, "missing": missing, "next": next_url, "versions": versions},
    )  # fmt: skip


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "participants/terms.html", {"version": settings.POLYVOX_TERMS_VERSION})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request, "participants/privacy.html", {"version": settings.POLYVOX_PRIVACY_VERSION}
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Always answers "if an account has this address, we sent a link": never tells whether it has."""

    form_class = PasswordResetForm
    template_name = "participants/password_reset.html"
    email_template_name = "participants/password_reset_email.txt"
    subject_template_name = "participants/password_reset_subject.txt"
    success_url = reverse_lazy("participants:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password from the mailed link. Opening it proves the address, so it is confirmed,
    and the failed log-ins counted against the account are forgotten."""

    template_name = "participants/password_reset_confirm.html"
    success_url = reverse_lazy("participants:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
        reset_login_failures(username=user.username)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "participants/password_change.html"
    success_url = reverse_lazy("participants:password_change_done")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Everything the participant has declared, private fields included, for their eyes."""
    actor = signed_in_user(request)
    own = _own_profile(actor)
    return render(
        request, "participants/profile.html",
        {
            "profile": own, "region": region_of(own.country),
            "public": public_profile(viewer=actor, user=actor),
            "sections": PROFILE_PAGE.build(request, user=actor),
        },
    )  # fmt: skip


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    actor = signed_in_user(request)
    own = _own_profile(actor)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_from(own))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(actor=actor, user=actor, **form.service_fields())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("participants:profile")
    return render(request, "participants/profile_form.html", {"form": form})


@login_required
def interests(request: HttpRequest) -> HttpResponse:
    """Declare interests (a new revision each time) and see one's own history."""
    actor = signed_in_user(request)
    form = InterestsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_interests(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Statement of interest saved."))
            return redirect("participants:interests")
    history = statements_of_interest_for(viewer=actor, user=actor)
    return render(request, "participants/interests.html", {"form": form, "history": history})


def public_profile_view(request: HttpRequest, username: str) -> HttpResponse:
    person = active_participant(username)
    return render(
        request, "participants/public_profile.html",
        {"person": public_profile(viewer=request.user, user=person)},
    )  # fmt: skip


def _own_profile(user: User) -> Profile:
    """The signed-in person's Profile; accounts made outside registration may lack one (unsaved
    then: update_profile creates it)."""
    return getattr(user, "profile", None) or Profile(user=user, display_name=user.username)
