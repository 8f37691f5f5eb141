"""NumPy로 쓴 강의 코드의 한 곳: 합성곱, 풀링, 이름 붙은 필터, 이동, 드롭아웃.

아래 ``# @save-begin`` 과 ``# @save-end`` 사이는 노트북의 ``#@save cnnbook/reference.py`` 셀을 글자 그대로
옮긴 것입니다(``scripts/export_lessons.py`` 가 다시 씀). 고칠 때는 노트북 셀을 고치세요.
위젯, 그림, 테스트는 입력을 확인하는 얇은 함수(``cnnbook.conv``, ``cnnbook.pooling`` 등)를 거쳐 이 코드를 씁니다.
"""
from __future__ import annotations

import math

import numpy as np


# @save-begin 04_1_cnn_intro.ipynb edge-filters
# 방향이 다른 3×3 경계 필터. 밝기가 필터의 음수 쪽에서 양수 쪽으로 커지는 곳에서 큰 양수가 나옵니다.
SOBEL_VERTICAL = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float)  # 왼쪽 → 오른쪽
SOBEL_HORIZONTAL = SOBEL_VERTICAL.T.copy()  # 위 → 아래
EDGE_FILTERS = {
    "세로 경계": SOBEL_VERTICAL,
    "가로 경계": SOBEL_HORIZONTAL,
    "대각선 (/ 방향)": np.array([[-2, -1, 0], [-1, 0, 1], [0, 1, 2]], dtype=float),
    "대각선 (반대 방향)": np.array([[0, -1, -2], [1, 0, -1], [2, 1, 0]], dtype=float),
}
# @save-end


# @save-begin 04_1_cnn_intro.ipynb shift-image
def shift_image(image, dx, dy):
    # 마지막 두 축(높이, 너비)을 오른쪽으로 dx, 아래로 dy 픽셀 옮기고 빈 곳은 0으로 채웁니다.
    height, width = image.shape[-2:]
    shifted = np.zeros_like(image)
    src_rows = slice(max(0, -dy), height - max(0, dy))
    dst_rows = slice(max(0, dy), height - max(0, -dy))
    src_cols = slice(max(0, -dx), width - max(0, dx))
    dst_cols = slice(max(0, dx), width - max(0, -dx))
    shifted[..., dst_rows, dst_cols] = image[..., src_rows, src_cols]
    return shifted
# @save-end


# @save-begin 04_1_cnn_intro.ipynb unchanged-fraction
def unchanged_fraction(before, after, tol=0.1):
    # 두 맵에서 반응이 있는 칸 가운데, 같은 자리의 값이 (가장 큰 반응의 tol배 이내로) 그대로인 칸의 비율
    scale = max(float(np.abs(before).max()), float(np.abs(after).max()), 1e-12)
    active = (np.abs(before) > tol * scale) | (np.abs(after) > tol * scale)
    if not active.any():
        return 1.0
    return float(np.mean(np.abs(before - after)[active] <= tol * scale))
# @save-end


# @save-begin 04_2_1_convolution.ipynb size-formula
def output_length(n, k, s, padding):
    # 길이 n인 입력에 크기 k인 필터를 스트라이드 s로 댈 때의 출력 길이 (텐서플로 규칙)
    if padding == "SAME":
        return math.ceil(n / s)
    return (n - k) // s + 1  # VALID


def same_pads(n, k, s):
    # SAME 패딩에서 앞(위/왼쪽)과 뒤(아래/오른쪽)에 붙는 0의 개수
    p = max((output_length(n, k, s, "SAME") - 1) * s + k - n, 0)
    return p // 2, p - p // 2
# @save-end


# @save-begin 04_2_1_convolution.ipynb reference
def conv2d_reference(x, filters, stride, padding):
    # x: [N, H, W, C_in], filters: [kH, kW, C_in, C_out] -> [N, H_out, W_out, C_out]
    _, height, width, _ = x.shape
    k_h, k_w, _, out_channels = filters.shape
    out_h = output_length(height, k_h, stride, padding)
    out_w = output_length(width, k_w, stride, padding)
    if padding == "SAME":
        top, bottom = same_pads(height, k_h, stride)
        left, right = same_pads(width, k_w, stride)
        x = np.pad(x, [(0, 0), (top, bottom), (left, right), (0, 0)])
    out = np.zeros((x.shape[0], out_h, out_w, out_channels), dtype=np.float32)
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * stride, j * stride
            window = x[:, top:top + k_h, left:left + k_w, :]  # [N, kH, kW, C_in]
            out[:, i, j, :] = np.tensordot(window, filters, axes=([1, 2, 3], [0, 1, 2]))
    return out
# @save-end


# @save-begin 04_2_1_convolution.ipynb widget-filters
BLUR = np.full((3, 3), 1.0 / 9.0)  # 3×3 평균: 흐리게
SHARPEN = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float)  # 가운데를 키우고 이웃을 뺌: 선명하게
# @save-end


# @save-begin 04_2_1_convolution.ipynb activation-formulas
def relu(z):
    return np.maximum(z, 0.0)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def leaky_relu(z, alpha=0.2):
    return np.where(z > 0, z, alpha * z)


ACTIVATIONS = {
    "ReLU": relu,
    "시그모이드 (sigmoid)": sigmoid,
    "tanh": np.tanh,
    "leaky ReLU (α = 0.2)": leaky_relu,
}
# @save-end


# @save-begin 04_2_2_pooling.ipynb pool2d-numpy
def pool2d(feature_map, size=2, kind="max"):
    # 마지막 두 축을 겹치지 않는 size×size 창(스트라이드 = size)으로 나눠 창마다 최댓값이나 평균을 남깁니다.
    # 창에 다 들어가지 않는 오른쪽·아래 끝은 버립니다 (padding="VALID").
    height, width = feature_map.shape[-2:]
    out_h, out_w = height // size, width // size
    trimmed = feature_map[..., :out_h * size, :out_w * size]
    blocks = trimmed.reshape(*feature_map.shape[:-2], out_h, size, out_w, size)
    if kind == "max":
        return blocks.max(axis=(-3, -1))
    return blocks.mean(axis=(-3, -1))
# @save-end


# @save-begin 04_2_2_pooling.ipynb edge-map
def edge_feature_map(images, kernel=SOBEL_VERTICAL):
    # (개수, 높이, 너비) 이미지 묶음에 필터를 SAME 패딩으로 대고 ReLU를 씌운 특징 맵 (같은 모양)
    x = images[..., np.newaxis]  # 채널 축 하나를 붙임
    maps = conv2d_reference(x, kernel[:, :, np.newaxis, np.newaxis], 1, "SAME")[..., 0]
    return np.maximum(maps, 0.0)
# @save-end


# @save-begin 04_2_2_pooling.ipynb shift-table
def relative_change(before, after):
    # 이미지마다 ‖after − before‖ / ‖before‖ (마지막 두 축에 대해)
    norm = np.linalg.norm(before, axis=(-2, -1))
    return np.linalg.norm(after - before, axis=(-2, -1)) / np.maximum(norm, 1e-12)


def shift_sensitivity_table(images, sizes=(1, 2, 3, 4), kinds=("max", "average"),
                            shifts=((1, 0), (0, 1))):
    # 풀링 종류별로, 크기마다 1픽셀 이동 전후의 상대 변화량 평균을 잽니다: {종류: [크기별 값, ...]}
    base = edge_feature_map(images)
    moved = [edge_feature_map(shift_image(images, dx, dy)) for dx, dy in shifts]
    table = {}
    for kind in kinds:
        table[kind] = []
        for size in sizes:
            before = pool2d(base, size, kind)
            changes = [relative_change(before, pool2d(after, size, kind)) for after in moved]
            table[kind].append(float(np.mean(changes)))
    return table
# @save-end


# @save-begin 04_2_3_dropout.ipynb inverted-dropout
def inverted_dropout(x, rate, seed=0):
    # 확률 rate로 값을 0으로 만들고 남은 값은 1/(1 - rate) 배로 키웁니다. (출력, 남긴 자리 마스크)
    keep = np.random.default_rng(seed).random(np.shape(x)) >= rate
    return np.where(keep, x / (1.0 - rate), 0.0), keep
# @save-end
