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
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in fig.axes[0].texts]
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
    fig.canvas.draw()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == len(ours) + 1 + len(published)
    assert all(any(name in label and "발표" in label for label in labels) for name, *_ in published)
    assert [t.get_text() for t in ax.texts] == ["1", "2", "3", "4"]  # 그림 안의 글자는 점 번호뿐
    boxes = [t.get_window_extent() for t in ax.texts]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert min(t.get_fontsize() for t in ax.get_legend().get_texts()) >= 11
