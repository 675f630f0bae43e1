"""Documentation that machines can check: settings, commands and API operations are documented."""

import re
from pathlib import Path

from django.core.management import get_commands, load_command_class

from polyvox.config.api import api

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_read_by_settings_is_documented():
    settings_source = (ROOT / "polyvox/config/settings.py").read_text()
    documented = (ROOT / "docs/configuration.md").read_text()

    variables = set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', settings_source))

    assert variables, "settings.py reads no environment variables?"
    assert sorted(v for v in variables if f"`{v}`" not in documented) == []


def test_every_polyvox_management_command_has_help():
    ours = {name: app for name, app in get_commands().items() if app.startswith("polyvox.")}

    missing = [name for name, app in ours.items() if not load_command_class(app, name).help.strip()]

    assert ours, "no polyvox management commands found"
    assert missing == []


def test_every_api_operation_has_a_summary():
    schema = api.get_openapi_schema()

    operations = [
        (path, method, op)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]

    assert operations
    assert [(p, m) for p, m, op in operations if not op.get("summary")] == []
