"""4.2.2 풀링: 위젯과 이동 실험이 쓰는 순수 함수 (NumPy만 사용).

텐서플로의 ``tf.nn.max_pool2d`` 와 같은 계산을 NumPy로 다시 적어, 위젯이 텐서플로 없이도
빠르게 다시 그려지고 단위 테스트로 값을 확인할 수 있게 합니다.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from cnnbook.errors import require
from cnnbook.shift import shift_image

POOL_KINDS = {"max": "최대 풀링", "average": "평균 풀링"}

# 세로 가장자리(왼쪽이 어둡고 오른쪽이 밝은 곳)에 반응하는 소벨(Sobel) 필터.
VERTICAL_EDGE = np.array(
    [
        [-1.0, 0.0, 1.0],
        [-2.0, 0.0, 2.0],
        [-1.0, 0.0, 1.0],
    ]
)
# 가로 가장자리(위가 어둡고 아래가 밝은 곳)에 반응하는 필터.
HORIZONTAL_EDGE = VERTICAL_EDGE.T.copy()


def _as_image(image, name: str = "이미지") -> np.ndarray:
    image = np.asarray(image, dtype=np.float64)
    require(image.ndim == 2, f"{name}는 2차원(높이×너비) 배열이어야 합니다. 받은 모양: {image.shape}")
    require(image.size > 0, f"{name}가 비어 있습니다.")
    require(bool(np.all(np.isfinite(image))), f"{name}에 NaN이나 무한대 값이 있습니다.")
    return image


def check_pool_size(size, height: int, width: int) -> int:
    """풀링 크기가 1 이상의 정수이고 특징 맵보다 크지 않은지 확인합니다."""
    require(
        isinstance(size, (int, np.integer)) and not isinstance(size, bool),
        f"풀링 크기는 정수여야 합니다. 받은 값: {size!r}",
    )
    require(size >= 1, f"풀링 크기는 1 이상이어야 합니다. 받은 값: {size}")
    require(
        size <= min(height, width),
        f"풀링 크기 {size} 이(가) 특징 맵 크기 {height}×{width} 보다 큽니다.",
    )
    return int(size)


def pool2d(feature_map, size: int = 2, kind: str = "max") -> np.ndarray:
    """겹치지 않는 ``size×size`` 창(스트라이드 = ``size``)으로 풀링합니다.

    ``tf.nn.max_pool2d(..., ksize=size, strides=size, padding="VALID")`` 와 같아서
    창에 다 들어가지 않는 오른쪽·아래 끝 줄은 버립니다. ``kind`` 는 ``"max"`` 또는 ``"average"``.
    """
    feature_map = _as_image(feature_map, "특징 맵")
    require(kind in POOL_KINDS, f"풀링 종류는 {list(POOL_KINDS)} 중 하나여야 합니다. 받은 값: {kind!r}")
    height, width = feature_map.shape
    size = check_pool_size(size, height, width)
    out_h, out_w = height // size, width // size
    blocks = feature_map[: out_h * size, : out_w * size].reshape(out_h, size, out_w, size)
    if kind == "max":
        return blocks.max(axis=(1, 3))
    return blocks.mean(axis=(1, 3))


def conv2d_same(image, kernel) -> np.ndarray:
    """스트라이드 1, 0 패딩(``padding="SAME"``)의 2차원 합성곱(텐서플로처럼 뒤집지 않는 상관).

    출력은 입력과 같은 모양입니다. 필터 크기는 홀수여야 합니다.
    """
    image = _as_image(image)
    kernel = _as_image(kernel, "필터")
    kh, kw = kernel.shape
    require(kh % 2 == 1 and kw % 2 == 1, f"필터의 높이와 너비는 홀수여야 합니다. 받은 모양: {kernel.shape}")
    padded = np.pad(image, ((kh // 2, kh // 2), (kw // 2, kw // 2)))
    height, width = image.shape
    out = np.zeros_like(image)
    for i in range(kh):
        for j in range(kw):
            out += kernel[i, j] * padded[i : i + height, j : j + width]
    return out


def edge_feature_map(image, kernel=VERTICAL_EDGE) -> np.ndarray:
    """이미지를 가장자리 필터로 합성곱한 뒤 ReLU를 적용한 특징 맵 (입력과 같은 모양)."""
    return np.maximum(conv2d_same(image, kernel), 0.0)


def pooling_view_data(image, size: int = 2, kind: str = "max", kernel=VERTICAL_EDGE) -> dict:
    """풀링 위젯의 콜백: 입력 이미지, 특징 맵, 풀링 결과와 크기 정보를 한 번에 계산합니다."""
    image = _as_image(image)
    feature_map = edge_feature_map(image, kernel)
    pooled = pool2d(feature_map, size, kind)
    return {
        "image": image,
        "feature_map": feature_map,
        "pooled": pooled,
        "size_ratio": pooled.size / feature_map.size,
    }


def relative_change(before, after) -> float:
    """두 배열의 상대 변화량 ‖after − before‖ / ‖before‖ (before가 0이면 0)."""
    before = np.asarray(before, dtype=np.float64)
    after = np.asarray(after, dtype=np.float64)
    require(before.shape == after.shape, f"두 배열의 모양이 다릅니다: {before.shape} 와 {after.shape}")
    norm = np.linalg.norm(before)
    return 0.0 if norm == 0 else float(np.linalg.norm(after - before) / norm)


def shift_sensitivity(
    images: Iterable,
    size: int,
    kind: str = "max",
    kernel=VERTICAL_EDGE,
    shifts: Sequence[tuple[int, int]] = ((1, 0), (0, 1)),
) -> float:
    """이미지를 1픽셀 옮겼을 때 (특징 맵 → 풀링) 결과가 평균적으로 얼마나 바뀌는지 잽니다.

    이미지마다, 이동마다 :func:`relative_change` 를 구해 평균을 돌려줍니다.
    ``size=1`` 은 풀링하지 않은 특징 맵 그대로입니다. 0이면 이동에 전혀 영향을 받지 않는다는 뜻입니다.
    """
    require(len(shifts) > 0, "이동 목록이 비어 있습니다.")
    changes = []
    for image in images:
        image = _as_image(image)
        base = pool2d(edge_feature_map(image, kernel), size, kind)
        for dx, dy in shifts:
            moved = pool2d(edge_feature_map(shift_image(image, dx, dy), kernel), size, kind)
            changes.append(relative_change(base, moved))
    require(len(changes) > 0, "이미지가 하나도 없습니다.")
    return float(np.mean(changes))


def shift_sensitivity_table(images, sizes=(1, 2, 3, 4), kinds=("max", "average"), kernel=VERTICAL_EDGE) -> dict:
    """풀링 종류별로 크기마다 :func:`shift_sensitivity` 를 잰 표 ``{종류: [값, ...]}``."""
    images = [_as_image(image) for image in images]
    return {kind: [shift_sensitivity(images, size, kind, kernel) for size in sizes] for kind in kinds}
