"""4.2.2 풀링 위젯과 그림이 쓰는 얇은 함수: 입력을 확인한 뒤 :mod:`cnnbook.reference` 의 강의 코드를 부릅니다.

풀링(``pool2d``), 경계 특징 맵, 1픽셀 이동 실험은 4.2.2 노트북의 ``#@save`` 셀에 있습니다.
"""
from __future__ import annotations

import numpy as np

import cnnbook.reference as reference
from cnnbook.errors import require
from cnnbook.reference import SOBEL_VERTICAL

POOL_KINDS = {"max": "최대 풀링", "average": "평균 풀링"}


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


def check_kind(kind: str) -> str:
    require(kind in POOL_KINDS, f"풀링 종류는 {list(POOL_KINDS)} 중 하나여야 합니다. 받은 값: {kind!r}")
    return kind


def pool2d(feature_map, size: int = 2, kind: str = "max") -> np.ndarray:
    """확인한 뒤 ``reference.pool2d``: 겹치지 않는 ``size×size`` 창, ``padding="VALID"``."""
    feature_map = _as_image(feature_map, "특징 맵")
    size = check_pool_size(size, *feature_map.shape)
    return reference.pool2d(feature_map, size, check_kind(kind))


def edge_feature_map(image, kernel=SOBEL_VERTICAL) -> np.ndarray:
    """이미지 한 장을 경계 필터로 합성곱(SAME)한 뒤 ReLU를 적용한 특징 맵 (입력과 같은 모양)."""
    image = _as_image(image)
    kernel = _as_image(kernel, "필터")
    return reference.edge_feature_map(image[np.newaxis], kernel)[0].astype(np.float64)


def pooling_view_data(image, size: int = 2, kind: str = "max", kernel=SOBEL_VERTICAL) -> dict:
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
    """두 2차원 배열의 상대 변화량 ‖after − before‖ / ‖before‖ (확인 뒤 ``reference.relative_change``)."""
    before = _as_image(before, "이전 배열")
    after = _as_image(after, "이후 배열")
    require(before.shape == after.shape, f"두 배열의 모양이 다릅니다: {before.shape} 와 {after.shape}")
    return float(reference.relative_change(before, after))


def shift_sensitivity_table(images, sizes=(1, 2, 3, 4), kinds=("max", "average")) -> dict:
    """확인한 뒤 ``reference.shift_sensitivity_table``: ``{종류: [크기별 평균 상대 변화량]}``."""
    images = np.asarray(images, dtype=np.float64)
    require(images.ndim == 3 and len(images) > 0, f"(개수, 높이, 너비) 이미지 묶음이 필요합니다. 받은 모양: {images.shape}")
    for size in sizes:
        check_pool_size(size, *images.shape[1:])
    for kind in kinds:
        check_kind(kind)
    return reference.shift_sensitivity_table(images, tuple(sizes), tuple(kinds))
