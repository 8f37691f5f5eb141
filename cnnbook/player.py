"""커널 없이도 움직이는 그림: 미리 계산한 장면을 matplotlib의 JavaScript 재생기로 묶습니다.

HTML 책에서는 재생기(슬라이더와 재생 단추)가, 인쇄나 PDF에서는 기본값의 정지 그림이 보입니다.
"""
from __future__ import annotations

import base64
import io
from html import escape
from typing import Any, Sequence

import matplotlib
from matplotlib.animation import FuncAnimation

from cnnbook.errors import require
from cnnbook.live import View


def figure_png(fig, dpi: int = 100) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


class FramesPlayer:
    """``text/html`` (재생기)과 ``image/png`` (정지 그림)을 함께 내보내는 출력."""

    def __init__(self, html: str, png: bytes, caption: str):
        self.html = html
        self.png = png
        self.caption = caption

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/html": self.html,
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/plain": self.caption,
        }


def frames_player(
    view: View,
    sweep: str,
    values: Sequence[Any],
    fixed: dict | None = None,
    default: Any = None,
    caption: str = "",
    alt: str = "",
    interval_ms: int = 600,
) -> FramesPlayer:
    """``sweep`` 매개변수를 ``values`` 로 바꿔 가며 그린 장면들을 재생기 하나로 만듭니다.

    ``fixed`` 는 나머지 매개변수, ``default`` 는 정지 그림(인쇄용)에 쓸 값,
    ``alt`` 는 화면 낭독기를 위한 대체 텍스트입니다.
    """
    require(len(values) > 0, "재생기에 넣을 값이 하나도 없습니다.")
    fixed = dict(fixed or {})
    default = values[0] if default is None else default
    require(default in list(values), f"기본값 {default!r} 이(가) 재생할 값 목록에 없습니다.")

    view.update(**fixed, **{sweep: default})
    png = figure_png(view.fig)

    def draw(index: int):
        view.update(**fixed, **{sweep: values[index]})
        return []

    animation = FuncAnimation(view.fig, draw, frames=len(values), interval=interval_ms, blit=False)
    with matplotlib.rc_context({"animation.embed_limit": 40}):
        html = animation.to_jshtml(default_mode="once")
    view.update(**fixed, **{sweep: default})
    caption = caption or f"{sweep} 값을 바꾸며 본 장면"
    alt_text = escape(alt or caption, quote=True)
    html = html.replace('<img id="_anim_img', f'<img alt="{alt_text}" id="_anim_img', 1)
    return FramesPlayer(html, png, caption)
