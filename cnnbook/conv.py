"""4.2.1 합성곱 위젯과 그림이 쓰는 얇은 함수: 입력을 확인한 뒤 :mod:`cnnbook.reference` 의 강의 코드를 부릅니다.

합성곱 자체(``conv2d_reference``)와 출력 크기 식은 4.2.1 노트북의 ``#@save`` 셀에 있고, 여기에는 없습니다.
텐서플로의 ``tf.nn.conv2d`` 처럼 필터를 뒤집지 않고(교차 상관) 계산합니다.
"""
from __future__ import annotations

import numpy as np

from cnnbook.errors import require
from cnnbook.reference import BLUR, SHARPEN, SOBEL_VERTICAL, conv2d_reference, output_length, same_pads

PADDINGS = ("SAME", "VALID")

# 위젯에서 고를 수 있는 3×3 필터 (이름 -> 가중치)
KERNELS: dict[str, np.ndarray] = {"edge": SOBEL_VERTICAL, "blur": BLUR, "sharpen": SHARPEN}
KERNEL_NAMES_KO = {"edge": "경계(세로)", "blur": "흐림", "sharpen": "선명하게", "custom": "직접 입력"}


def check_padding(padding: str) -> str:
    """``"same"``/``"valid"`` 를 대문자로 바꾸고 다른 값이면 한국어 오류를 냅니다."""
    require(isinstance(padding, str), f"padding은 'SAME' 또는 'VALID' 문자열이어야 합니다. 받은 값: {padding!r}")
    padding = padding.upper()
    require(padding in PADDINGS, f"padding은 'SAME' 또는 'VALID' 이어야 합니다. 받은 값: {padding!r}")
    return padding


def check_stride(stride: int) -> int:
    require(
        isinstance(stride, (int, np.integer)) and not isinstance(stride, bool) and stride >= 1,
        f"스트라이드는 1 이상의 정수여야 합니다. 받은 값: {stride!r}",
    )
    return int(stride)


def output_size(n: int, k: int, stride: int, padding: str) -> int:
    """길이 ``n`` 인 입력에 크기 ``k`` 필터를 댔을 때의 출력 길이 (확인 뒤 ``output_length``)."""
    stride = check_stride(stride)
    padding = check_padding(padding)
    require(k >= 1, f"필터 크기는 1 이상이어야 합니다. 받은 값: {k}")
    if padding == "VALID":
        require(n >= k, f"VALID 패딩에서는 입력({n})이 필터({k})보다 작을 수 없습니다.")
    return output_length(n, k, stride, padding)


def same_padding(n: int, k: int, stride: int) -> tuple[int, int]:
    """SAME 패딩에서 앞(위/왼쪽)과 뒤(아래/오른쪽)에 붙는 0의 개수 (확인 뒤 ``same_pads``)."""
    return same_pads(n, k, check_stride(stride))


def check_image(image) -> np.ndarray:
    image = np.asarray(image, dtype=float)
    require(image.ndim == 2, f"2차원(높이×너비) 이미지가 필요합니다. 받은 모양: {image.shape}")
    require(image.size > 0, "빈 이미지입니다.")
    return image


def check_kernel(kernel) -> np.ndarray:
    kernel = np.asarray(kernel, dtype=float)
    require(kernel.ndim == 2, f"필터는 2차원(높이×너비) 배열이어야 합니다. 받은 모양: {kernel.shape}")
    require(kernel.size > 0, "빈 필터입니다.")
    require(bool(np.all(np.isfinite(kernel))), "필터에 NaN이나 무한대 값이 있습니다.")
    return kernel


def pad_for(image: np.ndarray, kernel_shape: tuple[int, int], stride: int, padding: str) -> np.ndarray:
    """``padding`` 규칙대로 0을 둘러 붙인 이미지 (VALID이면 그대로). 그림이 패딩 칸을 그릴 때 씁니다."""
    if check_padding(padding) == "VALID":
        return image
    (top, bottom), (left, right) = (same_padding(n, k, stride) for n, k in zip(image.shape, kernel_shape))
    return np.pad(image, ((top, bottom), (left, right)))


def conv2d_single(image, kernel, stride: int = 1, padding: str = "SAME") -> np.ndarray:
    """채널 하나짜리 2차원 합성곱: 확인한 뒤 ``conv2d_reference`` 를 [1, H, W, 1] 과 [kH, kW, 1, 1] 에 씁니다."""
    image = check_image(image)
    kernel = check_kernel(kernel)
    stride = check_stride(stride)
    padding = check_padding(padding)
    for n, k in zip(image.shape, kernel.shape):
        output_size(n, k, stride, padding)  # VALID에서 필터가 더 크면 한국어 오류
    out = conv2d_reference(image[np.newaxis, :, :, np.newaxis], kernel[:, :, np.newaxis, np.newaxis], stride, padding)
    return out[0, :, :, 0].astype(float)


def make_kernel(name: str, custom=None) -> np.ndarray:
    """이름으로 필터를 고릅니다. ``"custom"`` 이면 ``custom`` (3×3 값 9개 또는 2차원 배열)을 씁니다."""
    if name == "custom":
        require(custom is not None, "직접 입력한 필터 값이 없습니다.")
        values = np.asarray(custom, dtype=float)
        if values.ndim == 1:
            require(values.size == 9, f"3×3 필터에는 값 9개가 필요합니다. 받은 개수: {values.size}")
            values = values.reshape(3, 3)
        return check_kernel(values)
    require(name in KERNELS, f"모르는 필터 이름입니다: {name!r}. 고를 수 있는 것: {', '.join([*KERNELS, 'custom'])}")
    return KERNELS[name].copy()


def feature_map_for(image, kernel_name: str, stride: int = 1, padding: str = "SAME", custom=None) -> dict:
    """위젯 콜백: 이미지에 고른 필터를 대어 특징 맵과 모양을 돌려줍니다."""
    kernel = make_kernel(kernel_name, custom)
    feature_map = conv2d_single(image, kernel, stride, padding)
    return {"kernel": kernel, "feature_map": feature_map, "shape": feature_map.shape}


def kernel_positions(shape: tuple[int, int], kernel_shape: tuple[int, int], stride: int, padding: str) -> list:
    """필터가 지나가는 자리 목록. 각 항목은 (출력 행, 출력 열, 패딩된 입력에서 창의 위 행, 왼 열)."""
    stride = check_stride(stride)
    out_h, out_w = (output_size(n, k, stride, padding) for n, k in zip(shape, kernel_shape))
    return [(i, j, i * stride, j * stride) for i in range(out_h) for j in range(out_w)]
