"""모든 그림과 위젯 화면이 함께 쓰는 바탕: pyplot 밖에서 만드는 ``BookFigure`` 와 화면의 틀 ``View``.

위젯 화면(view)은 그림 ``fig`` 를 한 번 만들고, ``update(**params)`` 로 화가(artist)를 제자리에서 고칩니다.
같은 화면을 살아 있는 위젯(:func:`cnnbook.live.live_widget`)과 JavaScript 재생기(:func:`cnnbook.player.frames_player`)가
함께 씁니다. 화면은 데이터를 스스로 읽지 않고 배열을 받습니다.
"""
from __future__ import annotations

from matplotlib.figure import Figure


class BookFigure(Figure):
    """pyplot 밖에서 만든 그림 (셀 끝에 저절로 한 번 더 그려지지 않음).

    matplotlib의 인라인 백엔드가 아직 불러와지지 않은 실행 환경에서도 ``display(fig)`` 나 셀의 마지막 식이
    PNG로 보이도록 ``_repr_png_`` 를 둡니다.
    """

    def _repr_png_(self) -> bytes:
        from cnnbook.player import figure_png

        return figure_png(self)


class View:
    """위젯 화면의 틀: ``fig`` (``BookFigure``) 하나와 그 그림을 제자리에서 고치는 ``update(**params)``."""

    fig: BookFigure

    def update(self, **params) -> None:
        raise NotImplementedError("화면마다 update(**params)를 구현해야 합니다.")

    def _repr_png_(self) -> bytes:
        return self.fig._repr_png_()
