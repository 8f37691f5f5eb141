"""그리기 판에서 마우스로 그린 것 같은 숫자: 손으로 정한 획(0, 1, 3, 4, 7)과 그 획을 흔든 변형들.

4.2.7절이 그리기 판의 줄인 가중치가 그린 숫자에서도 원래 모델과 같은 답을 내는지 잴 때 쓰고,
테스트(test_draw_panel_js.py, test_digit_input.py)와 benchmarks/photo_digits.py 도 씁니다. 좌표는 280×280 판 좌표입니다.
"""
from __future__ import annotations

import numpy as np

__all__ = ["STROKES", "drawn_set", "jitter"]

STROKES = {
    1: [[(140, 40), (140, 240)]],
    7: [[(70, 50), (210, 50), (120, 240)]],
    0: [[(140, 40), (80, 80), (70, 140), (85, 210), (140, 240), (195, 210), (210, 140), (195, 80), (140, 40)]],
    4: [[(170, 40), (70, 170), (220, 170)], [(170, 40), (170, 245)]],
    3: [[(80, 60), (140, 40), (200, 70), (150, 135), (205, 190), (140, 240), (75, 215)]],
}


def jitter(strokes, rng: np.random.Generator, size: int = 280):
    """획 전체를 조금 돌리고(±15°) 키우거나 줄이고(0.7–1.1배) 옮기며(±25픽셀), 점마다 손떨림(±4픽셀)을 더합니다."""
    angle = np.deg2rad(rng.uniform(-15, 15))
    scale = rng.uniform(0.7, 1.1)
    shift = rng.uniform(-25, 25, size=2)
    rotation = scale * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    centre = np.array([size / 2, size / 2])
    moved = []
    for stroke in strokes:
        points = np.asarray(stroke, dtype=float)
        points = (points - centre) @ rotation.T + centre + shift + rng.uniform(-4, 4, size=points.shape)
        moved.append([tuple(p) for p in np.clip(points, 8, size - 8)])
    return moved


def drawn_set(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """그린 것 같은 숫자 ``n`` 장을 MNIST 꼴(28×28, 0–1)로: (이미지 [n, 28, 28], 레이블 [n]).

    다섯 숫자의 획을 차례로 흔들어 선 굵기(14–22픽셀)를 바꿔 그린 뒤, 그리기 판과 같은 전처리를 합니다.
    """
    from cnnbook.digit_input import preprocess_gray, render_strokes

    rng = np.random.default_rng(seed)
    digits = sorted(STROKES)
    labels = np.array([digits[i % len(digits)] for i in range(n)])
    images = np.stack([
        preprocess_gray(render_strokes(jitter(STROKES[int(d)], rng), width=rng.uniform(14, 22))) for d in labels
    ]) if n else np.zeros((0, 28, 28), np.float32)
    return images.astype(np.float32), labels
