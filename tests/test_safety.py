"""A template cannot reach out: while ``huiwu build --pdf`` runs, nothing connects to a listener
on this machine that the template points at — a link LibreOffice would fetch is refused before
anything runs, and an ordinary hyperlink (allowed) is printed, never fetched."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from huiwu.render.safety import findings_in

from tests.conftest import EXAMPLES, run_cli
from tests.test_corpus import UNSAFE_TEMPLATES, picture, with_parts


@contextmanager
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A TCP listener on 127.0.0.1: its base URL, and the first bytes of every request."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    requests: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    requests.append(connection.recv(200) or b"(connected)")
                except OSError:
                    requests.append(b"(connected)")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", requests
    finally:
        stop.set()
        thread.join()
        server.close()


def _templates(tmp_path: Path, edit) -> Path:
    folder = tmp_path / "模板"
    assert run_cli("templates", folder)[0] == 0
    edit(folder / "agenda.docx")
    return folder


def test_a_template_linking_a_picture_on_the_network_is_refused_and_nothing_is_fetched(tmp_path):
    with listener() as (url, requests):
        edit = with_parts(picture('r:link="rIdX"'), ("image", f"{url}/logo.png", True))
        folder = _templates(tmp_path, edit)
        out = tmp_path / "out"
        status, _, err = run_cli(
            "build", EXAMPLES["mobilisation"], "-o", out, "--templates", folder, "--pdf"
        )
    assert status == 1, err
    assert f"{folder / 'agenda.docx'}: 模板里有不允许的内容" in err
    assert f"位于 word/document.xml：{url}/logo.png" in err
    assert requests == [], "no request reached the listener"
    assert not out.exists()


def test_the_listener_would_see_libreoffice_fetch_an_unchecked_template(tmp_path, monkeypatch):
    """The control: with the inspection switched off, LibreOffice does fetch the picture, so
    an empty listener above means something."""
    import huiwu.render.renderer

    monkeypatch.setattr(huiwu.render.renderer, "inspect_template", lambda path: None)
    with listener() as (url, requests):
        edit = with_parts(picture('r:link="rIdX"'), ("image", f"{url}/logo.png", True))
        folder = _templates(tmp_path, edit)
        out = tmp_path / "out"
        args = ("-o", out, "--templates", folder, "--pdf", "--only", "agenda")
        status, _, err = run_cli("build", EXAMPLES["mobilisation"], *args)
    assert status == 0, err
    assert any(b"/logo.png" in request for request in requests), requests


def test_a_hyperlink_is_printed_and_never_fetched(tmp_path):
    with listener() as (url, requests):
        link = (
            '<w:hyperlink r:id="rIdX"><w:r><w:t xml:space="preserve">网上报名</w:t></w:r>'
            "</w:hyperlink>"
        )
        edit = with_parts(link, ("hyperlink", f"{url}/signup", True))
        folder = _templates(tmp_path, edit)
        out = tmp_path / "out"
        status, _, err = run_cli(
            "build",
            EXAMPLES["mobilisation"],
            "-o",
            out,
            "--templates",
            folder,
            "--pdf",
            "--only",
            "agenda",
        )
    assert status == 0, err
    assert (out / "会议议程.pdf").stat().st_size > 0
    assert requests == [], "LibreOffice fetched nothing while converting"


@pytest.mark.parametrize("name", sorted(UNSAFE_TEMPLATES))
def test_huiwu_pdf_refuses_documents_that_reach_out(name, tmp_path):
    edit, pattern = UNSAFE_TEMPLATES[name]
    folder = _templates(tmp_path, edit)
    document = folder / "agenda.docx"
    assert list(findings_in(document)), "the inspection finds it"
    status, _, err = run_cli("pdf", document, "-o", tmp_path / "pdf")
    assert status == 1, err
    assert f"{document}: 文档里有不允许的内容" in err
    assert re.search(pattern, err), err
    assert not (tmp_path / "pdf").exists()


def test_the_built_in_templates_are_plain_documents():
    from huiwu.templates import BUILTIN_DIR

    for template in sorted(BUILTIN_DIR.glob("*.docx")):
        assert list(findings_in(template)) == [], template.name


def test_what_word_and_libreoffice_save_in_ordinary_documents_is_allowed(tmp_path):
    """A text box (drawing and VML fallback, whose positions are text nodes too), a picture
    stored in the file with the path it was pasted from, and a mail merge without a data
    source are not reaching out."""
    box = (
        '<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/'
        'drawingml/2006/wordprocessingDrawing"><wp:positionH relativeFrom="column"><wp:posOffset>'
        "-1224915</wp:posOffset></wp:positionH></wp:anchor></w:drawing><w:t>会议须知</w:t></mc:Choice>"
        '<mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="margin-left:-96.45pt">'
        '<v:imagedata xmlns:o="urn:schemas-microsoft-com:office:office" r:id="rIdStyles" '
        'o:href="file:///C:/Users/a/AppData/Local/Temp/clip_image001.png"/></v:shape></w:pict>'
        "<w:t>会议 须知</w:t></mc:Fallback></mc:AlternateContent></w:r>"
    )
    folder = _templates(tmp_path, with_parts(box))
    document = folder / "agenda.docx"
    assert list(findings_in(document)) == []
    out = tmp_path / "out"
    args = ("-o", out, "--templates", folder, "--only", "agenda")
    status, _, err = run_cli("build", EXAMPLES["mobilisation"], *args)
    assert status == 0, err
