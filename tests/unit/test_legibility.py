"""그림 속 글자 크기 검사 (cnnbook.figures.legibility): 본문 폭에서 보이는 크기를 그림의 폭, dpi, 글꼴 크기로 잽니다."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from cnnbook.figures import all_figures  # noqa: E402
from cnnbook.figures import legibility as leg  # noqa: E402
from cnnbook.figures.base import BookFigure  # noqa: E402
from cnnbook.fonts import use_korean_font  # noqa: E402

use_korean_font()


def figure(width, fontsize, text="글자"):
    fig = BookFigure(figsize=(width, 2), dpi=100)
    ax = fig.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, text, fontsize=fontsize, ha="center")
    return fig


def test_narrow_figure_keeps_its_size():
    # 폭 5인치 × dpi 100 = 500px (본문 680px보다 좁음): 10pt는 10/72×100 ≈ 13.9px
    size, text = leg.smallest_text(figure(5, 10), tight=False)
    assert size == pytest.approx(10 / 72 * 100) and text == "글자"


def test_wide_figure_shrinks_to_the_column():
    # 폭 13.6인치 = 1,360px → 본문 680px로 절반: 10pt는 6.9px로 보입니다
    size, _ = leg.smallest_text(figure(13.6, 10), tight=False)
    assert size == pytest.approx(10 / 72 * 100 / 2)
    assert "6.9px" in leg.legibility_problem(figure(13.6, 10), tight=False)
    assert leg.legibility_problem(figure(13.6, 20), tight=False) is None


def test_smallest_of_many_texts_and_hidden_text_ignored():
    fig = figure(5, 12)
    fig.axes[0].text(0.1, 0.1, "작은 글", fontsize=6)
    fig.axes[0].text(0.1, 0.9, "숨긴 글", fontsize=3, visible=False)
    size, text = leg.smallest_text(fig, tight=False)
    assert text == "작은 글" and size == pytest.approx(6 / 72 * 100)


def test_tight_width_is_the_drawn_area():
    # 여백을 잘라 내면 저장되는 폭이 그림 폭보다 좁고, 그만큼 덜 줄어듭니다
    fig = figure(13.6, 10, text="가운데 글")
    assert leg.saved_width_px(fig, 100, tight=True) < leg.saved_width_px(fig, 100, tight=False)


def test_warning_goes_to_the_cell_output(capsys):
    leg.warn_if_small(figure(13.6, 8), tight=False)
    assert "⚠️" in capsys.readouterr().err
    leg.warn_if_small(figure(5, 10), tight=False)
    assert capsys.readouterr().err == ""


def test_inline_figures_are_checked_once(capsys, fake_shell):
    shell = fake_shell
    assert leg.check_inline_figures(shell) and leg.check_inline_figures(shell)  # 두 번 감싸지 않음
    convert = shell.display_formatter.formatters["image/png"].lookup_by_type(Figure)
    small, ax = plt.subplots(figsize=(13.6, 2))  # 축이 그림 폭을 다 쓰므로 여백을 잘라도 넓습니다
    ax.plot([0, 1], [0, 1])
    ax.set_title("작은 글", fontsize=8)
    assert convert(small) == b"png"  # 원래 변환의 결과는 그대로
    plt.close(small)
    err = capsys.readouterr().err
    assert err.count("⚠️") == 1 and "작은 글" in err


def test_player_warns_about_small_scenes(capsys):
    from cnnbook.live import View
    from cnnbook.player import frames_player

    class Tiny(View):
        def __init__(self):
            self.fig = figure(13.6, 7)

        def update(self, k=0):
            self.fig.axes[0].texts[0].set_text(f"장면 {k}")

    frames_player(Tiny(), "k", [0, 1])
    assert "⚠️" in capsys.readouterr().err


@pytest.mark.parametrize("name", sorted(n for n in all_figures() if n.endswith(".png")))
def test_book_figures_are_legible(name):
    fig = all_figures()[name]()
    assert leg.legibility_problem(fig) is None
    plt.close("all")


def test_architecture_diagram_is_legible():
    from cnnbook.figures.model import mnist_cnn_architecture

    assert leg.legibility_problem(mnist_cnn_architecture()) is None
    plt.close("all")
