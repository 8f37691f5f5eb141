"""4.2.3 드롭아웃의 그림과 위젯 화면."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from cnnbook.dropout import dropout_mask, dropout_view_data
from cnnbook.figures.base import BookFigure, View

MASK_CMAP = ListedColormap(["#222222", "#f2f2f2"])  # 0 = 지움(검정), 1 = 남김(흰색)


def _network_axes(ax, layer_sizes, keep, title):
    """완전 연결 신경망을 점과 선으로 그립니다. ``keep[l][i]`` 가 거짓이면 그 뉴런은 꺼진 것입니다."""
    xs = np.linspace(0, 1, len(layer_sizes))
    positions = []
    for x, n in zip(xs, layer_sizes):
        ys = np.linspace(0.5 - 0.11 * (n - 1), 0.5 + 0.11 * (n - 1), n)
        positions.append([(x, y) for y in ys])
    for l in range(len(layer_sizes) - 1):
        for i, (x0, y0) in enumerate(positions[l]):
            for j, (x1, y1) in enumerate(positions[l + 1]):
                on = keep[l][i] and keep[l + 1][j]
                ax.plot([x0, x1], [y0, y1], color="#555" if on else "#ddd", linewidth=0.9 if on else 0.5,
                        zorder=1, linestyle="-" if on else ":")
    for l, layer in enumerate(positions):
        for i, (x, y) in enumerate(layer):
            on = keep[l][i]
            ax.scatter([x], [y], s=420, color="#4c9be8" if on else "white", edgecolors="#333", zorder=2)
            if not on:
                ax.plot([x - 0.025, x + 0.025], [y - 0.035, y + 0.035], color="#d62728", linewidth=2, zorder=3)
                ax.plot([x - 0.025, x + 0.025], [y + 0.035, y - 0.035], color="#d62728", linewidth=2, zorder=3)
    ax.set_xlim(-0.1, 1.1)
    ax.set_ylim(-0.05, 1.05)
    ax.axis("off")
    ax.set_title(title, fontsize=13)


def dropout_network_figure():
    """드롭아웃 없이 본 신경망과, 학습 중 은닉 뉴런 일부를 끈 신경망을 나란히 그립니다."""
    sizes = [4, 5, 5, 3]
    full = [[True] * n for n in sizes]
    hidden_1 = dropout_mask(5, 0.5, seed=3)
    hidden_2 = dropout_mask(5, 0.5, seed=7)
    dropped = [[True] * 4, list(hidden_1), list(hidden_2), [True] * 3]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
    _network_axes(axes[0], sizes, full, "(a) 추론: 모든 뉴런 사용")
    _network_axes(axes[1], sizes, dropped, "(b) 학습: 은닉 뉴런 일부를 끔 (rate=0.5)")
    fig.tight_layout()
    return fig


class DropoutView(View):
    """드롭아웃 위젯 화면: 활성값, 마스크, 드롭아웃 출력.

    ``update(rate=...)`` 는 그림을 새로 만들지 않고 이미지 데이터와 제목만 바꿉니다.
    출력은 ``1/(1-rate)`` 배가 되므로 활성값과 같은 색 범위(최댓값의 2배까지)로 그려 밝아지는 것을 보입니다.
    """

    def __init__(self, activations, seed: int = 0):
        self.activations = np.asarray(activations, dtype=float)
        self.seed = seed
        data = dropout_view_data(self.activations, 0.0, seed)
        vmax = 2.0 * (float(self.activations.max()) or 1.0)
        self.fig = BookFigure(figsize=(9.6, 4.1), layout="constrained")
        self.fig.get_layout_engine().set(h_pad=0.12)  # 전체 제목과 칸 제목 사이를 띄움
        axes = self.fig.subplots(1, 3)
        self.axes = axes
        axes[0].imshow(data["activations"], cmap="viridis", vmin=0, vmax=vmax)
        axes[0].set_title(f"활성값 (평균 {data['mean_before']:.3f})")
        self.mask_art = axes[1].imshow(data["mask"].astype(float), cmap=MASK_CMAP, vmin=0, vmax=1)
        self.output_art = axes[2].imshow(data["output"], cmap="viridis", vmin=0, vmax=vmax)
        for ax in axes:
            ax.set_xticks([])
            ax.set_yticks([])
        bar = self.fig.colorbar(self.output_art, ax=[axes[0], axes[2]], shrink=0.85, location="right")
        bar.ax.set_title("값", fontsize=11)  # 활성값과 출력이 같은 색 범위
        bar.ax.tick_params(labelsize=11)
        self.suptitle = self.fig.suptitle("", fontsize=12)
        self.update()

    def update(self, rate: float = 0.5) -> None:
        data = dropout_view_data(self.activations, rate, self.seed)
        self.mask_art.set_data(data["mask"].astype(float))
        self.output_art.set_data(data["output"])
        self.axes[1].set_title(f"마스크: 흰색 = 남김 ({data['kept_fraction']:.0%})")
        self.axes[2].set_title(f"출력 ×{1 / (1 - rate):.2f} (평균 {data['mean_after']:.3f})")
        self.suptitle.set_text(f"rate = {rate:.2f}  (텐서플로 1의 keep_prob = {1 - rate:.2f})")


def plot_dropout_curves(histories: dict, epochs):
    """드롭아웃 유무에 따른 학습/검증 정확도 곡선과 그 차이를 그립니다.

    ``histories`` 는 ``{이름: {"train": [...], "val": [...]}}`` 입니다.
    """
    fig, axes = plt.subplots(1, 2, figsize=(8.8, 3.9))
    colors = ["#d62728", "#1f77b4", "#2ca02c"]
    for color, (name, history) in zip(colors, histories.items()):
        axes[0].plot(epochs, history["train"], color=color, linestyle="--", label=f"{name} · 학습")
        axes[0].plot(epochs, history["val"], color=color, label=f"{name} · 검증")
        gap = np.asarray(history["train"]) - np.asarray(history["val"])
        axes[1].plot(epochs, gap, color=color, marker="o", markersize=3, label=name)
    axes[0].set_xlabel("에포크")
    axes[0].set_ylabel("정확도")
    axes[0].set_title("학습 정확도(점선)와 검증 정확도(실선)")
    axes[0].legend(fontsize=10.5)
    axes[1].axhline(0, color="#888", linewidth=0.8)
    axes[1].set_xlabel("에포크")
    axes[1].set_ylabel("학습 정확도 - 검증 정확도")
    axes[1].set_title("정확도 차이 (작을수록 과대적합이 적음)")
    axes[1].legend(fontsize=10.5)
    fig.tight_layout()
    return fig


FIGURES: dict = {}  # 이 절의 그림은 모두 노트북 안에서 그립니다 (images/ 에 따로 두지 않음)
