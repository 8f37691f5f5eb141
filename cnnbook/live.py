"""Jupyter나 Colab에서 실행할 때 쓰는 위젯 틀 (파이썬 콜백이 있어야 움직입니다).

그림은 한 번만 만들고, 조절 장치가 바뀌면 ``view.update(**값)`` 으로 화가(artist)를
제자리에서 고친 뒤 같은 그림을 출력 영역에 다시 그립니다. 그래서 Colab에서도 그림이
쌓이지 않고, ipywidgets 7(Colab)과 8 모두에서 동작합니다.

다시 그리기를 빠르게 하려고 (1) 첫 그림에서 정한 배치(constrained layout)를 그대로 고정하고,
(2) ``savefig`` 대신 캔버스를 한 번만 그려 그 픽셀을 PNG로 바꿉니다. ``savefig`` 과 인라인 백엔드의
``bbox_inches="tight"`` 는 배치를 계산하느라 그림을 두 번 그립니다.
"""
from __future__ import annotations

import io
from typing import Protocol

import ipywidgets as widgets
from IPython.display import Image, clear_output, display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine, TightLayoutEngine
from PIL import Image as PILImage

from cnnbook.errors import BookError


class View(Protocol):
    fig: Figure

    def update(self, **params) -> None: ...


def live_widget(view: View, controls: dict[str, widgets.ValueWidget]) -> widgets.VBox:
    """조절 장치 사전(매개변수 이름 -> 위젯)과 그림 하나를 묶은 위젯을 만듭니다."""
    out = widgets.Output()

    def redraw(_change=None) -> None:
        with out:
            clear_output(wait=True)
            try:
                view.update(**{name: control.value for name, control in controls.items()})
            except BookError as error:
                print(f"⚠️ {error}")
                return
            # 처음 그림은 노트북에 저장되므로 잘 압축하고, 그 뒤의 다시 그리기는 빠르게
            display(Image(data=render_png(view.fig, quick=_change is not None)))

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox(list(controls.values())), out])


def render_png(fig: Figure, quick: bool = False) -> bytes:
    """그림을 한 번만 그려 PNG 바이트로. 첫 호출 뒤에는 배치를 고정해 다음 그리기에서 다시 계산하지 않습니다.

    ``quick=True`` 이면 압축을 가볍게 해(파일은 조금 커짐) 조절 장치를 움직일 때의 응답을 빠르게 합니다.
    """
    if not hasattr(fig.canvas, "buffer_rgba"):  # plt.close 로 닫은 그림: 픽셀을 그릴 Agg 캔버스를 붙입니다
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    if isinstance(fig.get_layout_engine(), (ConstrainedLayoutEngine, TightLayoutEngine)):
        fig.set_layout_engine("none")  # 지금 자리 그대로 고정
    width, height = fig.canvas.get_width_height(physical=True)
    pixels = PILImage.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    pixels.convert("RGB").save(buffer, format="PNG", compress_level=1 if quick else 6)
    return buffer.getvalue()


def slider_style() -> dict:
    """긴 한국어 설명이 잘리지 않도록 하는 공통 스타일."""
    return {"description_width": "initial"}
