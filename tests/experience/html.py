"""Reading pages as a person would: a small CSS-like select over Django's own HTML parser (no
extra dependency). Selectors: `tag`, `#id`, `.class`, `[attr]`, `[attr=value]`, combined
(`button.vote-agree`) and separated by spaces for descendants (`#vote-card form button`)."""

import re
from typing import Any

from django.test.html import Element, parse_html

SIMPLE = re.compile(r"([a-z0-9]+)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:=\"?([^\]\"]*)\"?)?\]")


def page(response: Any) -> Element:
    html = response.content.decode()
    html = re.sub(r"<!doctype[^>]*>", "", html, flags=re.IGNORECASE)
    return parse_html(html)


def attr(element: Element, name: str) -> str | None:
    return dict(element.attributes).get(name)


def classes(element: Element) -> list[str]:
    return (attr(element, "class") or "").split()


def _matches(element: Element, compound: str) -> bool:
    for tag, id_, cls, name, value in SIMPLE.findall(compound):
        if tag and element.name != tag:
            return False
        if id_ and attr(element, "id") != id_:
            return False
        if cls and cls not in classes(element):
            return False
        if name and (name not in dict(element.attributes)):
            return False
        if name and value and attr(element, name) != value:
            return False
    return True


def _descendants(element: Element) -> list[Element]:
    out = []
    for child in element.children:
        if isinstance(child, Element):
            out.append(child)
            out.extend(_descendants(child))
    return out


def select(root: Element, selector: str) -> list[Element]:
    found = [root]
    for compound in selector.split():
        found = [e for parent in found for e in _descendants(parent) if _matches(e, compound)]
        # de-duplicate, keeping document order
        seen: set[int] = set()
        found = [e for e in found if not (id(e) in seen or seen.add(id(e)))]
    return found


def select_one(root: Element, selector: str) -> Element | None:
    found = select(root, selector)
    return found[0] if found else None


def text(element: Element | str) -> str:
    """The words as read: whitespace collapsed, no space before closing punctuation or after
    opening punctuation (the parser splits text at every tag)."""
    if isinstance(element, str):
        return element
    joined = " ".join(" ".join(text(c) for c in element.children).split())
    return re.sub(r"([«(]) ", r"\1", re.sub(r" ([:;.,»)])", r"\1", joined))
