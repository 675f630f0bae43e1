"""The stylesheet and scripts that every page links are actually served."""

import re

import pytest


@pytest.mark.parametrize(
    "path", ["/static/css/polyvox.css", "/static/js/htmx.min.js", "/static/js/polyvox.js"]
)
def test_every_asset_the_base_page_links_is_served(client, db, path):
    page = client.get("/").content.decode()

    response = client.get(path)

    assert path in re.findall(r'(?:href|src)="([^"]+)"', page)
    assert response.status_code == 200
