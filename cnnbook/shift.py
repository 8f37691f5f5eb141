"""4.1 등변성 위젯이 쓰는 얇은 함수: 입력을 확인한 뒤 :mod:`cnnbook.reference` 의 강의 코드를 부릅니다.

이미지 옮기기(``shift_image``)와 "제자리에 남은 값의 비율"(``unchanged_fraction``)은 4.1 노트북의 ``#@save`` 셀에 있습니다.
"""
from __future__ import annotations

import numpy as np

import cnnbook.reference as reference
from cnnbook.conv import check_image, conv2d_single
from cnnbook.errors import require
from cnnbook.pooling import pool2d


def shift_image(image, dx: int, dy: int) -> np.ndarray:
    """2차원 이미지를 오른쪽으로 ``dx``, 아래로 ``dy`` 픽셀 옮기고 빈 곳은 0으로 채웁니다."""
    image = np.asarray(image)
    require(image.ndim == 2, f"2차원(높이×너비) 이미지가 필요합니다. 받은 모양: {image.shape}")
    height, width = image.shape
    require(abs(dx) < width and abs(dy) < height, f"이동량 ({dx}, {dy}) 이(가) 이미지 크기 {image.shape} 보다 큽니다.")
    return reference.shift_image(image, int(dx), int(dy))


def unchanged_fraction(before, after, tol: float = 0.1) -> float:
    """두 맵에서 반응이 있는 칸 가운데 같은 자리의 값이 (가장 큰 반응의 ``tol`` 배 이내로) 그대로인 비율."""
    before, after = np.asarray(before, float), np.asarray(after, float)
    require(before.shape == after.shape, f"두 맵의 모양이 다릅니다: {before.shape}, {after.shape}")
    return reference.unchanged_fraction(before, after, tol)


def equivariance_demo(image, kernel, dx: int, dy: int = 0, pool_size: int = 2) -> dict:
    """4.1 위젯 콜백: 원래 이미지와 옮긴 이미지에 같은 필터와 최대 풀링을 대어 비교합니다.

    돌려주는 사전
    - ``image``, ``shifted``: 원래 이미지와 (dx, dy) 만큼 옮긴 이미지
    - ``feature_map``, ``shifted_map``: 두 이미지의 특징 맵 (SAME 패딩, 스트라이드 1)
    - ``pooled``, ``shifted_pooled``: 두 특징 맵의 최대 풀링 결과
    - ``equivariance_error``: 특징 맵을 옮긴 것과 옮긴 이미지의 특징 맵의 최대 차이 (0이면 등변성)
    - ``map_unchanged``, ``pool_unchanged``: 같은 자리의 값이 그대로인 비율 (반응이 있는 칸만 셈)
    - ``global_max``, ``shifted_global_max``: 특징 맵 전체의 최댓값 (이미지가 잘리지 않으면 같음)
    """
    image = check_image(image)
    shifted = shift_image(image, dx, dy)
    feature_map = conv2d_single(image, kernel, 1, "SAME")
    shifted_map = conv2d_single(shifted, kernel, 1, "SAME")
    pooled = pool2d(feature_map, pool_size, "max")
    shifted_pooled = pool2d(shifted_map, pool_size, "max")
    equivariance_error = float(np.max(np.abs(shift_image(feature_map, dx, dy) - shifted_map)))
    return {
        "image": image,
        "shifted": shifted,
        "feature_map": feature_map,
        "shifted_map": shifted_map,
        "pooled": pooled,
        "shifted_pooled": shifted_pooled,
        "equivariance_error": equivariance_error,
        "map_unchanged": unchanged_fraction(feature_map, shifted_map),
        "pool_unchanged": unchanged_fraction(pooled, shifted_pooled),
        "global_max": float(feature_map.max()),
        "shifted_global_max": float(shifted_map.max()),
    }
