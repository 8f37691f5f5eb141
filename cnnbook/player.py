"""코드를 실행할 수 없는 웹 책에서도 움직이는 그림: 미리 계산한 장면을 matplotlib의 JavaScript 재생기로 묶습니다.

HTML 책에서는 재생기(슬라이더와 재생 단추)가, 인쇄나 PDF에서는 기본값의 정지 그림이 보입니다.
"""
from __future__ import annotations

import base64
import io
import re
from html import escape
from typing import Any, Sequence

import matplotlib
import numpy as np
from matplotlib.animation import FuncAnimation
from PIL import Image

from cnnbook.errors import require
from cnnbook.figures.legibility import warn_if_small
from cnnbook.live import View


# matplotlib 재생기는 단추 아이콘을 CDN의 Font Awesome에서 받습니다. 오프라인 책을 위해
# 그 링크를 지우고 아이콘 대신 유니코드 기호를, 영어 설명 대신 한국어를 씁니다.
ICONS = {
    "fa fa-minus": "−",
    "fa fa-fast-backward": "«",
    "fa fa-step-backward": "‹",
    "fa fa-play fa-flip-horizontal": "◀",
    "fa fa-pause": "||",
    "fa fa-play": "▶",
    "fa fa-step-forward": "›",
    "fa fa-fast-forward": "»",
    "fa fa-plus": "+",
}
LABELS = {
    "Decrease speed": "느리게",
    "First frame": "첫 장면",
    "Previous frame": "이전 장면",
    "Play backwards": "거꾸로 재생",
    "Pause": "멈춤",
    "Play": "재생",
    "Next frame": "다음 장면",
    "Last frame": "마지막 장면",
    "Increase speed": "빠르게",
    "Repetition mode": "반복 방식",
}
LOOP_WORDS = {">Once<": ">한 번<", ">Loop<": ">반복<", ">Reflect<": ">왕복<"}


def offline_player_html(html: str) -> str:
    """재생기 HTML에서 외부 글꼴 링크를 없애고 단추를 한국어와 기호로 바꿉니다."""
    html = re.sub(r"<link[^>]*font-awesome[^>]*>", "", html)
    html = re.sub(r'<i class="(fa [^"]+)"></i>', lambda m: ICONS.get(m.group(1), ""), html)
    for english, korean in LABELS.items():
        html = html.replace(f'title="{english}"', f'title="{korean}"')
        html = html.replace(f'aria-label="{english}"', f'aria-label="{korean}"')
    for english, korean in LOOP_WORDS.items():
        html = html.replace(english, korean)
    return html


# "한 번" 방식에서 끝 장면에 멈춘 뒤 ▶를 누르면 matplotlib 재생기는 아무것도 하지 않습니다 (◀도 첫 장면에서 같음).
# 그 단추가 부르는 함수를, 끝에 멈춰 있으면 반대쪽 끝으로 돌아가 다시 재생하는 것으로 바꿉니다.
RESTART_JS = (
    "{a}.play_or_restart = function () {{ if (this.get_loop_state() === \"once\" && this.direction <= 0 "
    "&& this.current_frame >= this.frames.length - 1) {{ this.first_frame(); }} this.play_animation(); }}; "
    "{a}.reverse_or_restart = function () {{ if (this.get_loop_state() === \"once\" && this.direction >= 0 "
    "&& this.current_frame <= 0) {{ this.last_frame(); }} this.reverse_animation(); }};"
)


def restartable(html: str) -> str:
    """'한 번' 방식에서 ▶(◀)를 끝(첫) 장면에서 누르면 처음(끝)부터 다시 재생하게 합니다 (반복, 왕복은 그대로)."""
    html, n_play = re.subn(r'onclick="(anim\w+)\.play_animation\(\)"', r'onclick="\1.play_or_restart()"', html, count=1)
    html, n_back = re.subn(r'onclick="(anim\w+)\.reverse_animation\(\)"', r'onclick="\1.reverse_or_restart()"', html, count=1)
    html, n_new = re.subn(
        r"(anim\w+) = new Animation\(([^;]*)\);",
        lambda m: f"{m.group(0)} {RESTART_JS.format(a=m.group(1))}",
        html,
        count=1,
    )
    require(n_play == n_back == n_new == 1, "matplotlib 재생기 HTML의 모양이 예상과 달라 다시 재생 단추를 고치지 못했습니다.")
    return html


def start_at(html: str, index: int) -> str:
    """재생기가 첫 장면이 아니라 ``index`` 번째 장면(기본값)에서 시작하게 합니다."""
    return re.sub(
        r"(anim\w+) = new Animation\(([^;]*)\);",
        lambda m: f"{m.group(1)} = new Animation({m.group(2)}); {m.group(1)}.set_frame({index});",
        html,
        count=1,
    )


FRAME = re.compile(r'(frames\[\d+\] = "data:image/png;base64,)([A-Za-z0-9+/=\\\n]+)(")')
MAX_PALETTE = 256  # 팔레트 PNG가 담을 수 있는 색 수


def palette_png(data: bytes) -> bytes:
    """PNG를 손실 없이 더 작게 다시 씁니다.

    색이 256개 이하인 장면(글자, 선, 몇 가지 색의 막대)은 그 색들 그대로의 팔레트 PNG로, 색 지도처럼 색이 많은 장면은
    색을 줄이지 않고 압축만 다시 합니다 (색을 줄이면 색 지도에 띠가 생기고 색 막대가 흐려집니다). 픽셀 값은 하나도
    바뀌지 않습니다. 더 커지면 원래 것을 돌려줍니다.
    """
    image = Image.open(io.BytesIO(data)).convert("RGB")
    pixels = np.asarray(image)
    colors, index = np.unique(pixels.reshape(-1, 3), axis=0, return_inverse=True)
    buffer = io.BytesIO()
    if len(colors) <= MAX_PALETTE:
        packed = Image.fromarray(index.reshape(pixels.shape[:2]).astype(np.uint8), mode="P")
        packed.putpalette(colors.astype(np.uint8).ravel().tolist())
        packed.save(buffer, format="PNG", optimize=True)
    else:
        image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue() if buffer.tell() < len(data) else data


def compact_frames(html: str) -> str:
    """재생기 HTML에 든 장면 PNG를 모두 손실 없이 더 작게 다시 써 페이지 무게를 줄입니다."""
    def smaller(match: re.Match) -> str:
        data = base64.b64decode(match.group(2).replace("\\\n", ""))
        return match.group(1) + base64.b64encode(palette_png(data)).decode("ascii") + match.group(3)

    return FRAME.sub(smaller, html)


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
    warn_if_small(view.fig, dpi=100, tight=False)  # 장면은 여백을 자르지 않고 dpi 100으로 저장됩니다

    def draw(index: int):
        view.update(**fixed, **{sweep: values[index]})
        return []

    animation = FuncAnimation(view.fig, draw, frames=len(values), interval=interval_ms, blit=False)
    with matplotlib.rc_context({"animation.embed_limit": 40}):
        html = animation.to_jshtml(default_mode="once")
    view.update(**fixed, **{sweep: default})
    caption = caption or f"{sweep} 값을 바꾸며 본 장면"
    alt_text = escape(alt or caption, quote=True)
    html = start_at(restartable(offline_player_html(compact_frames(html))), list(values).index(default))
    html = html.replace('<img id="_anim_img', f'<img alt="{alt_text}" id="_anim_img', 1)
    return FramesPlayer(html, png, caption)
