"""The web page (huiwu serve) used the way an office would, in a real headless Chromium.

The browser is Debian's ``chromium`` (``scripts/bootstrap.py --test`` installs it) driven by
Playwright; nothing is downloaded. Screenshots of the main pages go into a temporary folder, or
into docs/screenshots/ when HUIWU_SCREENSHOTS=1 (that is how the README's pictures are made).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import httpx
import openpyxl
import pytest

from tests.conftest import DATA, ROOT

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="需要 Debian 的 chromium：python3 scripts/bootstrap.py --test"
)
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--lang=zh-CN",
]
LONG = 120_000  # ms: LibreOffice on a busy machine


class Server:
    """A huiwu page on a free port, in a thread, over a workspace folder."""

    def __init__(self, root: Path) -> None:
        from huiwu.web.server import make_server

        self.root = root
        self.server, self.address = make_server(root)
        self.base = self.address.split("/?")[0]
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return
            time.sleep(0.05)
        raise RuntimeError("server did not start")

    @property
    def token(self) -> str:
        return self.address.split("token=")[1]

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("workspace")
    shutil.copytree(DATA / "annual-assessment", root / "考核通报会")
    running = Server(root)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as play:
        launched = play.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server: Server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 820},
        accept_downloads=True,
        locale="zh-CN",
        bypass_csp=True,  # Playwright's own waits evaluate script text; see the test below
    )
    opened = context.new_page()
    opened.goto(server.address)
    yield opened
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("HUIWU_SCREENSHOTS") == "1":
        folder = ROOT / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("screenshots")


def screenshot(page, folder: Path, name: str) -> Path:
    """A small palette PNG of the page as it is now."""
    from PIL import Image

    image = Image.open(io.BytesIO(page.screenshot()))
    path = folder / f"{name}.png"
    image.convert("RGB").quantize(colors=128).save(path, optimize=True)
    return path


def open_meeting(page, server: Server, meeting: str, tab: str = "definition"):
    page.goto(f"{server.base}/m/{meeting}#{tab}")
    page.wait_for_function("document.querySelector('.cm-content').innerText.includes('meeting:')")
    return page


def new_meeting(page, server: Server, name: str, example: str) -> None:
    page.goto(server.base + "/")
    page.fill("input[name=name]", name)
    page.select_option("select[name=example]", example)
    page.click("#new-meeting button[type=submit]")
    page.wait_for_url(re.compile(r"/m/"))
    page.wait_for_function("document.querySelector('.cm-content').innerText.includes('meeting:')")


def test_create_meeting_from_an_example(page, server: Server, shots: Path) -> None:
    page.wait_for_selector("text=2012年度全县人口和计划生育目标管理考核结果通报会")
    page.wait_for_selector("#meetings td.problems.good, #meetings td.problems.warn", timeout=LONG)
    new_meeting(page, server, "动员大会", "mobilisation")
    definition = server.root / "动员大会" / "meeting.yaml"
    assert definition.read_text("utf-8") == (DATA / "mobilisation" / "meeting.yaml").read_text(
        "utf-8"
    )
    assert "全镇生殖健康进家庭" in page.inner_text(".cm-content")
    page.goto(server.base + "/")
    page.wait_for_selector("text=2012年全镇生殖健康进家庭秋季计生优质服务活动动员大会")
    page.wait_for_function(
        "[...document.querySelectorAll('#meetings td.problems')].every(c => c.className.includes(' '))",
        timeout=LONG,
    )
    screenshot(page, shots, "meetings")


def _line(page, number: int):
    return page.locator(".cm-line").nth(number - 1)


def test_an_error_is_marked_at_its_line_and_fixed(page, server: Server, shots: Path) -> None:
    meeting = "错误标记"
    new_meeting(page, server, meeting, "mobilisation")
    assert "date: 2012-09-20" in _line(page, 6).inner_text()
    _line(page, 6).click()
    page.keyboard.press("End")
    page.keyboard.type("x")
    page.wait_for_selector(".cm-lint-marker-error", timeout=LONG)
    issue = page.locator("#issues li.error").first
    issue.wait_for()
    assert "第 6 行" in issue.inner_text()
    assert "日期" in issue.inner_text()
    page.wait_for_selector("#help:has-text('会议日期')")  # the schema's own description
    screenshot(page, shots, "definition")
    page.locator(".cm-line").first.click()
    issue.click()  # jumps to the line of the problem
    assert "2012-09-20x" in page.inner_text(".cm-activeLine")
    page.keyboard.press("End")
    page.keyboard.press("Backspace")
    page.wait_for_selector("#check-state:has-text('检查通过')", timeout=LONG)
    assert page.locator(".cm-lint-marker-error").count() == 0


def test_the_form_writes_into_the_definition_keeping_comments(page, server: Server) -> None:
    meeting = "表格"
    new_meeting(page, server, meeting, "mobilisation")
    page.wait_for_selector("#yearly input[name='facts.venue']")
    page.fill("#yearly input[name='facts.venue']", "镇政府二楼会议室")
    page.fill("#yearly input[name='facts.date']", "2013-09-19")
    page.fill("#yearly input[name='leaders']", "许国华、胡明")
    page.click("#form-apply")
    page.wait_for_function("document.querySelector('.cm-content').innerText.includes('二楼会议室')")
    page.click("#save")
    page.wait_for_selector("#save-state:has-text('已保存')")
    saved = (server.root / meeting / "meeting.yaml").read_text("utf-8")
    assert "venue: 镇政府二楼会议室" in saved
    assert "date: 2013-09-19" in saved
    assert "leaders: [许国华, 胡明]" in saved
    assert "weekday" not in saved  # the old weekday would contradict the new date
    assert saved.startswith("# 青石镇秋季计生优质服务活动动员大会")  # comments kept
    assert '  time: "9:00"' in saved  # quoting kept
    versions = list((server.root / meeting / "历史版本").iterdir())
    assert len(versions) == 1
    assert "镇政府三楼会议室" in versions[0].read_text("utf-8")
    page.wait_for_selector("#check-state:has-text('检查通过')", timeout=LONG)


def test_a_stale_save_is_refused(page, browser, server: Server) -> None:
    meeting = "两个标签页"
    new_meeting(page, server, meeting, "mobilisation")
    other = page.context.new_page()
    open_meeting(other, server, meeting)
    for tab, word in ((page, "甲"), (other, "乙")):
        _line(tab, 9).click()
        tab.keyboard.press("End")
        tab.keyboard.type(word)
    page.click("#save")
    page.wait_for_selector("#save-state:has-text('已保存')")
    other.click("#save")
    other.wait_for_selector("#toast:has-text('已被修改')")
    assert "未保存" in other.inner_text("#save-state")
    saved = (server.root / meeting / "meeting.yaml").read_text("utf-8")
    assert "甲" in saved.splitlines()[8] and "乙" not in saved


def _broken_workbook(folder: Path) -> Path:
    book = openpyxl.load_workbook(DATA / "annual-assessment" / "指标.xlsx")
    book["数据"]["C3"] = "二十一人"
    path = folder / "填好的指标.xlsx"
    book.save(path)
    return path


def test_a_workbook_with_a_bad_cell_names_it(page, server: Server, tmp_path: Path, shots) -> None:
    open_meeting(page, server, "考核通报会", "workbook")
    page.wait_for_selector("#figures table", timeout=LONG)
    page.set_input_files("#workbook-file", str(_broken_workbook(tmp_path)))
    issue = page.locator("#workbook-issues li.error").first
    issue.wait_for(timeout=LONG)
    assert "数据!C3" in issue.inner_text()
    good = DATA / "annual-assessment" / "指标.xlsx"
    page.set_input_files("#workbook-file", str(good))
    page.wait_for_selector("#toast:has-text('检查通过')", timeout=LONG)
    page.wait_for_selector("#figures td:has-text('城关镇')", timeout=LONG)
    screenshot(page, shots, "workbook")


def test_uploads_are_checked_by_content_and_size(page, server: Server, tmp_path: Path) -> None:
    open_meeting(page, server, "考核通报会", "workbook")
    fake = tmp_path / "指标.xlsx"
    fake.write_text("单位,出生人数\n城关镇,13\n", encoding="utf-8")
    page.set_input_files("#workbook-file", str(fake))
    page.wait_for_selector("#workbook-issues li:has-text('不是Excel 工作簿')")
    status, message = page.evaluate(
        """async () => {
            const body = new Uint8Array(21 * 1024 * 1024);
            const r = await fetch(location.pathname.replace('/m/', '/api/m/') + '/workbook',
              {method: 'PUT', body, headers: {'X-Huiwu-CSRF': CSRF}});
            return [r.status, (await r.json()).error];
        }"""
    )
    assert status == 413
    assert "文件太大" in message
    workbook = server.root / "考核通报会" / "指标.xlsx"
    assert workbook.read_bytes() == (DATA / "annual-assessment" / "指标.xlsx").read_bytes()


def test_preview_shows_every_document_as_pages(page, server: Server, shots: Path) -> None:
    open_meeting(page, server, "考核通报会", "preview")
    page.wait_for_selector("#previews .document img", timeout=LONG)
    names = page.locator("#previews .document h4").all_inner_texts()
    assert any(name.startswith("会议通知") for name in names)
    first = page.locator("#previews img").first
    first.wait_for()
    page.wait_for_function(
        "[...document.querySelectorAll('#previews img')].slice(0, 4).every(i => i.naturalWidth > 500)",
        timeout=LONG,
    )
    screenshot(page, shots, "preview")
    first.click()
    assert page.locator("#lightbox").is_visible()


def test_build_and_download_the_zip(page, server: Server, tmp_path: Path, shots: Path) -> None:
    open_meeting(page, server, "考核通报会", "build")
    page.uncheck("#with-pdf")
    page.click("#build")
    page.wait_for_selector("#download-zip", timeout=LONG)
    page.wait_for_selector("#files li")
    screenshot(page, shots, "build")
    with page.expect_download() as download:
        page.click("#download-zip")
    archive = tmp_path / "packet.zip"
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as packet:
        documents = [n for n in packet.namelist() if n.endswith(".docx")]
        assert any(n.endswith("会议通知.docx") for n in documents)
        for name in documents:
            text = "\n".join(
                p.text for p in docx.Document(io.BytesIO(packet.read(name))).paragraphs
            )
            if name.endswith("会议通知.docx"):
                assert "2012年度全县人口和计划生育目标管理考核结果通报会" in text
    with page.expect_download() as single:
        page.locator("#files a", has_text="会议议程.docx").click()
    assert single.value.suggested_filename == "会议议程.docx"


def test_requests_without_the_token_or_from_another_host_are_refused(server: Server) -> None:
    bare = httpx.get(server.base + "/")
    assert bare.status_code == 403
    assert "token" in bare.text
    with httpx.Client(base_url=server.base) as client:
        assert client.get(f"/?token={server.token}").status_code == 303
        assert client.get("/").status_code == 200
        other = client.get("/", headers={"Host": "evil.example:80"})
        assert other.status_code == 421
        unguarded = client.put("/api/m/考核通报会/definition", json={"text": "x"})
        assert unguarded.status_code == 403
        assert (server.root / "考核通报会" / "meeting.yaml").read_text("utf-8") != "x"


def test_paths_stay_inside_the_workspace(server: Server, tmp_path: Path) -> None:
    outside = tmp_path / "外面"
    outside.mkdir()
    shutil.copy(DATA / "mobilisation" / "meeting.yaml", outside / "meeting.yaml")
    (server.root / "链接").symlink_to(outside)
    with httpx.Client(base_url=server.base) as client:
        client.get(f"/?token={server.token}")
        assert client.get("/api/m/链接/definition").status_code == 403
        assert client.get("/api/m/..%2F..%2Fetc/definition").status_code in (400, 404)
        escape = client.get("/m/考核通报会/download/../../meeting.yaml")
        assert escape.status_code in (403, 404)
        page = client.get("/m/考核通报会").text
        csrf = page.split('name="csrf" content="')[1].split('"')[0]
        reply = client.post(
            "/api/m/考核通报会/check",
            json={"text": f"extends: {outside / 'meeting.yaml'}\n"},
            headers={"X-Huiwu-CSRF": csrf},
        )
        (issue,) = reply.json()["issues"]
        assert "工作文件夹以外" in issue["message"]


def test_roll_a_meeting_to_next_year(page, server: Server) -> None:
    answers = iter(["考核通报会2013"])
    seen: list[str] = []

    def answer(dialog) -> None:
        seen.append(dialog.message)
        if dialog.type == "prompt":
            dialog.accept(next(answers))
        else:
            dialog.accept()

    page.on("dialog", answer)
    page.locator("button.roll[data-id='考核通报会']").click()
    page.wait_for_url(re.compile(r"/m/"))
    page.wait_for_function("document.querySelector('.cm-content').innerText.includes('待填')")
    assert any("请填写" in message for message in seen)
    rolled = (server.root / "考核通报会2013" / "meeting.yaml").read_text("utf-8")
    assert "date: 待填" in rolled
    page.wait_for_selector("#issues li.error", timeout=LONG)  # the dates to fill in are listed


def test_templates_show_their_fields_and_uploads_are_checked(
    page, server: Server, tmp_path: Path, shots: Path
) -> None:
    from huiwu.templates import BUILTIN_DIR

    open_meeting(page, server, "考核通报会", "templates")
    page.wait_for_selector("#fields td code:has-text('{{ meeting }}')", timeout=LONG)
    page.select_option("#template-kind", "notice")
    broken = docx.Document(str(BUILTIN_DIR / "notice.docx"))
    broken.add_paragraph("{{ 没有这个名字 }}")
    bad = tmp_path / "notice.docx"
    broken.save(str(bad))
    page.set_input_files("#template-file", str(bad))
    page.wait_for_selector("#template-issues li.error", timeout=LONG)
    assert "没有这个名字" in page.inner_text("#template-issues")
    assert not (server.root / "考核通报会" / "模板" / "notice.docx").exists()
    edited = docx.Document(str(BUILTIN_DIR / "notice.docx"))
    edited.add_paragraph("（本通知由办公室自拟模板生成）")
    good = tmp_path / "good" / "notice.docx"
    good.parent.mkdir()
    edited.save(str(good))
    page.set_input_files("#template-file", str(good))
    page.wait_for_selector("#toast:has-text('模板已上传')", timeout=LONG)
    page.wait_for_timeout(3500)  # the message fades
    screenshot(page, shots, "templates")
    assert (server.root / "考核通报会" / "模板" / "notice.docx").is_file()
    (server.root / "考核通报会" / "模板" / "notice.docx").unlink()


def test_the_pages_work_under_their_content_security_policy(browser, server: Server) -> None:
    context = browser.new_context(locale="zh-CN")
    opened = context.new_page()
    messages: list[str] = []
    opened.on("console", lambda message: messages.append(message.text))
    opened.goto(server.address)
    opened.locator("#meetings td.problems.good, #meetings td.problems.warn").first.wait_for(
        timeout=LONG
    )
    opened.goto(f"{server.base}/m/考核通报会")
    opened.locator(".cm-content", has_text="meeting:").wait_for()
    opened.locator("#yearly input[name='facts.venue']").wait_for()
    opened.locator("#check-state", has_text="检查通过").wait_for(timeout=LONG)
    context.close()
    assert not [m for m in messages if "Content Security Policy" in m]


def test_blank_workbook_and_builtin_templates_download(server: Server) -> None:
    with httpx.Client(base_url=server.base) as client:
        client.get(f"/?token={server.token}")
        blank = client.get("/m/考核通报会/blank.xlsx")
        assert blank.status_code == 200
        assert "filename*=UTF-8''" in blank.headers["content-disposition"]
        book = openpyxl.load_workbook(io.BytesIO(blank.content))
        header = [cell.value for cell in next(book.worksheets[0].iter_rows(max_row=1))]
        assert "出生人数" in header
        templates = client.get("/templates.zip")
        with zipfile.ZipFile(io.BytesIO(templates.content)) as archive:
            names = archive.namelist()
        assert "模板/notice.docx" in names
        assert len(names) >= 10


def test_two_pages_at_once_keep_their_own_sessions(server: Server, tmp_path: Path) -> None:
    other = Server(tmp_path)
    try:
        with httpx.Client() as client:
            for running in (server, other):
                login = client.get(f"{running.base}/m/考核通报会?token={running.token}")
                assert login.status_code == 303
                assert (
                    login.headers["location"] == "/m/%E8%80%83%E6%A0%B8%E9%80%9A%E6%8A%A5%E4%BC%9A"
                )
            assert client.get(server.base + "/").status_code == 200
            assert client.get(other.base + "/").status_code == 200
    finally:
        other.stop()


def test_a_build_with_pdfs_has_the_volume_and_every_pdf(server: Server) -> None:
    with httpx.Client(base_url=server.base, timeout=60) as client:
        client.get(f"/?token={server.token}")
        page = client.get("/m/考核通报会").text
        csrf = page.split('name="csrf" content="')[1].split('"')[0]
        job = client.post(
            "/api/m/考核通报会/build", json={"pdf": True}, headers={"X-Huiwu-CSRF": csrf}
        ).json()
        for _ in range(1200):
            job = client.get(f"/api/jobs/{job['id']}").json()
            if job["state"] != "running":
                break
            time.sleep(0.25)
        assert job["state"] == "done", job["error"]
        assert any("PDF" in line for line in job["log"])
        files = client.get("/api/m/考核通报会/files").json()["files"]
        assert "会议材料汇编.pdf" in files
        documents = [f for f in files if f.endswith(".docx")]
        assert documents and all(f.removesuffix(".docx") + ".pdf" in files for f in documents)
        volume = client.get("/m/考核通报会/download/会议材料汇编.pdf")
        assert volume.content.startswith(b"%PDF")
