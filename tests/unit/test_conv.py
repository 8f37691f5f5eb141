"""cnnbook.conv: 4.2.1 위젯과 그림이 쓰는 합성곱 함수 (확인 + cnnbook.reference)."""
from __future__ import annotations

import numpy as np
import pytest

from cnnbook import BookError
from cnnbook.pooling import pool2d
from cnnbook.conv import (
    KERNELS,
    conv2d_single,
    feature_map_for,
    kernel_positions,
    make_kernel,
    output_size,
    same_padding,
)


@pytest.mark.parametrize(
    "n,k,s,padding,expected",
    [(28, 5, 1, "SAME", 28), (28, 5, 2, "SAME", 14), (7, 3, 2, "SAME", 4), (28, 5, 1, "VALID", 24),
     (28, 5, 2, "VALID", 12), (7, 3, 3, "valid", 2), (5, 5, 1, "VALID", 1)],
)
def test_output_size(n, k, s, padding, expected):
    assert output_size(n, k, s, padding) == expected


def test_same_padding_puts_the_extra_zero_at_the_end():
    assert same_padding(28, 5, 1) == (2, 2)
    assert same_padding(28, 4, 1) == (1, 2)  # 3개: 위 1, 아래 2
    assert same_padding(8, 3, 2) == (0, 1)
    assert same_padding(7, 3, 2) == (1, 1)
    assert same_padding(6, 1, 2) == (0, 0)


def test_conv2d_single_small_example_by_hand():
    image = np.arange(16, dtype=float).reshape(4, 4)
    kernel = np.array([[1.0, 0.0], [0.0, -1.0]])
    valid = conv2d_single(image, kernel, 1, "VALID")
    assert valid.shape == (3, 3)
    assert np.allclose(valid, -5.0)  # 왼쪽 위 - 오른쪽 아래 = -(4 + 1)
    same = conv2d_single(image, kernel, 1, "SAME")
    assert same.shape == (4, 4)
    assert same[3, 3] == image[3, 3]  # 오른쪽 아래에만 붙은 0
    assert np.allclose(conv2d_single(image, kernel, 2, "VALID"), [[-5, -5], [-5, -5]])


def test_conv2d_single_is_not_flipped_and_identity_kernel_keeps_image():
    rng = np.random.default_rng(0)
    image = rng.normal(size=(6, 7))
    identity = np.zeros((3, 3))
    identity[1, 1] = 1.0
    assert np.allclose(conv2d_single(image, identity, 1, "SAME"), image)
    shift_right = np.zeros((3, 3))
    shift_right[1, 2] = 1.0  # 오른쪽 이웃을 가져옴 (뒤집지 않음)
    out = conv2d_single(image, shift_right, 1, "SAME")
    assert np.allclose(out[:, :-1], image[:, 1:])
    assert np.allclose(out[:, -1], 0.0)


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_conv2d_single_matches_tensorflow(stride, padding):
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(stride)
    image = rng.normal(size=(9, 8)).astype("float32")
    kernel = rng.normal(size=(4, 3)).astype("float32")
    expected = tf.nn.conv2d(image[None, :, :, None], kernel[:, :, None, None], stride, padding).numpy()[0, :, :, 0]
    assert np.allclose(conv2d_single(image, kernel, stride, padding), expected, atol=1e-5)


def test_make_kernel_presets_and_custom():
    assert set(KERNELS) == {"edge", "blur", "sharpen"}
    assert np.isclose(make_kernel("blur").sum(), 1.0)
    assert np.isclose(make_kernel("sharpen").sum(), 1.0)
    assert np.isclose(make_kernel("edge").sum(), 0.0)
    custom = make_kernel("custom", range(9))
    assert custom.shape == (3, 3) and custom[2, 2] == 8
    make_kernel("edge")[0, 0] = 99  # 복사본이므로 원본은 그대로
    assert KERNELS["edge"][0, 0] == -1


def test_feature_map_for_shapes():
    image = np.zeros((28, 28))
    image[10:18, 12:15] = 1.0
    assert feature_map_for(image, "edge")["shape"] == (28, 28)
    assert feature_map_for(image, "blur", 2, "SAME")["shape"] == (14, 14)
    assert feature_map_for(image, "sharpen", 1, "VALID")["shape"] == (26, 26)
    assert feature_map_for(image, "custom", 3, "valid", custom=[1] * 9)["shape"] == (9, 9)
    flat = feature_map_for(np.ones((5, 5)), "edge", 1, "VALID")["feature_map"]
    assert np.allclose(flat, 0.0)  # 밝기가 고른 곳에는 경계가 없음


def test_kernel_positions_and_max_pool():
    positions = kernel_positions((5, 5), (3, 3), 2, "SAME")
    assert len(positions) == 9 and positions[-1] == (2, 2, 4, 4)
    assert len(kernel_positions((5, 5), (3, 3), 1, "VALID")) == 9
    pooled = pool2d(np.arange(16, dtype=float).reshape(4, 4))
    assert np.array_equal(pooled, [[5, 7], [13, 15]])
    assert pool2d(np.ones((5, 5))).shape == (2, 2)


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: conv2d_single(np.zeros((2, 28, 28)), KERNELS["edge"]), "2차원"),
        (lambda: conv2d_single(np.zeros((28, 28)), np.zeros(3)), "필터는 2차원"),
        (lambda: conv2d_single(np.zeros((28, 28)), KERNELS["edge"], stride=0), "스트라이드"),
        (lambda: conv2d_single(np.zeros((28, 28)), KERNELS["edge"], stride=1.5), "스트라이드"),
        (lambda: conv2d_single(np.zeros((28, 28)), KERNELS["edge"], padding="FULL"), "padding"),
        (lambda: conv2d_single(np.zeros((2, 2)), KERNELS["edge"], padding="VALID"), "VALID"),
        (lambda: conv2d_single(np.zeros((4, 4)), [[np.nan]]), "NaN"),
        (lambda: make_kernel("emboss"), "모르는 필터"),
        (lambda: make_kernel("custom"), "직접 입력"),
        (lambda: make_kernel("custom", [1, 2, 3]), "값 9개"),
        (lambda: pool2d(np.zeros((1, 1))), "풀링 크기"),
    ],
)
def test_bad_input_gives_korean_book_error(call, message):
    with pytest.raises(BookError, match=message):
        call()


def test_views_and_figures_draw_without_pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import cnnbook
    from cnnbook.figures import convolution as figures
    from cnnbook.player import figure_png

    cnnbook.use_korean_font()
    walk = figures.KernelWalkView()
    assert len(walk.positions) == 25
    walk.update(step=3, stride=2, padding="SAME")
    assert len(walk.positions) == 9 and walk.feature_map.shape == (3, 3)
    with pytest.raises(BookError, match="단계"):
        walk.update(step=9, stride=2, padding="SAME")
    images = np.zeros((2, 28, 28))
    images[:, 8:20, 12:16] = 1.0
    view = figures.FeatureMapView(images, [1, 7])
    view.update(digit=1, kernel="custom", stride=2, padding="VALID", k4=1.0)
    assert view.art_map.get_array().shape == (13, 13)
    assert figure_png(view.fig).startswith(b"\x89PNG")
    assert view.fig._repr_png_().startswith(b"\x89PNG")
    from cnnbook.reference import ACTIVATIONS

    activations = figures.activation_functions(ACTIVATIONS)
    assert len(activations.axes) == len(ACTIVATIONS)
    animation = figures.kernel_stride_animation()
    assert animation.to_jshtml().count("data:image/png") == 25
