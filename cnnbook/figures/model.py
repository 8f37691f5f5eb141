"""4.2.4절 MNIST 합성곱 신경망의 구조도 (코드로 그림; 구조는 cnnbook.mnist_lessons 의 모델에서 읽음)."""
from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, Polygon, Rectangle

def architecture(model=None):
    """그릴 텐서와 연산 목록을 케라스 쌍둥이 모델의 계층 표에서 만듭니다 (구조를 따로 적어 두지 않음).

    돌려주는 값: (텐서 목록 [(이름표, 크기, 채널 수 또는 None, 종류)], 연산 목록 [(연산 이름, 매개변수 수)]).
    연산 i는 텐서 i에서 i+1로 갑니다. 드롭아웃은 모양을 바꾸지 않으므로 앞 연산에 붙여 적습니다.
    """
    from cnnbook.mnist_model import layer_table

    table = [row for row in layer_table(model) if row["kind"] != "Softmax"]
    tensors = [("입력 이미지", 28, 1, "map")]
    operations = []
    dense_seen = 0
    for row in table:
        kind, shape = row["kind"], row["shape"]
        if kind == "Dropout":
            name, params = operations[-1]
            operations[-1] = (name + "\n+ 드롭아웃", params)
            continue
        if kind == "Conv2D":
            k = row["kernel"][0]
            operations.append((f"합성곱 {k}×{k}\n+ ReLU", row["params"]))
        elif kind == "MaxPooling2D":
            operations.append(("최대 풀링\n2×2", 0))
        elif kind == "Flatten":
            operations.append(("펼치기", 0))
        elif kind == "Dense":
            dense_seen += 1
            relu = "\n+ ReLU" if row["activation"] == "relu" else ""
            operations.append((f"완전 연결{relu}", row["params"]))
        else:
            raise ValueError(f"그림에 없는 계층 종류입니다: {kind}")
        if len(shape) == 3:
            tensors.append(("특징 맵", shape[0], shape[2], "map"))
        else:
            label = "펼친 벡터" if kind == "Flatten" else ("로짓" if row is table[-1] else "은닉 벡터")
            tensors.append((label, shape[0], None, "vector"))
    return tuple(tensors), tuple(operations)


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
    tensors, operations = architecture()
    fig, ax = plt.subplots(figsize=(12, 4.4))
    x = 0.0
    spans = []
    for label, size, channels, kind in tensors:
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
    for (_, left_end, _), (right_start, _, _), (name, params) in zip(spans, spans[1:], operations):
        arrow = FancyArrowPatch((left_end + 0.08, 0), (right_start - 0.08, 0), arrowstyle="-|>", mutation_scale=12, color="dimgray")
        ax.add_patch(arrow)
        middle = (left_end + right_start) / 2
        ax.text(middle, 0.35, name, ha="center", va="bottom", fontsize=8.5, color="black")
        if params:
            ax.text(middle, -0.3, f"매개변수\n{params:,}", ha="center", va="top", fontsize=7.5, color="dimgray")
    total = sum(p for _, p in operations)
    ax.set_title(f"MNIST 합성곱 신경망의 구조 (매개변수 {total:,}개)", fontsize=12)
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


# 4.2.4절 노트북이 이 함수를 바로 불러 그리므로 images/ 에 따로 저장하는 그림은 없습니다.
FIGURES: dict = {}
