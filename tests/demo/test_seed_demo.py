"""`polyvox seed_demo` is production code: no test machinery, and the site's mail setting restored."""

import ast
from pathlib import Path

from django.core import mail

import polyvox.demo
from polyvox.demo.management.commands.seed_demo import QUIET_MAIL, mail_kept_in_memory

CONSOLE = "django.core.mail.backends.console.EmailBackend"


def _imported_modules(source: Path) -> set[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    return names | {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}


def test_the_demo_code_imports_nothing_from_django_test():
    package = Path(polyvox.demo.__file__).parent
    sources = sorted(package.rglob("*.py"))

    offenders = {
        str(source.relative_to(package)): sorted(
            m
            for m in _imported_modules(source)
            if m == "django.test" or m.startswith("django.test.")
        )
        for source in sources
    }

    assert len(sources) >= 8  # the seeders and the command were all read
    assert {name: found for name, found in offenders.items() if found} == {}


def _backend() -> str:
    """The dotted path of the backend Django would send an e-mail with now."""
    backend = type(mail.get_connection())
    return f"{backend.__module__}.{backend.__name__}"


def test_seeding_keeps_mail_in_memory_and_then_restores_the_sites_backend(settings):
    settings.EMAIL_BACKEND = CONSOLE

    with mail_kept_in_memory():
        during = _backend()

    assert (during, _backend()) == (QUIET_MAIL, CONSOLE)
