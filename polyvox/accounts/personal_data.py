"""The download of everything Polyvox holds about a person: a registry of sections and the JSON.

Each app's part is a provider `(user) -> Iterable[dict]`, registered under a name
(`register("contributions", …)`); the accounts app registers those of the apps below it in
`sections.py`. The document is `{"format", "generated_at", "sections": {name: [items…]}}`, written
one section at a time and one item at a time: a provider reads with `.iterator(chunk_size=…)`,
so memory and queries do not grow with the number of rows (one query per section)."""

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from polyvox.participants.models import User

Provider = Callable[[User], Iterable[dict[str, Any]]]
FORMAT = "polyvox-personal-data/1"
PIECE = 64 * 1024  # characters sent at a time
CHUNK = 500  # rows read at a time by each provider

_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Add (or replace, when an app's ready() runs again) the section `name`."""
    _providers[name] = provider


def registered_sections() -> list[str]:
    return list(_providers)


def _dumps(value: object) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def personal_data_chunks(user: User) -> Iterator[str]:
    """The whole document for `user`, in pieces of about `PIECE` characters."""
    header = {"format": FORMAT, "generated_at": timezone.now(), "user_id": user.pk}
    opening = _dumps({**header, "sections": {}})
    pieces = [opening[:-2]]  # up to the opening brace of the empty sections object
    size = 0
    for number, (name, provider) in enumerate(_providers.items()):
        pieces.append(("," if number else "") + "\n" + _dumps(name) + ": [")
        for index, item in enumerate(provider(user)):
            line = ("," if index else "") + "\n  " + _dumps(item)
            pieces.append(line)
            size += len(line)
            if size >= PIECE:
                yield "".join(pieces)
                pieces, size = [], 0
        pieces.append("]")
    pieces.append("\n}}\n")
    yield "".join(pieces)
