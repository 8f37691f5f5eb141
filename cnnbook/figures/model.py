"""4.2.4절 MNIST 합성곱 신경망의 구조도 (코드로 그림)."""
from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, Polygon, Rectangle

# (이름표, 높이·너비, 채널 수 또는 길이, 종류)
TENSORS = (
    ("입력 이미지", 28, 1, "map"),
    ("특징 맵", 28, 32, "map"),
    ("특징 맵", 14, 32, "map"),
    ("특징 맵", 14, 64, "map"),
    ("특징 맵", 7, 64, "map"),
    ("펼친 벡터", 3136, None, "vector"),
    ("은닉 벡터", 1024, None, "vector"),
    ("로짓", 10, None, "vector"),
)
# (연산 이름, 매개변수 수): TENSORS 의 i번째에서 i+1번째로 가는 연산
OPERATIONS = (
    ("합성곱 5×5\n+ ReLU", 5 * 5 * 1 * 32 + 32),
    ("최대 풀링\n2×2", 0),
    ("합성곱 5×5\n+ ReLU", 5 * 5 * 32 * 64 + 64),
    ("최대 풀링\n2×2", 0),
    ("펼치기", 0),
    ("완전 연결\n+ ReLU\n+ 드롭아웃", 3136 * 1024 + 1024),
    ("완전 연결", 1024 * 10 + 10),
)
COLORS = {"map": "#8ecae6", "vector": "#ffb703"}


def _cuboid(ax, x, size, depth, color):
    """앞면이 size×size 인 특징 맵을 두께 depth 의 상자로 그립니다. 상자의 오른쪽 끝 x를 돌려줍니다."""
    h = size / 28 * 2.6
    dx, dy = 0.35, 0.25  # 비스듬한 윗면과 옆면
    y0 = -h / 2
    front = Rectangle((x, y0), depth, h, facecolor=color, edgecolor="black", linewidth=0.8)
    top = Polygon([(x, y0 + h), (x + dx, y0 + h + dy), (x + depth + dx, y0 + h + dy), (x + depth, y0 + h)],
                  closed=True, facecolor=color, edgecolor="black", linewidth=0.8, alpha=0.7)
    side = Polygon([(x + depth, y0), (x + depth + dx, y0 + dy), (x + depth + dx, y0 + h + dy), (x + depth, y0 + h)],
                   closed=True, facecolor=color, edgecolor="black", linewidth=0.8, alpha=0.5)
    for patch in (front, top, side):
        ax.add_patch(patch)
    return x + depth + dx, h / 2 + dy


def _bar(ax, x, length, color):
    """길이 length 인 벡터를 세로 막대로 그립니다 (길이는 로그 눈금)."""
    import math

    h = 0.6 + 0.85 * math.log10(length)
    ax.add_patch(Rectangle((x, -h / 2), 0.28, h, facecolor=color, edgecolor="black", linewidth=0.8))
    return x + 0.28, h / 2


def mnist_cnn_architecture():
    """입력 28×28×1 에서 로짓 10개까지, 텐서의 모양과 계층별 매개변수 수를 그린 구조도."""
    fig, ax = plt.subplots(figsize=(12, 4.4))
    x = 0.0
    spans = []
    for label, size, channels, kind in TENSORS:
        if kind == "map":
            depth = 0.12 + 0.05 * channels ** 0.75
            right, top = _cuboid(ax, x, size, depth, COLORS[kind])
            shape_text = f"{size}×{size}×{channels}"
        else:
            right, top = _bar(ax, x, size, COLORS[kind])
            shape_text = f"{size:,}"
        center = (x + right) / 2
        ax.text(center, -2.05, f"{label}\n{shape_text}", ha="center", va="top", fontsize=9)
        spans.append((x, right, center))
        x = right + 1.25
    for (_, left_end, _), (right_start, _, _), (name, params) in zip(spans, spans[1:], OPERATIONS):
        arrow = FancyArrowPatch((left_end + 0.08, 0), (right_start - 0.08, 0), arrowstyle="-|>", mutation_scale=12, color="dimgray")
        ax.add_patch(arrow)
        middle = (left_end + right_start) / 2
        ax.text(middle, 0.35, name, ha="center", va="bottom", fontsize=8.5, color="black")
        if params:
            ax.text(middle, -0.3, f"매개변수\n{params:,}", ha="center", va="top", fontsize=7.5, color="dimgray")
    total = sum(p for _, p in OPERATIONS)
    ax.set_title(f"MNIST 분류기 버전 2의 구조 (매개변수 {total:,}개)", fontsize=12)
    end = x - 1.25
    ax.add_patch(FancyArrowPatch((end + 0.08, 0), (end + 1.0, 0), arrowstyle="-|>", mutation_scale=12, color="dimgray"))
    ax.text(end + 0.54, 0.35, "소프트맥스", ha="center", va="bottom", fontsize=8.5)
    ax.text(end + 1.1, 0.0, "확률\n10개", ha="left", va="center", fontsize=9)
    ax.set_xlim(-0.3, end + 1.9)
    ax.set_ylim(-2.75, 2.3)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.tight_layout()
    return fig


FIGURES = {"04_2_4_mnist_cnn_architecture.png": mnist_cnn_architecture}
