"""그림 모듈의 공통 규칙: 위젯 화면은 View를 잇고, 그림 함수는 데이터를 스스로 읽지 않습니다."""
from __future__ import annotations

import inspect

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnbook.figures import base, convolution, dropout, intro, pooling  # noqa: E402

MODULES = (convolution, dropout, intro, pooling)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_figure_modules_do_not_load_data(module):
    source = inspect.getsource(module)
    for word in ("load_mnist", "load_cifar10", "cnnbook.data"):
        assert word not in source, f"{module.__name__}: 그림 함수는 데이터를 인자로 받아야 합니다 ({word})"


def test_views_share_the_base_class():
    views = [convolution.KernelWalkView, convolution.FeatureMapView, intro.EquivarianceView,
             pooling.PoolingView, dropout.DropoutView]
    assert all(issubclass(view, base.View) for view in views)
    with pytest.raises(NotImplementedError):
        base.View().update()


def test_views_draw_into_a_book_figure():
    image = np.zeros((28, 28))
    image[8:20, 12:16] = 1.0
    views = [
        intro.EquivarianceView(image, np.eye(3)),
        pooling.PoolingView(image),
        dropout.DropoutView(image[::2, ::2] + 0.5),
    ]
    for view in views:
        assert isinstance(view.fig, base.BookFigure)
        assert view._repr_png_().startswith(b"\x89PNG")


def test_time_to_accuracy_numbers_do_not_overlap():
    """시간과 정확도가 거의 같은 칸들(4.3절의 4 에포크 세 칸)도 번호가 서로 겹치지 않습니다."""
    from cnnbook.figures import cifar as cifar_figures

    rows = [("가", 35, 0.62), ("나", 290, 0.864), ("다", 280, 0.866), ("라", 285, 0.865), ("마", 670, 0.906)]
    fig = cifar_figures.time_to_accuracy(rows)
    boxes = [box for _, box in _number_boxes(fig)]
    assert [t.get_text() for t in fig.axes[0].texts] == ["1", "2", "3", "4", "5"]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), "점 번호가 겹칩니다"
    assert len(fig.axes[0].get_legend().get_texts()) == len(rows)


def test_speed_chart_names_every_point_without_overlapping_labels():
    """부록 A.2의 그림: 발표된 기록은 범례에 이름이 있고(그림 안 글자끼리 겹치지 않음), 점 번호도 겹치지 않습니다."""
    from cnnbook.figures import cifar as cifar_figures

    ours = [("가", 300, 0.80), ("나", 150, 0.85), ("다", 155, 0.86), ("라", 900, 0.936)]
    earlier = [("4.3의 칸", 280, 0.858)]
    published = [("airbench94", 3.83, 0.9401, "A100"), ("hlb-CIFAR10", 6.3, 0.94, "A100"), ("ResNet-9", 26, 0.94, "V100")]
    fig = cifar_figures.speed_chart(ours, earlier, published)
    boxes = [box for _, box in _number_boxes(fig)]
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == len(ours) + 1 + len(published)
    assert all(any(name in label and "발표" in label for label in labels) for name, *_ in published)
    assert [t.get_text() for t in ax.texts] == ["1", "2", "3", "4"]  # 그림 안의 글자는 점 번호뿐
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert min(t.get_fontsize() for t in ax.get_legend().get_texts()) >= 11


def _number_boxes(fig):
    """그림을 그린 뒤 점 번호(숫자만 든 글자)마다 (번호, 글자 상자). 이끔선은 상자에 넣지 않습니다."""
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    return [(t.get_text(), Text.get_window_extent(t, renderer)) for t in ax.texts if t.get_text().isdigit()]


def test_speed_chart_numbers_of_a_tight_cluster_stay_apart_and_inside():
    """A.2처럼 시간과 정확도가 몰린 칸들(5–9, 2–3, 10–11): 번호끼리, 번호와 점이 겹치지 않고 모두 축 안에 있습니다."""
    from matplotlib.transforms import Bbox

    from cnnbook.figures import cifar as cifar_figures
    from cnnbook.fonts import use_korean_font

    use_korean_font()  # 책과 같은 글꼴 (글자 상자의 크기가 책과 같게)
    seconds = [125, 119, 100, 129, 129, 128, 124, 124, 124, 956, 956]
    accuracies = [0.797, 0.727, 0.727, 0.749, 0.855, 0.841, 0.841, 0.852, 0.853, 0.939, 0.943]
    ours = [(f"칸 {k}", s, a) for k, (s, a) in enumerate(zip(seconds, accuracies), start=1)]
    fig = cifar_figures.speed_chart(ours, [("x", 300, 0.80)], [("airbench94", 3.83, 0.9401, "A100")])
    numbered = _number_boxes(fig)
    ax = fig.axes[0]
    assert sorted(int(text) for text, _ in numbered) == list(range(1, len(ours) + 1)), "점마다 번호 하나씩"
    boxes = [box for _, box in numbered]
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            assert not a.overlaps(boxes[j]), f"번호 {numbered[i][0]}와 {numbered[j][0]}가 겹칩니다"
    frame = ax.get_window_extent()
    outside = [text for text, b in numbered
               if b.x0 < frame.x0 or b.x1 > frame.x1 or b.y0 < frame.y0 or b.y1 > frame.y1]
    assert not outside, f"축 밖으로 나간 번호: {outside}"
    # 번호 상자가 어느 점 표시(동그라미, 네모, 세모)의 상자와도 겹치지 않음
    marks = []
    for line in ax.lines:
        if line.get_marker() in ("None", "", " "):
            continue
        half = line.get_markersize() / 2 * fig.dpi / 72
        marks += [Bbox([[x - half, y - half], [x + half, y + half]])
                  for x, y in line.get_transform().transform(line.get_xydata())]
    covered = sorted({text for text, b in numbered for m in marks if b.overlaps(m)})
    assert not covered, f"점 위에 놓인 번호: {covered}"
