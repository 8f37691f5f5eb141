"""4.2.2 풀링의 그림과 위젯 화면."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from cnnbook.figures.base import BookFigure, View
from cnnbook.pooling import POOL_KINDS, pool2d, pooling_view_data
from cnnbook.reference import SOBEL_VERTICAL

# 작은 수치 예: 4×4 특징 맵 (노트북의 assert와 같은 값)
EXAMPLE = np.array(
    [
        [1, 3, 2, 0],
        [5, 6, 1, 2],
        [7, 2, 9, 4],
        [0, 1, 3, 8],
    ],
    dtype=float,
)
BLOCK_COLORS = ["#fde2e4", "#dbeafe", "#dcfce7", "#fef3c7"]


def _draw_grid(ax, values: np.ndarray, title: str, fmt: str = "{:g}") -> None:
    """숫자가 적힌 칸을 그리고, 2×2 창마다 다른 바탕색을 칠합니다."""
    rows, cols = values.shape
    block = 2 if rows == 4 else 1
    for r in range(rows):
        for c in range(cols):
            color = BLOCK_COLORS[(r // block) * 2 + (c // block)]
            ax.add_patch(Rectangle((c, r), 1, 1, facecolor=color, edgecolor="#444", linewidth=1))
            ax.text(c + 0.5, r + 0.5, fmt.format(values[r, c]), ha="center", va="center", fontsize=15)
    if block == 2:
        for k in (0, 2, 4):
            ax.axhline(k, color="black", linewidth=2.5)
            ax.axvline(k, color="black", linewidth=2.5)
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=13)


def pooling_example_figure():
    """4×4 특징 맵에 2×2 최대 풀링과 평균 풀링을 적용한 결과를 나란히 보여 줍니다."""
    fig, axes = plt.subplots(1, 3, figsize=(9, 3.4), gridspec_kw={"width_ratios": [2, 1, 1]})
    _draw_grid(axes[0], EXAMPLE, "특징 맵 (4×4)")
    _draw_grid(axes[1], pool2d(EXAMPLE, 2, "max"), "최대 풀링 (2×2)")
    _draw_grid(axes[2], pool2d(EXAMPLE, 2, "average"), "평균 풀링 (2×2)", fmt="{:.2f}")
    fig.tight_layout()
    return fig


class PoolingView(View):
    """풀링 위젯 화면: 입력 이미지, 경계 특징 맵, 풀링 결과.

    ``update(size=..., kind=...)`` 는 새 그림을 만들지 않고 세 번째 그림의 데이터만 바꿉니다.
    """

    def __init__(self, image, kernel=SOBEL_VERTICAL):
        self.image = np.asarray(image, dtype=float)
        self.kernel = kernel
        data = pooling_view_data(self.image, 1, "max", kernel)
        vmax = float(data["feature_map"].max()) or 1.0
        self.fig = BookFigure(figsize=(9.6, 3.6), layout="constrained")
        axes = self.fig.subplots(1, 3)
        self.axes = axes
        axes[0].imshow(data["image"], cmap="gray_r")
        axes[0].set_title(f"입력 이미지 {data['image'].shape[0]}×{data['image'].shape[1]}")
        axes[1].imshow(data["feature_map"], cmap="magma", vmin=0, vmax=vmax)
        axes[1].set_title("특징 맵 (세로 경계 필터 + ReLU)")
        self.pooled_art = axes[2].imshow(data["pooled"], cmap="magma", vmin=0, vmax=vmax)
        for ax in axes:
            ax.set_xticks([])
            ax.set_yticks([])
        self.update()

    def update(self, size: int = 2, kind: str = "max") -> None:
        data = pooling_view_data(self.image, size, kind, self.kernel)
        pooled = data["pooled"]
        height, width = pooled.shape
        extent = (-0.5, width - 0.5, height - 0.5, -0.5)
        self.pooled_art.set_data(pooled)
        self.pooled_art.set_extent(extent)
        ax = self.axes[2]
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
        label = "풀링 없음" if size == 1 else f"{POOL_KINDS[kind]} {size}×{size}"
        ax.set_title(f"{label}: {height}×{width} (크기 {data['size_ratio']:.0%})")


def plot_shift_sensitivity(table: dict, sizes=(1, 2, 3, 4)):
    """풀링 크기별 1픽셀 이동 민감도(상대 변화량)를 막대그래프로 그립니다."""
    fig, ax = plt.subplots(figsize=(7, 3.8))
    kinds = list(table)
    width = 0.8 / len(kinds)
    positions = np.arange(len(sizes))
    colors = {"max": "#d62728", "average": "#1f77b4"}
    for k, kind in enumerate(kinds):
        bars = ax.bar(positions + (k - (len(kinds) - 1) / 2) * width, table[kind], width,
                      label=POOL_KINDS.get(kind, kind), color=colors.get(kind))
        ax.bar_label(bars, fmt="%.2f", fontsize=9)
    ax.set_xticks(positions, ["없음 (1×1)" if s == 1 else f"{s}×{s}" for s in sizes])
    ax.set_xlabel("풀링 크기")
    ax.set_ylabel("1픽셀 이동 후 상대 변화량")
    ax.set_title("풀링이 클수록 작은 이동에 덜 민감합니다")
    ax.set_ylim(0, max(max(v) for v in table.values()) * 1.2)
    ax.legend()
    fig.tight_layout()
    return fig


FIGURES: dict = {}  # 이 절의 그림은 모두 노트북 안에서 그립니다 (images/ 에 따로 두지 않음)
