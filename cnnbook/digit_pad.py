"""Jupyter와 Colab에서 숫자를 그리거나 이미지를 올려 모델에 넣어 보는 위젯 (4.2.7절).

그리기 판은 ipycanvas(ipywidgets 7과 8 모두 지원; Colab에서는 ``cnnbook.setup()`` 이 켜는 사용자 위젯
관리자가 필요)이고, 올리기는 ``widgets.FileUpload`` 입니다. 전처리와 입력 검사는 :mod:`cnnbook.digit_input`,
그림은 :class:`cnnbook.figures.inside.DigitView` 가 맡습니다. 잘못된 입력은 위젯 출력에 한국어 한 줄로 보입니다.
"""
from __future__ import annotations

import ipywidgets as widgets
from IPython.display import Image, clear_output, display

from cnnbook import digit_input
from cnnbook.errors import BookError
from cnnbook.live import render_png

SIZE = 280
LINE_WIDTH = 18


def digit_pad(view, predict, lazy: bool = True):
    """그리기 판 + 올리기 + 결과 그림을 묶은 위젯. ``predict(x28)`` 는 view.update 에 넘길 사전을 돌려줍니다.

    ``lazy`` 이면 처음에는 "그리기 판 열기" 단추만 보이고, 누를 때 ipycanvas 판을 만듭니다. 그래서 노트북을
    끝까지 실행해 저장한 위젯 상태(웹 책이 읽는 것)에 ipycanvas가 들어가지 않아, 웹 책이 그 스크립트를
    인터넷에서 받으려 하지 않습니다.
    """
    if lazy:
        opener = widgets.Button(description="그리기 판 열기", button_style="primary")
        box = widgets.VBox([opener])

        def open_pad(_button):
            box.children = [digit_pad(view, predict, lazy=False)]

        opener.on_click(open_pad)
        return box
    from ipycanvas import Canvas

    canvas = Canvas(width=SIZE, height=SIZE, sync_image_data=True,
                    layout=widgets.Layout(width=f"{SIZE}px", height=f"{SIZE}px", border="2px solid #555"))
    clear_button = widgets.Button(description="지우기")
    guess_button = widgets.Button(description="알아맞히기", button_style="primary")
    upload = widgets.FileUpload(accept="image/*", multiple=False, description="이미지 올리기")
    out = widgets.Output()
    state = {"down": False, "last": None}

    def blank():
        canvas.clear()
        canvas.fill_style = "white"
        canvas.fill_rect(0, 0, SIZE, SIZE)
        canvas.fill_style = "black"
        canvas.stroke_style = "black"
        canvas.line_width = LINE_WIDTH
        canvas.line_cap = "round"
        canvas.line_join = "round"

    def show(make_input):
        with out:
            clear_output(wait=True)
            try:
                x, notes = make_input()
                for note in notes:
                    print(f"ℹ️ {note}")
                view.update(image=x, **predict(x))
            except BookError as error:
                print(f"⚠️ {error}")
                return
            display(Image(data=render_png(view.fig, quick=True)))

    def on_down(x, y):
        state["down"], state["last"] = True, (x, y)
        canvas.fill_circle(x, y, LINE_WIDTH / 2)

    def on_move(x, y):
        if state["down"]:
            canvas.stroke_line(*state["last"], x, y)
            canvas.fill_circle(x, y, LINE_WIDTH / 2)
            state["last"] = (x, y)

    def on_up(x, y):
        state["down"] = False

    def from_canvas():
        if canvas.image_data is None:
            raise BookError("그리기 판의 그림을 아직 받지 못했습니다. 숫자를 그린 뒤 다시 눌러 주세요.")
        return digit_input.preprocess_rgba(canvas.get_image_data()), []

    def from_upload(_change=None):
        data = digit_input.upload_contents(upload.value)
        if data is not None:
            show(lambda: digit_input.preprocess_upload(data))

    canvas.on_mouse_down(on_down)
    canvas.on_mouse_move(on_move)
    canvas.on_mouse_up(on_up)
    canvas.on_mouse_out(on_up)
    guess_button.on_click(lambda _b: show(from_canvas))
    clear_button.on_click(lambda _b: blank())
    upload.observe(from_upload, names="value")
    blank()
    controls = widgets.VBox([canvas, widgets.HBox([clear_button, guess_button]), upload])
    return widgets.HBox([controls, out])
