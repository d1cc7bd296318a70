"""Benchmark: does the web page (huiwu serve) feel live?

Run by hand from the repository root (never part of the tests)::

    .venv/bin/python bench/web.py

Starts the page on a copy of data/ (as ``huiwu serve data`` would, LibreOffice kept running) and
times, over HTTP as a browser asks:

- page load: the meetings page and one meeting's page with its script and the editor bundle
  (target < 1 s);
- a check of the largest example's unsaved text, warm (target < 0.3 s);
- the previews after editing one document's text, warm: only that document goes through
  LibreOffice again (target < 2 s);
- with Playwright and Debian's chromium installed, in a real browser: opening the meeting's page
  until the definition is in the editor, and until the first check's verdict is shown (the
  editor waits 0.4 s after the last change before checking).

Each figure is the median of several runs, in seconds.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _median(action, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _browser_figures(address: str, base: str, meeting: str) -> None:
    """In Debian's Chromium, when it and Playwright are installed: from opening the meeting's
    page to the definition in the editor, and to the first check's verdict on screen."""
    chromium = Path("/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return
    if not chromium.exists():
        return
    with sync_playwright() as play:
        browser = play.chromium.launch(
            executable_path=str(chromium), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.goto(address)
        shown, checked = [], []
        for _ in range(5):
            start = time.perf_counter()
            page.goto(f"{base}/m/{meeting}")
            page.locator(".cm-content", has_text="meeting:").wait_for()
            shown.append(time.perf_counter() - start)
            page.locator("#issue-count", has_text="（").wait_for(timeout=60_000)
            checked.append(time.perf_counter() - start)
        browser.close()
    print(f"浏览器里打开会议页到显示定义：{statistics.median(shown):.3f} s（目标 < 1 s）")
    print(f"浏览器里打开会议页到显示检查结果：{statistics.median(checked):.3f} s")


def main() -> int:
    from huiwu.web.server import make_server

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "data"
        shutil.copytree(ROOT / "data", root)
        largest = max(root.glob("*/meeting.yaml"), key=lambda p: len(p.read_bytes())).parent.name
        server, address = make_server(root)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = address.split("/?")[0]
        csrf_client = httpx.Client(base_url=base, timeout=120)
        csrf_client.get(address.removeprefix(base))
        page = csrf_client.get(f"/m/{largest}").text
        csrf = page.split('name="csrf" content="')[1].split('"')[0]
        headers = {"X-Huiwu-CSRF": csrf}

        def load_pages() -> None:
            for url in ("/", f"/m/{largest}", "/static/vendor/codemirror.js", "/static/meeting.js"):
                csrf_client.get(url).raise_for_status()
            csrf_client.get(f"/api/m/{largest}/definition").raise_for_status()

        text = csrf_client.get(f"/api/m/{largest}/definition").json()["text"]

        def check() -> None:
            csrf_client.post(
                f"/api/m/{largest}/check", json={"text": text}, headers=headers
            ).raise_for_status()

        counter = [0]

        def preview_after(edit):
            def run() -> None:
                counter[0] += 1
                reply = csrf_client.post(
                    f"/api/m/{largest}/preview", json={"text": edit(counter[0])}, headers=headers
                )
                reply.raise_for_status()

            return run

        # One document: a decision of the minutes (会议纪要) only; several: the venue, which the
        # agenda, the hosting script, the sign-in sheet and the minutes all state.
        decision = "综合得分排名表。"
        one = preview_after(lambda n: text.replace(decision, f"综合得分排名表（第{n}稿）。", 1))
        several = preview_after(lambda n: text.replace("venue: ", f"venue: 第{n}", 1))

        print(f"工作文件夹：{root}，最大的示例：{largest}")
        print(
            f"页面载入（会议列表 + 会议页 + 编辑器脚本）：{_median(load_pages):.3f} s（目标 < 1 s）"
        )
        check()
        print(f"检查最大的示例（未保存的文字，热）：{_median(check):.3f} s（目标 < 0.3 s）")
        start = time.perf_counter()
        csrf_client.post(f"/api/m/{largest}/preview", json={"text": text}, headers=headers)
        print(f"首次预览全部材料（冷，含 LibreOffice 启动）：{time.perf_counter() - start:.3f} s")
        print(f"改一份材料后预览（只有它重新排版，热）：{_median(one):.3f} s（目标 < 2 s）")
        print(f"改会议地点后预览（几份材料重新排版，热）：{_median(several):.3f} s")
        _browser_figures(address, base, largest)
        server.should_exit = True
        thread.join(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
