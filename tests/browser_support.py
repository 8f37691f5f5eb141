"""브라우저 테스트가 함께 쓰는 도구: Chromium 찾기, 로컬 HTTP 서버, 밖으로 나가는 요청 막기.

책과 슬라이드는 ``file://`` 가 아니라 ``http://127.0.0.1`` 로 엽니다 (함께 배포한 위젯 JavaScript가
``file://`` 에서는 동작하지 않습니다). tests/ 폴더는 tests/conftest.py 덕분에 ``sys.path`` 에 있으므로
``from browser_support import ...`` 로 씁니다.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def find_chromium() -> str:
    """시스템의 Chromium 경로. 없으면 설치 방법을 알리며 건너뜁니다."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("Chromium이 없습니다 (apt-get install chromium)")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(folder: Path | str):
    """``folder`` 를 127.0.0.1의 빈 포트로 내보내고 그 주소(``http://127.0.0.1:포트``)를 줍니다."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@contextlib.contextmanager
def chromium():
    """헤드리스 Chromium (playwright로 시스템 Chromium을 띄움)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def block_outside(page, outside: list, allowed_schemes: tuple = ("data:",)) -> None:
    """로컬 서버가 아닌 곳으로 가는 요청을 막고 그 주소를 ``outside`` 에 모읍니다."""

    def route(r):
        url = r.request.url
        if url.startswith(allowed_schemes) or urlparse(url).hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    page.route("**/*", route)
