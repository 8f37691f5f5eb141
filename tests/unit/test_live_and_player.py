"""위젯 틀(live_widget)과 정적 재생기(frames_player)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnbook import BookError  # noqa: E402
from cnnbook.errors import require  # noqa: E402
from cnnbook.live import live_widget  # noqa: E402
from cnnbook.player import frames_player  # noqa: E402


class RowView:
    """행 하나만 밝히는 5×5 그림; 호출 기록을 남깁니다."""

    def __init__(self):
        self.fig, ax = plt.subplots(figsize=(2, 2))
        self.image = ax.imshow(np.zeros((5, 5)), vmin=0, vmax=1)
        self.calls = []

    def update(self, row):
        require(0 <= row < 5, f"행 번호는 0–4 이어야 합니다: {row}")
        self.calls.append(row)
        grid = np.zeros((5, 5))
        grid[row] = 1
        self.image.set_data(grid)


def test_live_widget_updates_the_same_figure():
    view = RowView()
    slider = widgets.IntSlider(value=1, min=0, max=9)
    box = live_widget(view, {"row": slider})
    slider.value = 3
    assert view.calls == [1, 3]
    assert isinstance(box, widgets.VBox)
    assert view.image.get_array()[3].sum() == 5


def test_live_widget_survives_bad_input():
    view = RowView()
    slider = widgets.IntSlider(value=0, min=0, max=9)
    live_widget(view, {"row": slider})
    slider.value = 7  # update 가 BookError를 내도 위젯은 죽지 않습니다
    assert view.calls == [0]


def test_player_has_html_png_and_alt_text():
    player = frames_player(RowView(), "row", [0, 1, 2], alt="행 재생기 <예>")
    bundle = player._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/png", "text/plain"}
    assert 'alt="행 재생기 &lt;예&gt;"' in bundle["text/html"]
    assert bundle["text/html"].count("data:image/png;base64") >= 3


def test_player_needs_no_internet_and_speaks_korean():
    html = frames_player(RowView(), "row", [0, 1])._repr_mimebundle_()["text/html"]
    assert "font-awesome" not in html and "https://" not in html
    assert 'title="다음 장면"' in html and 'class="fa' not in html


def test_player_starts_at_the_default_frame():
    html = frames_player(RowView(), "row", [0, 1, 2], default=2)._repr_mimebundle_()["text/html"]
    assert ".set_frame(2);" in html


def test_player_rejects_unknown_default():
    with pytest.raises(BookError, match="기본값"):
        frames_player(RowView(), "row", [0, 1], default=4)
    with pytest.raises(BookError, match="하나도 없습니다"):
        frames_player(RowView(), "row", [])


def test_player_frames_are_recompressed_without_losing_a_pixel():
    """장면 PNG는 더 작아지지만 픽셀은 그대로입니다: 색이 적은 장면은 팔레트 PNG, 색 지도는 색을 줄이지 않음."""
    import base64
    import io

    from matplotlib.animation import FuncAnimation
    from PIL import Image

    from cnnbook.player import FRAME, compact_frames, palette_png

    def decode(b64):
        return np.asarray(Image.open(io.BytesIO(base64.b64decode(b64.replace("\\\n", "")))).convert("RGB"))

    fig, ax = plt.subplots()
    image = ax.imshow(np.random.default_rng(0).random((28, 28)), cmap="viridis")
    fig.colorbar(image)
    animation = FuncAnimation(fig, lambda i: [image.set_data(np.full((28, 28), i / 3))], frames=3)
    html = animation.to_jshtml()
    plt.close(fig)
    small = compact_frames(html)
    before, after = FRAME.findall(html), FRAME.findall(small)
    assert len(after) == len(before) == 3 and len(small) <= len(html)
    for old, new in zip(before, after):
        assert np.array_equal(decode(old[1]), decode(new[1]))  # 손실 없음 (색 막대의 색까지)
    # 색이 적은 그림(여기서는 네 칸짜리 그림)은 팔레트 PNG가 됩니다
    fig, ax = plt.subplots()
    ax.imshow(np.arange(4).reshape(2, 2), interpolation="nearest")
    ax.axis("off")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    packed = palette_png(buffer.getvalue())
    assert Image.open(io.BytesIO(packed)).mode == "P" and len(packed) < buffer.tell()
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(packed)).convert("RGB")),
                          np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")))


def test_render_png_draws_once_and_freezes_layout():
    """위젯의 다시 그리기: PNG 한 장, 첫 그림 뒤에는 constrained layout을 고정합니다."""
    import matplotlib.pyplot as plt
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    from cnnbook.live import render_png

    fig, ax = plt.subplots(figsize=(2, 1), layout="constrained", dpi=50)
    ax.plot([0, 1], [1, 0])
    assert isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)
    position = ax.get_position().bounds
    png = render_png(fig)
    assert png.startswith(b"\x89PNG")
    from PIL import Image as PILImage
    import io

    assert PILImage.open(io.BytesIO(png)).size == (100, 50)
    assert not isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)
    assert ax.get_position().bounds != position  # 첫 그림에서 배치가 정해졌고
    fixed = ax.get_position().bounds
    ax.set_title("긴 제목이 생겨도 자리는 그대로")
    render_png(fig)
    assert ax.get_position().bounds == fixed
    plt.close(fig)


def test_player_buttons_restart_when_done():
    html = frames_player(RowView(), "row", [0, 1, 2])._repr_mimebundle_()["text/html"]
    assert ".play_or_restart()" in html and ".play_animation()\"" not in html
    assert ".reverse_or_restart()" in html and ".reverse_animation()\"" not in html
    assert html.count(".play_or_restart = function") == 1


def test_play_on_the_last_frame_restarts_in_chromium(tmp_path):
    """헤드리스 Chromium: '한 번' 방식으로 끝 장면에 있을 때 ▶를 누르면 첫 장면부터 다시 재생합니다."""
    from browser_support import chromium, serve

    # 장면 간격을 아주 길게 두어, 누른 직후의 장면이 타이머에 밀려 바뀌지 않게 합니다 (바쁜 기계에서도 같은 결과)
    player = frames_player(RowView(), "row", [0, 1, 2], default=2, interval_ms=600_000)
    html = player._repr_mimebundle_()["text/html"]
    (tmp_path / "index.html").write_text(f"<!doctype html><meta charset='utf-8'><body>{html}</body>", encoding="utf-8")
    playing = "Object.keys(window).filter(k => k.startsWith('anim') && window[k] && window[k].frames)[0]"
    with serve(tmp_path) as url, chromium() as browser:
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}/index.html")
        slider, image = page.locator("input.anim-slider"), page.locator("img[id^=_anim_img]")
        page.wait_for_function("document.querySelector('input.anim-slider').value === '2'", timeout=30_000)
        assert page.locator("input[type=radio][value=once]").is_checked()  # 기본 방식은 '한 번'
        last_src = image.get_attribute("src")
        page.locator("button[title='재생']").click()
        # 누른 순간 첫 장면으로 돌아가 재생 중입니다 (고치기 전에는 끝 장면 그대로 멈춰 있었음)
        assert slider.input_value() == "0" and image.get_attribute("src") != last_src
        assert page.evaluate(f"window[{playing}].direction") == 1
        page.locator("button[title='멈춤']").click()
        # ◀는 첫 장면에서 누르면 끝 장면부터 거꾸로 재생합니다
        page.locator("button[title='거꾸로 재생']").click()
        assert slider.input_value() == "2" and image.get_attribute("src") == last_src
        assert page.evaluate(f"window[{playing}].direction") == -1
        page.locator("button[title='멈춤']").click()
        # 끝 장면이 아닌 곳에서는 ▶가 원래대로 그 자리부터 재생합니다
        page.locator("button[title='이전 장면']").click()
        page.locator("button[title='재생']").click()
        assert slider.input_value() == "1"
        assert not errors
