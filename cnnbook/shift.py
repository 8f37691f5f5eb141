"""이미지를 몇 픽셀 옮기는 순수 함수 (4.1 등변성, 4.2.2 풀링의 이동 실험에서 씀)."""
from __future__ import annotations

import numpy as np

from cnnbook.errors import require


def shift_image(image: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """2차원 이미지를 오른쪽으로 ``dx``, 아래로 ``dy`` 픽셀 옮기고 빈 곳은 0으로 채웁니다."""
    image = np.asarray(image)
    require(image.ndim == 2, f"2차원(높이×너비) 이미지가 필요합니다. 받은 모양: {image.shape}")
    height, width = image.shape
    require(abs(dx) < width and abs(dy) < height, f"이동량 ({dx}, {dy}) 이(가) 이미지 크기 {image.shape} 보다 큽니다.")
    shifted = np.zeros_like(image)
    src_rows = slice(max(0, -dy), height - max(0, dy))
    dst_rows = slice(max(0, dy), height - max(0, -dy))
    src_cols = slice(max(0, -dx), width - max(0, dx))
    dst_cols = slice(max(0, dx), width - max(0, -dx))
    shifted[dst_rows, dst_cols] = image[src_rows, src_cols]
    return shifted
