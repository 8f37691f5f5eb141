"""만들어진 HTML 책을 실제 헤드리스 Chromium으로 열어 봅니다.

책은 먼저 만들어져 있어야 합니다 (scripts/test.sh 가 빠른 모드로 만듦). 위치는 환경 변수
``CNNBOOK_HTML`` (기본 ``_build/test/_build/html``). 페이지마다 스크린샷을 ``<html>/../screenshots/`` 에 남깁니다.
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("CNNBOOK_HTML", ROOT / "_build" / "test" / "_build" / "html"))
SCREENSHOTS = HTML.parent / "screenshots"
# Jupyter Book 1.x가 모든 페이지에서 같은 스크립트를 두 번 넣어 생기는 알려진 오류 하나만 거릅니다.
KNOWN_CONSOLE_ERROR = "Identifier 'THEBE_JS_URL' has already been declared"
HANGUL = re.compile("[\uac00-\ud7a3]")
PAGES = sorted(
    str(p.relative_to(HTML))
    for p in HTML.glob("**/*.html")
    if p.name not in {"genindex.html", "search.html", "index.html"}
    and not any(part.startswith((".", "_")) for part in p.relative_to(HTML).parts)
) if HTML.is_dir() else []


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.skip("Chromium이 없습니다 (apt-get install chromium)")


@pytest.fixture(scope="module")
def server():
    if not PAGES:
        pytest.fail(f"만들어진 책이 없습니다: {HTML}")
    handler = functools.partial(QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=find_chromium(), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def open_page(browser, server, page_name):
    """페이지를 열고 (page, 밖으로 나간 요청, 콘솔 오류) 를 돌려줍니다."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page = context.new_page()
    outside, errors = [], []

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith("data:") or host in {"127.0.0.1", "localhost"}:
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"HTTP {r.status}: {r.url}"))
    page.goto(f"{server}/{page_name}", wait_until="networkidle")
    return page, outside, errors


@pytest.mark.parametrize("page_name", PAGES)
def test_page_loads_offline_and_renders(browser, server, page_name):
    page, outside, errors = open_page(browser, server, page_name)
    # 수식: MathJax가 조판을 마칠 때까지 기다립니다.
    has_math = page.locator(".math").count() > 0
    if has_math:
        page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20000)
        page.evaluate("MathJax.startup.promise")
        assert page.locator("mjx-container").count() > 0, "수식이 조판되지 않았습니다"
    # 위젯: 저장된 위젯 상태가 있으면 실제 위젯으로 그려져야 합니다.
    if page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count():
        page.wait_for_selector(".jupyter-widgets", timeout=20000)
    page.wait_for_timeout(300)
    broken = page.evaluate(
        "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))"
    )
    text = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / (page_name.replace("/", "__") + ".png")), full_page=True)
    page.context.close()

    assert not outside, f"밖으로 나간 요청: {outside[:5]}"
    assert not broken, f"불러오지 못한 그림: {broken}"
    assert len(HANGUL.findall(text)) > 50, "한국어 본문이 거의 없습니다"
    own_errors = [e for e in errors if KNOWN_CONSOLE_ERROR not in e]
    assert not own_errors, f"콘솔 오류: {own_errors[:12]}"


def test_notebook_pages_offer_colab(browser, server):
    notebook_pages = [p for p in PAGES if p.startswith("notebooks/")]
    assert notebook_pages, "노트북 페이지가 없습니다"
    for name in notebook_pages:
        page, _, _ = open_page(browser, server, name)
        assert page.locator('a[href*="colab.research.google.com"]').count() > 0, f"{name}: Colab 단추가 없습니다"
        page.context.close()


def test_widgets_and_players_move_without_a_kernel(browser, server):
    """재생기가 있는 페이지에서 '다음 장면' 단추를 누르면 그림이 바뀌어야 합니다."""
    checked = 0
    for name in [p for p in PAGES if p.startswith("notebooks/")]:
        page, _, _ = open_page(browser, server, name)
        players = page.locator("div.animation")
        for index in range(players.count()):
            player = players.nth(index)
            image = player.locator("img").first
            before = image.get_attribute("src")
            player.locator("button[title='다음 장면']").first.click()
            page.wait_for_timeout(200)
            if image.get_attribute("src") == before:  # 기본 장면이 마지막 장면이면
                player.locator("button[title='첫 장면']").first.click()
                page.wait_for_timeout(200)
            assert image.get_attribute("src") != before, f"{name}: 재생기 {index + 1}가 움직이지 않습니다"
            checked += 1
        page.context.close()
    assert checked > 0, "움직여 볼 재생기가 하나도 없습니다"
