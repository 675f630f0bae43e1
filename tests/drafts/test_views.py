"""Draft pages: a version with anchored sections, the diff page, and the secretariat's forms."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from polyvox.drafts.models import Draft, DraftVersion
from polyvox.drafts.services import publish_draft_version

from .conftest import V1

pytestmark = pytest.mark.django_db


def url(name, process, **kwargs):
    return reverse(f"drafts:{name}", kwargs={"slug": process.slug, **kwargs})


def test_the_version_page_shows_every_section_with_its_anchor(client, process, version1):
    response = client.get(version1.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<h1><span lang="en" dir="auto">Draft principles</span> <span class="tag">version 1</span>'
        "</h1>"
    ) in html
    for anchor in ["principles-for-community-networks", "1-spectrum-p1", "2-licensing-p1"]:
        assert f'id="{anchor}"' in html
        assert f'href="#{anchor}"' in html
    assert '<h2 lang="en" dir="auto">Principles for community networks' in html
    assert '<h3 lang="en" dir="auto">1. Spectrum' in html
    assert "<p>Regulators should reserve spectrum for community networks.</p>" in html


def test_user_markdown_is_sanitised_on_the_version_page(client, draft, secretariat):
    version = publish_draft_version(
        actor=secretariat,
        draft=draft,
        markdown="# <script>x</script>\n\n<script>alert(1)</script> **bold**",
    )

    html = client.get(version.get_absolute_url()).content.decode()

    assert "<script>" not in html.split("</head>")[1]
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<strong>bold</strong>" in html


def test_a_missing_version_is_404(client, process, version1):
    assert client.get(url("version", process, draft="principles", number=9)).status_code == 404
    assert client.get(url("version", process, draft="nope", number=1)).status_code == 404


def test_the_draft_address_leads_to_the_latest_version(client, process, version1, secretariat):
    v2 = publish_draft_version(actor=secretariat, draft=version1.draft, markdown=V1 + "\nMore.")

    response = client.get(url("detail", process, draft="principles"))

    assert response.status_code == 302
    assert response["Location"] == v2.get_absolute_url()


def process_page_html(client, process, viewer):
    client.force_login(viewer)
    return client.get(process.get_absolute_url()).content.decode()


def test_the_process_page_lists_drafts_versions_and_diffs(client, process, version1, secretariat):
    publish_draft_version(
        actor=secretariat, draft=version1.draft, markdown=V1 + "\nMore.", note="Added more."
    )

    html = process_page_html(client, process, secretariat)

    assert "Draft principles" in html
    assert url("version", process, draft="principles", number=2) in html
    assert url("diff", process, draft="principles", a=1, b=2) in html
    assert "Added more." in html
    assert url("create", process) in html
    assert url("publish", process, draft="principles") in html


def test_unpublished_drafts_and_secretariat_links_are_hidden_from_others(
    client, process, draft, participant
):
    html = process_page_html(client, process, participant)

    assert "Draft principles" not in html
    assert "No draft has been published yet." in html
    assert url("create", process) not in html
    assert client.get(url("detail", process, draft="principles")).status_code == 404


def test_the_diff_page_shows_counts_statuses_and_word_changes(
    client, process, version1, secretariat
):
    text = V1.replace("simple and cheap", "simple, free & fast").replace(
        "## 2. Licensing", "## 3. Funding\n\nPublic funds <b>help</b>.\n\n## 2. Licensing"
    )
    publish_draft_version(actor=secretariat, draft=version1.draft, markdown=text)

    response = client.get(url("diff", process, draft="principles", a=1, b=2))

    html = response.content.decode()
    assert response.status_code == 200
    assert "2 sections added" in html
    assert "1 section changed" in html
    assert "0 sections removed" in html
    assert 'class="section diff-added"' in html
    assert 'class="section diff-changed"' in html
    assert (
        "Licences must be <del>simple and cheap.</del><ins>simple, free &amp; fast.</ins>" in html
    )
    assert "Public funds &lt;b&gt;help&lt;/b&gt;." in html


def test_the_diff_page_shows_removed_and_moved_sections(client, process, version1, secretariat):
    text = "## 2. Licensing\n\nLicences must be simple and cheap.\n\n# Principles for community networks\n"
    publish_draft_version(actor=secretariat, draft=version1.draft, markdown=text)

    html = client.get(url("diff", process, draft="principles", a=1, b=2)).content.decode()

    assert "3 sections removed" in html
    assert 'class="section diff-removed"' in html
    assert 'class="section diff-moved"' in html


def test_the_version_picker_redirects_to_the_chosen_diff(client, process, version1):
    response = client.get(url("choose_diff", process, draft="principles"), {"a": "1", "b": "1"})

    assert response.status_code == 302
    assert response["Location"] == url("diff", process, draft="principles", a=1, b=1)
    assert (
        client.get(url("choose_diff", process, draft="principles"), {"a": "x"}).status_code == 404
    )


def test_the_secretariat_creates_a_draft_with_the_form(client, process, secretariat):
    client.force_login(secretariat)
    assert client.get(url("create", process)).status_code == 200

    response = client.post(url("create", process), {"slug": "principles", "title": "Principles"})

    assert response.status_code == 302
    assert response["Location"] == url("publish", process, draft="principles")
    assert Draft.objects.get(process=process).title == "Principles"


def test_a_duplicate_short_name_shows_a_form_error(client, process, draft, secretariat):
    client.force_login(secretariat)

    response = client.post(url("create", process), {"slug": "principles", "title": "Again"})

    assert response.status_code == 200
    assert "already has a draft with this short name" in response.content.decode()
    assert Draft.objects.count() == 1


def test_participants_get_403_on_the_secretariat_forms(client, process, version1, participant):
    client.force_login(participant)

    assert client.get(url("create", process)).status_code == 403
    assert client.post(url("create", process), {"slug": "x", "title": "X"}).status_code == 403
    assert (
        client.post(url("publish", process, draft="principles"), {"markdown": V1}).status_code
        == 403
    )
    assert Draft.objects.count() == 1
    assert DraftVersion.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, process, draft):
    response = client.get(url("publish", process, draft="principles"))

    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_typed_markdown_is_saved_unpublished_and_leads_to_the_preview(
    client, process, draft, secretariat
):
    client.force_login(secretariat)

    response = client.post(
        url("publish", process, draft="principles"), {"markdown": V1, "note": "v1"}
    )

    version = DraftVersion.objects.get(draft=draft)
    assert response.status_code == 302
    assert response["Location"] == url("preview", process, draft="principles")
    assert (version.number, version.note, version.sections.count()) == (1, "v1", 6)
    assert version.published_at is None


def test_the_publish_form_starts_with_the_previous_text(client, process, version1, secretariat):
    client.force_login(secretariat)

    html = client.get(url("publish", process, draft="principles")).content.decode()

    assert "Regulators should reserve spectrum for community networks." in html
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html


def test_an_uploaded_file_wins_over_the_text_box(client, process, draft, secretariat):
    client.force_login(secretariat)
    upload = SimpleUploadedFile("v1.md", "# مبادئ\n\nنص.".encode(), content_type="text/markdown")

    client.post(url("publish", process, draft="principles"), {"markdown": V1, "file": upload})

    version = DraftVersion.objects.get(draft=draft)
    assert list(version.sections.values_list("heading", flat=True)) == ["مبادئ", ""]


def test_empty_markdown_shows_the_error_on_the_form_and_publishes_nothing(
    client, process, draft, secretariat
):
    client.force_login(secretariat)

    response = client.post(url("publish", process, draft="principles"), {"markdown": "  "})

    assert response.status_code == 200
    assert "The draft text is empty." in response.content.decode()
    assert DraftVersion.objects.count() == 0


def test_the_process_page_includes_the_drafts_block(client, process, version1):
    html = client.get(process.get_absolute_url()).content.decode()

    assert '<h2 id="drafts">Drafts</h2>' in html
    assert version1.get_absolute_url() in html
