"""E-mail links point at the address served on: `polyvox serve` gives its workers a site URL
from --bind unless POLYVOX_SITE_URL is set (the demo sets it from its port the same way)."""

from pathlib import Path

import pytest

from polyvox.operations.management.commands.serve import site_url_for


@pytest.mark.parametrize(
    ("bind", "configured", "expected"),
    [
        ("127.0.0.1:8001", "", "http://127.0.0.1:8001"),
        ("0.0.0.0:8080", "", "http://127.0.0.1:8080"),
        ("[::1]:9000", "", "http://[::1]:9000"),
        ("127.0.0.1:8001", "https://consult.example.org", ""),
        ("unix:/run/polyvox.sock", "", ""),
    ],
)
def test_the_site_url_follows_the_bind_address_unless_configured(bind, configured, expected):
    assert site_url_for(bind, configured) == expected


def test_the_demo_takes_its_site_url_from_its_port_unless_one_is_given():
    makefile = (Path(__file__).parents[2] / "Makefile").read_text()
    serve = (Path(__file__).parents[2] / "scripts" / "serve.sh").read_text()

    assert "demo: export POLYVOX_SITE_URL ?= http://127.0.0.1:$(PORT)" in makefile
    assert 'POLYVOX_SITE_URL="${POLYVOX_SITE_URL:-http://127.0.0.1:$port}"' in serve
