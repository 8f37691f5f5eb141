"""만들어진 책의 4.2.6절 그리기 판을 헤드리스 Chromium에서 마우스로 써 봅니다.

책은 먼저 만들어져 있어야 합니다 (위치: 환경 변수 ``CNNBOOK_HTML``, 기본 ``_build/test/_build/html``,
tests/browser/test_built_book.py 와 같음). 빈 판의 안내, 첫 획 전의 작은 판(빈 자리 없음), 마우스로 그린 숫자의 예측,
점과 낙서에 대한 한국어 안내(예측 대신), 페이지 무게,
밖으로 나가는 요청이 없음을 확인합니다. 페이지 무게는 이 페이지를 처음 열 때 받는 모든 것(HTML, 그림, 그리기 판의
가중치, 모든 페이지가 함께 쓰는 ``_static/`` 의 테마·MathJax·글꼴)을 더해 5 MB로 제한합니다.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_support import block_outside, chromium, serve

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("CNNBOOK_HTML", ROOT / "_build" / "test" / "_build" / "html"))
PAGE = "notebooks/04_2_7_digits_and_attention.html"
# 이 페이지를 처음 열 때 받는 모든 파일의 합의 상한 (테마의 아이콘 번들은 _ext/book_assets.py 가 줄임)
PAGE_LIMIT = 5 * 2**20


@pytest.fixture(scope="module")
def loaded():
    if not (HTML / PAGE).is_file():
        pytest.fail(f"만들어진 책에 {PAGE} 가 없습니다: {HTML}")
    with serve(HTML) as url, chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
        page = context.new_page()
        outside, errors, sizes = [], [], {}
        block_outside(page, outside)

        def on_response(response):
            if not response.url.startswith("data:"):
                try:
                    sizes[response.url] = len(response.body())
                except Exception:  # 리디렉션 등 본문이 없는 응답
                    pass

        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", on_response)
        page.goto(f"{url}/{PAGE}", wait_until="networkidle")
        page.wait_for_selector(".cnnbook-panel[data-ready='1']", timeout=30_000)
        yield page, outside, errors, sizes


def draw(page, strokes):
    """판 좌표(280×280)의 획들을 마우스로 그립니다."""
    pad = page.locator(".cnnbook-panel canvas.cnnbook-pad").first
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    sx, sy = box["width"] / 280, box["height"] / 280
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x * sx, box["y"] + y * sy)
        page.mouse.down()
        for (x0, y0), (x1, y1) in zip(stroke, stroke[1:]):
            for t in (0.25, 0.5, 0.75, 1.0):
                page.mouse.move(box["x"] + (x0 + t * (x1 - x0)) * sx, box["y"] + (y0 + t * (y1 - y0)) * sy)
        page.mouse.up()


def test_empty_panel_asks_for_a_digit(loaded):
    page, _, errors, _ = loaded
    panel = page.locator(".cnnbook-panel").first
    panel.locator("button.cnnbook-clear").click()
    assert "그려" in panel.locator(".cnnbook-message").inner_text()
    # 빈 판으로 예측을 부르면 추측 대신 안내가 나옵니다
    page.evaluate("id => window.cnnbookPanels[id].predict()", panel.get_attribute("id"))
    assert "비어" in panel.locator(".cnnbook-message").inner_text()
    assert panel.get_attribute("data-prediction") == ""
    assert not errors


REFUSED = "숫자로 보기 어렵습니다"


def test_no_blank_area_before_the_first_stroke(loaded):
    page, _, errors, _ = loaded
    panel = page.locator(".cnnbook-panel").first
    panel.locator("button.cnnbook-clear").click()
    # 결과 칸(28×28 입력, 확률 막대, 특징 맵)은 첫 획 전에는 자리도 차지하지 않습니다
    assert all(not el.is_visible() for el in panel.locator(".cnnbook-result").all())
    pad = panel.locator("canvas.cnnbook-pad").bounding_box()
    # 판 아래에는 지우기 단추와 안내 한두 줄만 (책의 글꼴은 더 크므로 단위 테스트보다 넉넉히)
    assert panel.bounding_box()["height"] < pad["height"] + 160, (panel.bounding_box(), pad)
    assert not errors


@pytest.mark.parametrize("strokes, kind, advice", [
    ([[(140, 140)]], "small", "크게"),  # 점 하나
    ([[(40 + (i % 2) * 200, 40 + i * 10) for i in range(21)]], "dense", "가는 획"),  # 칸을 채운 낙서
])
def test_dot_and_scribble_are_refused(loaded, strokes, kind, advice):
    page, _, errors, _ = loaded
    panel = page.locator(".cnnbook-panel").first
    panel.locator("button.cnnbook-clear").click()
    draw(page, strokes)
    message = panel.locator(".cnnbook-message").inner_text()
    assert message.startswith(REFUSED) and advice in message, message
    assert panel.get_attribute("data-prediction") == ""
    assert panel.get_attribute("data-refused") == kind
    assert not panel.locator(".cnnbook-bars").is_visible()
    assert not errors


def test_drawn_one_is_read(loaded):
    page, _, errors, _ = loaded
    panel = page.locator(".cnnbook-panel").first
    panel.locator("button.cnnbook-clear").click()
    draw(page, [[(140, 40), (140, 240)]])  # 세로 막대 하나: 1
    assert panel.get_attribute("data-prediction") == "1"
    assert panel.get_attribute("data-refused") == ""
    assert "예측: 1" in panel.locator(".cnnbook-message").inner_text()
    assert panel.locator(".cnnbook-result").first.is_visible()
    assert not errors


def test_drawn_seven_gets_a_prediction(loaded):
    page, _, errors, _ = loaded
    panel = page.locator(".cnnbook-panel").first
    panel.locator("button.cnnbook-clear").click()
    draw(page, [[(70, 50), (210, 50), (120, 240)]])
    prediction = panel.get_attribute("data-prediction")
    assert prediction in {str(d) for d in range(10)}
    # conv1 특징 맵 32개가 그려졌습니다
    assert panel.locator(".cnnbook-maps canvas").count() == 32
    assert not errors


def test_page_weight_and_offline(loaded):
    _, outside, _, sizes = loaded
    total = sum(sizes.values())
    own = sum(size for url, size in sizes.items() if "/_static/" not in url)
    print(f"페이지 무게: 자기 내용 {own / 2**20:.2f} MB, 함께 쓰는 _static 포함 {total / 2**20:.2f} MB ({len(sizes)}개 파일)")
    for url, size in sorted(sizes.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {size / 2**20:6.2f} MB  {url.split('/', 3)[-1][:90]}")
    assert not outside, outside
    assert total <= PAGE_LIMIT, sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
