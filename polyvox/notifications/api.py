"""JSON API for following a process and the e-mail preferences: the signed-in participant's own
data only (who follows what is never readable by anyone else)."""

from django.http import HttpRequest
from ninja import Router, Schema, Status

from polyvox.core.api_auth import api_auth
from polyvox.notifications.following import follow_process, is_following, unfollow_process
from polyvox.notifications.languages import email_language
from polyvox.notifications.services import preferences_of, set_preferences
from polyvox.participants.http import signed_in_user
from polyvox.processes.selectors import access_process

router = Router()


class FollowOut(Schema):
    process: str
    following: bool


class PreferencesIO(Schema):
    """Per kind (version, phase, reminder, reply, general): immediate, daily or none; and the
    language your e-mails and notifications are written in (one of the site's; empty or absent
    when changing: unchanged)."""

    modes: dict[str, str]
    language: str = ""


@router.get(
    "/processes/{slug}/follow",
    response=FollowOut,
    auth=api_auth,
    summary="Whether you follow a process",
)
def read_follow(request: HttpRequest, slug: str) -> FollowOut:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    return FollowOut(process=process.slug, following=is_following(actor, process))


@router.put(
    "/processes/{slug}/follow",
    response=FollowOut,
    auth=api_auth,
    summary="Follow a process: its new versions, phase openings and deadline reminders reach you "
    "as your preferences say (following twice changes nothing)",
)
def put_follow(request: HttpRequest, slug: str) -> FollowOut:
    actor = signed_in_user(request)
    process = access_process(viewer=actor, slug=slug)
    follow_process(actor=actor, process=process)
    return FollowOut(process=process.slug, following=True)


@router.delete(
    "/processes/{slug}/follow",
    response={204: None},
    auth=api_auth,
    summary="Stop following a process",
)
def delete_follow(request: HttpRequest, slug: str) -> Status[None]:
    actor = signed_in_user(request)
    unfollow_process(actor=actor, process=access_process(viewer=actor, slug=slug))
    return Status(204, None)


@router.get(
    "/notifications/preferences",
    response=PreferencesIO,
    auth=api_auth,
    summary="Your e-mail preferences per kind of notification",
)
def read_preferences(request: HttpRequest) -> PreferencesIO:
    actor = signed_in_user(request)
    return PreferencesIO(modes=preferences_of(actor), language=email_language(actor))


@router.put(
    "/notifications/preferences",
    response=PreferencesIO,
    auth=api_auth,
    summary="Change your e-mail preferences: per kind, immediate, daily (a digest) or none "
    "(kinds not given keep their choice), and the language of your e-mails",
)
def put_preferences(request: HttpRequest, payload: PreferencesIO) -> PreferencesIO:
    actor = signed_in_user(request)
    modes = set_preferences(actor=actor, modes=payload.modes, language=payload.language)
    return PreferencesIO(modes=modes, language=email_language(actor))
