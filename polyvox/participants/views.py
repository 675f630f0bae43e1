"""Participant pages: register, log in/out, own profile, interests, public profiles."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from polyvox.core.forms import apply_validation_error
from polyvox.participants import services
from polyvox.participants.forms import InterestsForm, ProfileForm, RegistrationForm
from polyvox.participants.http import signed_in_user
from polyvox.participants.models import Profile, User
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
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Please complete your profile."))
            return redirect("participants:profile_edit")
    return render(request, "participants/register.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Everything the participant has declared, private fields included, for their eyes."""
    actor = signed_in_user(request)
    own = _own_profile(actor)
    return render(
        request, "participants/profile.html",
        {"profile": own, "region": region_of(own.country), "public": public_profile(viewer=actor, user=actor)},
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
