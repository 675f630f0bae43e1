"""A submission's attachment, served only to those who may see the contribution.

Uploads have no public URL. The view checks access (a hidden input: its author and the staff
who work the inputs; anyone else gets 404), then streams the file, hands it to the reverse proxy
(POLYVOX_SENDFILE: nginx's X-Accel-Redirect or Apache/lighttpd's X-Sendfile), or — for storage
without local paths, such as S3 — redirects to a URL signed for a few minutes.
"""

from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from polyvox.contributions.models import Contribution
from polyvox.contributions.selectors.threads import access_contribution
from polyvox.processes.selectors import access_process

FALLBACK_MEDIA_TYPE = "application/octet-stream"
SIGNED_URL_SECONDS = 300


@require_safe
def attachment(request: HttpRequest, slug: str, tracking_number: str) -> HttpResponseBase:
    process = access_process(viewer=request.user, slug=slug)
    contribution = access_contribution(
        viewer=request.user, process=process, tracking_number=tracking_number
    )
    if not contribution.attachment:
        raise Http404(_("This contribution has no attachment."))
    response = _attachment_response(contribution)
    # Never rendered in the page's origin, never cached for someone else.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, private=True, max_age=0)
    patch_vary_headers(response, ["Cookie"])
    return response


def _attachment_response(contribution: Contribution) -> HttpResponseBase:
    stored = contribution.attachment
    media_type = contribution.attachment_type or FALLBACK_MEDIA_TYPE
    filename = contribution.attachment_name or PurePosixPath(stored.name).name
    disposition = content_disposition_header(True, filename) or "attachment"
    mode = settings.POLYVOX_SENDFILE
    try:
        path = stored.path
    except NotImplementedError:  # remote storage (S3): a short-lived signed URL
        return HttpResponseRedirect(_signed_url(contribution, disposition, media_type))
    response: HttpResponseBase
    if mode == "x-accel-redirect":
        response = HttpResponse(content_type=media_type)
        prefix = settings.POLYVOX_SENDFILE_PREFIX.rstrip("/") + "/"
        response["X-Accel-Redirect"] = prefix + quote(stored.name)
    elif mode == "x-sendfile":
        response = HttpResponse(content_type=media_type)
        response["X-Sendfile"] = path
    else:
        try:
            handle = stored.storage.open(stored.name, "rb")
        except FileNotFoundError as missing:
            raise Http404(_("The attachment's file is missing.")) from missing
        response = FileResponse(handle, content_type=media_type)
    response["Content-Disposition"] = disposition
    return response


def _signed_url(contribution: Contribution, disposition: str, media_type: str) -> str:
    storage = contribution.attachment.storage
    name = contribution.attachment.name
    parameters = {"ResponseContentDisposition": disposition, "ResponseContentType": media_type}
    try:
        return str(storage.url(name, parameters=parameters, expire=SIGNED_URL_SECONDS))
    except TypeError:  # a storage whose url() takes only the name
        return str(storage.url(name))
