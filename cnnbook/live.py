"""Jupyter나 Colab에서 실행할 때 쓰는 위젯 틀 (파이썬 콜백이 있어야 움직입니다).

그림은 한 번만 만들고, 조절 장치가 바뀌면 ``view.update(**값)`` 으로 화가(artist)를
제자리에서 고친 뒤 같은 그림을 출력 영역에 다시 그립니다. 그래서 Colab에서도 그림이
쌓이지 않고, ipywidgets 7(Colab)과 8 모두에서 동작합니다.
"""
from __future__ import annotations

from typing import Protocol

import ipywidgets as widgets
from IPython.display import clear_output, display
from matplotlib.figure import Figure

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
            display(view.fig)

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox(list(controls.values())), out])


def slider_style() -> dict:
    """긴 한국어 설명이 잘리지 않도록 하는 공통 스타일."""
    return {"description_width": "initial"}
