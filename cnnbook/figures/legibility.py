"""그림 속 글자가 책에서 읽힐 만한 크기인지 잽니다.

책의 본문 폭은 약 680px입니다. 그보다 넓게 저장된 그림은 본문 폭으로 줄어 보이므로, 글자도 같은 비율로 작아집니다.
보이는 글자 크기(px) = 글꼴 크기(pt) ÷ 72 × dpi × 줄어드는 비율. 이 값이 :data:`MIN_TEXT_PX` 보다 작은 글자가 있으면
노트북 셀 출력에 ⚠️ 경고를 남깁니다 (책을 만들 때 브라우저 테스트가 그 경고를 찾아 실패합니다).
"""
from __future__ import annotations

import sys

from matplotlib.text import Text

COLUMN_PX = 680  # 책 본문의 폭
MIN_TEXT_PX = 10.0  # 본문 폭에서 보이는 가장 작은 글자 크기


def _renderer(fig):
    """글의 크기를 잴 렌더러 (pyplot 밖에서 만든 그림은 캔버스에 렌더러가 없어 Agg 렌더러를 따로 만듭니다)."""
    if hasattr(fig.canvas, "get_renderer"):
        return fig.canvas.get_renderer()
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(fig.get_figwidth() * fig.dpi, fig.get_figheight() * fig.dpi, fig.dpi)


def saved_width_px(fig, dpi: float, tight: bool = True) -> float:
    """저장된 PNG의 폭(px). ``tight`` 면 ``bbox_inches="tight"`` (인라인 그림)처럼 여백을 잘라 낸 폭입니다."""
    if not tight:
        return fig.get_figwidth() * dpi
    box = fig.get_tightbbox(_renderer(fig))
    pad = 0.1  # matplotlib의 savefig.pad_inches 기본값
    return (box.width + 2 * pad) * dpi


def _drawn_texts(fig):
    """그림에 실제로 그려지는 글: 보이고, 비어 있지 않고, 그림 안에 들어오는 것."""
    fig.draw_without_rendering()
    renderer = _renderer(fig)
    whole = fig.bbox
    hidden = set()  # 꺼 둔 축(axis("off") 등)의 눈금 글은 그려지지 않습니다
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if not ax.axison or not axis.get_visible():
                hidden.update(id(t) for t in axis.findobj(Text))
    for text in fig.findobj(Text):
        if id(text) in hidden:
            continue
        if not text.get_visible() or not text.get_text().strip() or text.get_alpha() == 0:
            continue
        if text.axes is not None and not text.axes.get_visible():
            continue
        box = text.get_window_extent(renderer)
        if box.width <= 0 or not box.overlaps(whole):
            continue
        yield text


def smallest_text(fig, dpi: float | None = None, tight: bool = True, column_px: float = COLUMN_PX):
    """본문 폭에서 보이는 가장 작은 글자의 (크기 px, 그 글). 글이 없으면 (inf, "")."""
    dpi = float(dpi or fig.dpi)
    scale = min(1.0, column_px / saved_width_px(fig, dpi, tight))
    sizes = [(text.get_fontsize() / 72 * dpi * scale, text.get_text()) for text in _drawn_texts(fig)]
    return min(sizes, default=(float("inf"), ""), key=lambda pair: pair[0])


def legibility_problem(fig, dpi: float | None = None, tight: bool = True) -> str | None:
    """글자가 너무 작으면 한국어 설명을, 아니면 None을 돌려줍니다."""
    size, text = smallest_text(fig, dpi, tight)
    if size >= MIN_TEXT_PX:
        return None
    shown = " ".join(text.split())[:30]
    return (f"그림의 가장 작은 글자('{shown}')가 책의 본문 폭({COLUMN_PX}px)에서 {size:.1f}px로 보여 읽기 어렵습니다 "
            f"({MIN_TEXT_PX:g}px 이상이 되도록 글꼴을 키우거나 그림을 좁히세요).")


def warn_if_small(fig, dpi: float | None = None, tight: bool = True) -> None:
    """글자가 너무 작으면 ⚠️ 경고를 표준 오류에 한 줄 찍습니다."""
    problem = legibility_problem(fig, dpi, tight)
    if problem:
        print(f"⚠️ {problem}", file=sys.stderr)


def check_inline_figures(shell) -> bool:
    """IPython이 그림을 PNG로 바꿀 때마다 글자 크기를 잽니다 (인라인 백엔드의 변환을 감쌈). 감쌌으면 참."""
    from matplotlib.figure import Figure

    formatter = shell.display_formatter.formatters["image/png"]
    try:
        original = formatter.lookup_by_type(Figure)
    except KeyError:
        return False
    if getattr(original, "checks_legibility", False):
        return True

    def checked(fig):
        warn_if_small(fig)
        return original(fig)

    checked.checks_legibility = True
    formatter.for_type(Figure, checked)
    return True
