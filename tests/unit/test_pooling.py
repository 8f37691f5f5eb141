"""cnnbook.pooling: 4.2.2 위젯과 그림이 쓰는 풀링 함수 (확인 + cnnbook.reference)."""
import numpy as np
import pytest

from cnnbook import BookError
from cnnbook.figures.pooling import EXAMPLE, PoolingView
from cnnbook.pooling import (
    edge_feature_map,
    pool2d,
    pooling_view_data,
    relative_change,
    shift_sensitivity_table,
)


def test_max_and_average_on_example():
    np.testing.assert_array_equal(pool2d(EXAMPLE, 2, "max"), [[6, 2], [7, 9]])
    np.testing.assert_allclose(pool2d(EXAMPLE, 2, "average"), [[3.75, 1.25], [2.5, 6.0]])


def test_shape_halves_and_remainder_is_dropped():
    assert pool2d(np.zeros((28, 28)), 2).shape == (14, 14)
    assert pool2d(np.zeros((28, 28)), 3).shape == (9, 9)
    np.testing.assert_array_equal(pool2d(EXAMPLE, 1, "max"), EXAMPLE)


def test_matches_tensorflow():
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(0)
    x = rng.random((12, 12))
    for size in (2, 3):
        ours = pool2d(x, size, "max")
        theirs = tf.nn.max_pool2d(x[None, :, :, None], ksize=size, strides=size, padding="VALID")[0, :, :, 0]
        np.testing.assert_allclose(ours, theirs.numpy())
        theirs = tf.nn.avg_pool2d(x[None, :, :, None], ksize=size, strides=size, padding="VALID")[0, :, :, 0]
        np.testing.assert_allclose(pool2d(x, size, "average"), theirs.numpy(), rtol=1e-6)


def test_edge_feature_map_matches_manual_value():
    image = np.zeros((5, 5))
    image[:, 3:] = 1.0  # 왼쪽 어둡고 오른쪽 밝음: 세로 경계
    out = edge_feature_map(image)
    assert out.shape == (5, 5)
    assert out[2, 2] == 4.0 and out[2, 0] == 0.0
    assert edge_feature_map(-image).min() >= 0.0  # ReLU 뒤


def test_view_data_and_size_ratio():
    image = np.random.default_rng(1).random((28, 28))
    data = pooling_view_data(image, 2, "average")
    assert data["feature_map"].shape == (28, 28)
    assert data["pooled"].shape == (14, 14)
    assert data["size_ratio"] == pytest.approx(0.25)


@pytest.mark.parametrize(
    "args",
    [
        (np.zeros((2, 4, 4)), 2, "max"),  # 3차원
        (np.zeros((4, 4)), 0, "max"),  # 크기 0
        (np.zeros((4, 4)), 5, "max"),  # 특징 맵보다 큼
        (np.zeros((4, 4)), 2.0, "max"),  # 정수가 아님
        (np.zeros((4, 4)), 2, "min"),  # 모르는 종류
    ],
)
def test_bad_input_gives_korean_error(args):
    with pytest.raises(BookError, match="[가-힣]"):
        pool2d(*args)


def test_pooling_reduces_shift_sensitivity():
    rng = np.random.default_rng(2)
    images = []
    for _ in range(5):
        image = np.zeros((16, 16))
        r, c = rng.integers(3, 10, size=2)
        image[r : r + 4, c : c + 3] = 1.0
        images.append(image)
    table = shift_sensitivity_table(images, sizes=(1, 2, 4), kinds=("max",))
    no_pool, _, pooled = table["max"]
    assert 0 < pooled < no_pool
    assert relative_change(np.ones((3, 3)), np.ones((3, 3))) == 0.0
    assert relative_change(np.ones((2, 2)), np.full((2, 2), 2.0)) == pytest.approx(1.0)
    with pytest.raises(BookError):
        relative_change(np.ones((3, 3)), np.ones((3, 4)))
    with pytest.raises(BookError, match="풀링 크기"):
        shift_sensitivity_table(images, sizes=(32,))


def test_view_updates_in_place():
    import matplotlib

    matplotlib.use("Agg")
    import cnnbook

    cnnbook.use_korean_font()
    view = PoolingView(np.random.default_rng(3).random((28, 28)))
    before = len(view.fig.axes)
    view.update(size=4, kind="average")
    assert view.pooled_art.get_array().shape == (7, 7)
    assert len(view.fig.axes) == before
