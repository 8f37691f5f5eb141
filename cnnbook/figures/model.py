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
FONT = {"small": 11.5, "label": 12.5, "title": 15}  # pt (그림 폭 10인치, 본문 폭에서 약 0.68배)
GAP = 1.9  # 텐서 사이의 간격 (연산 이름이 들어갈 자리)


def _cuboid(ax, x, size, depth, color, y=0.0):
    """앞면이 size×size 인 특징 맵을 두께 depth 의 상자로 그립니다. 상자의 오른쪽 끝 x를 돌려줍니다."""
    h = size / 28 * 2.6
    dx, dy = 0.35, 0.25  # 비스듬한 윗면과 옆면
    y0 = y - h / 2
    front = Rectangle((x, y0), depth, h, facecolor=color, edgecolor="black", linewidth=0.8)
    top = Polygon([(x, y0 + h), (x + dx, y0 + h + dy), (x + depth + dx, y0 + h + dy), (x + depth, y0 + h)],
                  closed=True, facecolor=color, edgecolor="black", linewidth=0.8, alpha=0.7)
    side = Polygon([(x + depth, y0), (x + depth + dx, y0 + dy), (x + depth + dx, y0 + h + dy), (x + depth, y0 + h)],
                   closed=True, facecolor=color, edgecolor="black", linewidth=0.8, alpha=0.5)
    for patch in (front, top, side):
        ax.add_patch(patch)
    return x + depth + dx, y + h / 2 + dy


def _bar(ax, x, length, color, y=0.0, dashed=False):
    """길이 length 인 벡터를 세로 막대로 그립니다 (길이는 로그 눈금)."""
    import math

    h = 0.6 + 0.85 * math.log10(length)
    ax.add_patch(Rectangle((x, y - h / 2), 0.28, h, facecolor=color, edgecolor="black", linewidth=0.8,
                           linestyle="--" if dashed else "-", alpha=0.55 if dashed else 1.0))
    return x + 0.28, y + h / 2


def _draw_row(ax, tensors, operations, y, first_dashed=False):
    """텐서와 그 사이의 연산을 한 줄로 그립니다. 줄의 오른쪽 끝 x를 돌려줍니다."""
    x, spans = 0.0, []
    for k, (label, size, channels, kind) in enumerate(tensors):
        if kind == "map":
            depth = 0.12 + 0.05 * channels ** 0.75
            right, _ = _cuboid(ax, x, size, depth, COLORS[kind], y)
            shape_text = f"{size}×{size}×{channels}"
        else:
            right, _ = _bar(ax, x, size, COLORS[kind], y, dashed=first_dashed and k == 0)
            shape_text = f"{size:,}"
        center = (x + right) / 2
        ax.text(center, y - 1.95, f"{label}\n{shape_text}", ha="center", va="top", fontsize=FONT["label"])
        spans.append((x, right))
        x = right + GAP
    for (_, left_end), (right_start, _), (name, params) in zip(spans, spans[1:], operations):
        _arrow(ax, left_end + 0.08, right_start - 0.08, y)
        middle = (left_end + right_start) / 2
        ax.text(middle, y + 0.3, name, ha="center", va="bottom", fontsize=FONT["label"])
        if params:
            ax.text(middle, y - 0.3, f"매개변수\n{params:,}", ha="center", va="top", fontsize=FONT["small"], color="#444444")
    return x - GAP


def _arrow(ax, start, end, y):
    ax.add_patch(FancyArrowPatch((start, y), (end, y), arrowstyle="-|>", mutation_scale=14, color="dimgray"))


def mnist_cnn_architecture():
    """입력 28×28×1 에서 확률 10개까지, 텐서의 모양과 계층별 매개변수 수를 두 줄로 그린 구조도.

    윗줄은 합성곱과 풀링(특징 맵)에서 펼친 벡터까지, 아랫줄은 펼친 벡터에서 완전 연결 계층을 지나 확률까지입니다.
    책의 본문 폭(680px)에서 가장 작은 글자도 10px 이상으로 보이도록 글꼴 크기를 정했습니다.
    """
    tensors, operations = architecture()
    split = next(k for k, t in enumerate(tensors) if t[3] == "vector")  # 처음 나오는 벡터(펼친 벡터)
    fig, ax = plt.subplots(figsize=(10, 7.2))
    top_end = _draw_row(ax, tensors[:split + 1], operations[:split], 0.0)
    bottom_y = -5.6
    end = _draw_row(ax, tensors[split:], operations[split:], bottom_y, first_dashed=True)
    ax.text(-0.2, bottom_y + 2.0, "(윗줄 끝의 펼친 벡터에서 이어짐)", ha="left", va="bottom", fontsize=FONT["small"],
            color="#444444")
    _arrow(ax, end + 0.08, end + GAP - 0.08, bottom_y)
    ax.text(end + GAP / 2, bottom_y + 0.3, "소프트맥스", ha="center", va="bottom", fontsize=FONT["label"])
    ax.text(end + GAP + 0.1, bottom_y, "확률\n10개", ha="left", va="center", fontsize=FONT["label"])
    total = sum(p for _, p in operations)
    ax.set_title(f"MNIST 합성곱 신경망의 구조 (매개변수 {total:,}개)", fontsize=FONT["title"])
    ax.set_xlim(-0.3, max(top_end, end + GAP + 1.3) + 0.2)
    ax.set_ylim(bottom_y - 2.9, 2.2)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.tight_layout()
    return fig


# 4.2.4절 노트북이 이 함수를 바로 불러 그리므로 images/ 에 따로 저장하는 그림은 없습니다.
FIGURES: dict = {}
