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


def test_player_frames_become_small_palette_pngs():
    import base64
    import io

    from PIL import Image

    from cnnbook.player import FRAME, compact_frames

    fig, ax = plt.subplots()
    image = ax.imshow(np.random.default_rng(0).random((28, 28)))
    from matplotlib.animation import FuncAnimation

    animation = FuncAnimation(fig, lambda i: [image.set_data(np.full((28, 28), i / 3))], frames=3)
    html = animation.to_jshtml()
    plt.close(fig)
    small = compact_frames(html)
    frames = FRAME.findall(small)
    assert len(frames) == len(FRAME.findall(html)) == 3
    assert len(small) < len(html)
    decoded = Image.open(io.BytesIO(base64.b64decode(frames[0][1])))
    assert decoded.mode == "P" and decoded.size == (640, 480)


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
