"""cnnbook.shift: 이미지 옮기기와 4.1 등변성·불변성 실험."""
from __future__ import annotations

import numpy as np
import pytest

from cnnbook import BookError
from cnnbook.conv import KERNELS, conv2d_single
from cnnbook.shift import equivariance_demo, shift_image, unchanged_fraction


def blob() -> np.ndarray:
    """가장자리에서 떨어진 곳에 놓인 작은 무늬 (옮겨도 잘리지 않음)."""
    image = np.zeros((20, 20))
    image[7:13, 8:11] = 1.0
    image[9, 6:14] = 0.5
    return image


def test_shift_image_moves_right_and_down_and_fills_zeros():
    image = np.arange(12, dtype=float).reshape(3, 4)
    moved = shift_image(image, 1, 1)
    assert moved.shape == image.shape
    assert np.array_equal(moved[1:, 1:], image[:-1, :-1])
    assert np.all(moved[0] == 0) and np.all(moved[:, 0] == 0)
    assert np.array_equal(shift_image(image, -2, 0)[:, :2], image[:, 2:])
    assert np.array_equal(shift_image(image, 0, 0), image)


def test_convolution_is_equivariant_to_shifts():
    image = blob()
    for dx, dy in [(1, 0), (-3, 2), (2, -2)]:
        moved_then_conv = conv2d_single(shift_image(image, dx, dy), KERNELS["edge"])
        conv_then_moved = shift_image(conv2d_single(image, KERNELS["edge"]), dx, dy)
        assert np.allclose(moved_then_conv, conv_then_moved)


def test_equivariance_demo_values():
    result = equivariance_demo(blob(), KERNELS["sharpen"], dx=2, dy=0)
    assert result["shifted"].shape == (20, 20)
    assert result["feature_map"].shape == (20, 20)
    assert result["pooled"].shape == (10, 10)
    assert result["equivariance_error"] < 1e-12
    assert result["global_max"] == pytest.approx(result["shifted_global_max"])
    # 2픽셀 이동은 2×2 풀링 뒤에 정확히 한 칸 이동
    assert np.allclose(shift_image(result["pooled"], 1, 0), result["shifted_pooled"])
    still = equivariance_demo(blob(), KERNELS["sharpen"], dx=0, dy=0)
    assert still["map_unchanged"] == 1.0 and still["pool_unchanged"] == 1.0


def test_pooling_keeps_more_values_in_place_than_the_feature_map():
    rows, cols = np.mgrid[0:20, 0:20]
    bump = np.exp(-((rows - 8) ** 2 + (cols - 8) ** 2) / 4.0)  # 봉우리가 풀링 창의 왼쪽 칸에 있음
    result = equivariance_demo(bump, KERNELS["blur"], dx=1, dy=0)
    assert result["pool_unchanged"] > result["map_unchanged"]
    assert result["pooled"].max() == pytest.approx(result["shifted_pooled"].max())


def test_unchanged_fraction():
    a = np.array([[0.0, 1.0], [0.0, 0.0]])
    assert unchanged_fraction(a, a) == 1.0
    assert unchanged_fraction(a, np.roll(a, 1, axis=1)) == 0.0
    assert unchanged_fraction(np.zeros((2, 2)), np.zeros((2, 2))) == 1.0


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: shift_image(np.zeros((2, 3, 3)), 1, 0), "2차원"),
        (lambda: shift_image(np.zeros((5, 5)), 5, 0), "이동량"),
        (lambda: equivariance_demo(np.zeros(28), KERNELS["edge"], 1), "2차원"),
        (lambda: equivariance_demo(blob(), np.ones(3), 1), "필터는 2차원"),
        (lambda: equivariance_demo(blob(), KERNELS["edge"], 1, pool_size=0), "풀링 크기"),
        (lambda: unchanged_fraction(np.zeros((2, 2)), np.zeros((3, 3))), "모양"),
    ],
)
def test_bad_input_gives_korean_book_error(call, message):
    with pytest.raises(BookError, match=message):
        call()
