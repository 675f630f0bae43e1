"""The record's API: the verifier key, signed checkpoints, entries and RFC 9162 proofs.

Everything here is public (the record holds public data only) and read-only. Hashes are
standard base64 of 32 bytes; docs/record.md says how to check each answer.
"""

import base64
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from polyvox.processes.selectors import access_process
from polyvox.record.keys import verifier_key
from polyvox.record.selectors import (
    MAX_ENTRIES_PER_CALL,
    consistency_proof,
    entries_between,
    inclusion_proof,
    latest_checkpoint,
)

router = Router()

MAX_INDEX = 2**63 - 1
TEXT = "text/plain; charset=utf-8"
# How long a client waits before asking again for what the integrator has not made yet.
RETRY_AFTER_SECONDS = 5


class EntryOut(Schema):
    index: int
    kind: str
    recorded_at: str
    payload: dict[str, Any]


class EntriesOut(Schema):
    start: int
    end: int  # one past the last index answered: at most start + 1000
    entries: list[EntryOut]


class InclusionProofOut(Schema):
    index: int
    tree_size: int
    hashes: list[str]


class ConsistencyProofOut(Schema):
    first: int
    second: int
    hashes: list[str]


def _unavailable(message: str) -> HttpResponse:
    response = HttpResponse(message + "\n", status=503, content_type=TEXT)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _b64(hashes: list[bytes]) -> list[str]:
    return [base64.b64encode(value).decode("ascii") for value in hashes]


def _invalid(field: str, error: ValueError) -> ValidationError:
    return ValidationError({field: [str(error)]})


TEXT_RESPONSE: dict[str, Any] = {
    "responses": {
        200: {"description": "OK", "content": {"text/plain": {"schema": {"type": "string"}}}},
        503: {"description": "Not available yet (Retry-After)"},
    }
}


@router.get(
    "/record/key",
    summary="The verifier key of the record's checkpoints",
    description="The deployment's Ed25519 verifier key in C2SP signed-note form "
    "(`name+keyid+base64`), as text. 503 until the key is created.",
    openapi_extra=TEXT_RESPONSE,
    url_name="record_key",
)
def read_key(request: HttpRequest) -> HttpResponse:
    key = verifier_key()
    if key is None:
        return _unavailable(_("This site has no record signing key yet."))
    return HttpResponse(key + "\n", content_type=TEXT)


@router.get(
    "/processes/{slug}/record/checkpoint",
    summary="The latest signed checkpoint of a process's record",
    description="A C2SP tlog-checkpoint (origin, tree size, base64 root hash) signed as a C2SP "
    "signed note, as text. 503 until the first checkpoint is signed.",
    openapi_extra=TEXT_RESPONSE,
    url_name="record_checkpoint",
)
def read_checkpoint(request: HttpRequest, slug: str) -> HttpResponse:
    process = access_process(viewer=request.user, slug=slug)
    checkpoint = latest_checkpoint(process=process)
    if checkpoint is None:
        return _unavailable(_("No checkpoint yet."))
    return HttpResponse(checkpoint.note, content_type=TEXT)


@router.get(
    "/processes/{slug}/record/entries",
    response=EntriesOut,
    summary="Entries of a process's record",
    description=f"Entries start ≤ index < end, by index, at most {MAX_ENTRIES_PER_CALL} per "
    "call (ask again from the returned `end`). `end` may not pass the log's integrated size.",
    url_name="record_entries",
)
def read_entries(
    request: HttpRequest,
    slug: str,
    start: int = Query(..., ge=0, le=MAX_INDEX),  # type: ignore[type-arg]
    end: int = Query(..., ge=1, le=MAX_INDEX),  # type: ignore[type-arg]
) -> dict[str, Any]:
    process = access_process(viewer=request.user, slug=slug)
    try:
        entries = entries_between(process=process, start=start, end=end)
    except ValueError as error:
        raise _invalid("end", error) from error
    return {"start": start, "end": start + len(entries), "entries": entries}


@router.get(
    "/processes/{slug}/record/proofs/inclusion",
    response=InclusionProofOut,
    summary="Inclusion proof of one entry (RFC 9162 §2.1.3)",
    description="The hashes (base64) proving that entry `index` is in the tree of `tree_size` "
    "entries, leaf first.",
    url_name="record_inclusion_proof",
)
def read_inclusion_proof(
    request: HttpRequest,
    slug: str,
    index: int = Query(..., ge=0, le=MAX_INDEX),  # type: ignore[type-arg]
    tree_size: int = Query(..., ge=1, le=MAX_INDEX),  # type: ignore[type-arg]
) -> dict[str, Any]:
    process = access_process(viewer=request.user, slug=slug)
    try:
        hashes = inclusion_proof(process=process, index=index, tree_size=tree_size)
    except ValueError as error:
        raise _invalid("index" if index >= tree_size else "tree_size", error) from error
    return {"index": index, "tree_size": tree_size, "hashes": _b64(hashes)}


@router.get(
    "/processes/{slug}/record/proofs/consistency",
    response=ConsistencyProofOut,
    summary="Consistency proof between two tree sizes (RFC 9162 §2.1.4)",
    description="The hashes (base64) proving that the tree of `second` entries extends the "
    "tree of `first` entries.",
    url_name="record_consistency_proof",
)
def read_consistency_proof(
    request: HttpRequest,
    slug: str,
    first: int = Query(..., ge=1, le=MAX_INDEX),  # type: ignore[type-arg]
    second: int = Query(..., ge=1, le=MAX_INDEX),  # type: ignore[type-arg]
) -> dict[str, Any]:
    process = access_process(viewer=request.user, slug=slug)
    try:
        hashes = consistency_proof(process=process, first=first, second=second)
    except ValueError as error:
        raise _invalid("second", error) from error
    return {"first": first, "second": second, "hashes": _b64(hashes)}
