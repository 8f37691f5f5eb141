"""4.1 CNN 소개의 그림: 완전 연결과 합성곱의 연결 비교, 이동 실험(등변성·불변성), 방향 필터."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnbook.conv import conv2d_single
from cnnbook.figures.base import BookFigure, View
from cnnbook.shift import equivariance_demo

WEIGHT_COLORS = ("#d62728", "#1f77b4", "#2ca02c")  # 가중치 w1, w2, w3


def _draw_nodes(ax, xs, y, labels, color):
    ax.scatter(xs, [y] * len(xs), s=520, color=color, edgecolor="black", zorder=3)
    for x, label in zip(xs, labels):
        ax.text(x, y, label, ha="center", va="center", fontsize=9, zorder=4)


def fc_vs_conv(n_in: int = 7, kernel_size: int = 3) -> Figure:
    """1차원으로 그린 완전 연결 계층과 합성곱 계층의 연결. 같은 색 선은 같은 가중치입니다."""
    n_out = n_in - kernel_size + 1
    fig = BookFigure(figsize=(10, 4.2), layout="constrained")
    axes = fig.subplots(1, 2)
    xs_in = np.arange(n_in, dtype=float)
    xs_out = np.arange(n_out, dtype=float) + (kernel_size - 1) / 2
    in_labels = [f"x{i + 1}" for i in range(n_in)]
    out_labels = [f"y{i + 1}" for i in range(n_out)]

    ax = axes[0]
    for xo in xs_out:
        for xi in xs_in:
            ax.plot([xi, xo], [0, 1], color="gray", lw=1, alpha=0.7, zorder=1)
    ax.set_title(f"완전 연결 계층: 선마다 다른 가중치\n가중치 {n_in} × {n_out} = {n_in * n_out}개", fontsize=11)

    ax = axes[1]
    for o, xo in enumerate(xs_out):
        for k in range(kernel_size):
            ax.plot([xs_in[o + k], xo], [0, 1], color=WEIGHT_COLORS[k % 3], lw=2.2, zorder=1)
    ax.set_title(
        f"합성곱 계층: 이웃한 {kernel_size}개에만 연결, 같은 색은 같은 가중치\n가중치 {kernel_size}개 (가중치 공유)",
        fontsize=11,
    )
    for k in range(kernel_size):
        ax.plot([], [], color=WEIGHT_COLORS[k % 3], lw=2.2, label=f"w{k + 1}")
    ax.legend(loc="center right", bbox_to_anchor=(1.0, 0.5), fontsize=9, frameon=False)

    for ax in axes:
        _draw_nodes(ax, xs_in, 0, in_labels, "#f2f2f2")
        _draw_nodes(ax, xs_out, 1, out_labels, "#ffe9a8")
        ax.text(-0.9, 0, "입력", ha="right", va="center", fontsize=10)
        ax.text(-0.9, 1, "출력", ha="right", va="center", fontsize=10)
        ax.set_xlim(-2.2, n_in)
        ax.set_ylim(-0.3, 1.3)
        ax.axis("off")
    return fig


def oriented_responses(image, filters: dict) -> Figure:
    """경계 필터들(``{이름: 3×3 필터}``, 4.1의 ``EDGE_FILTERS``)이 같은 숫자의 다른 부분에 반응하는 모습 (ReLU 뒤)."""
    fig = BookFigure(figsize=(10, 4.6), layout="constrained")
    axes = fig.subplots(2, len(filters) + 1)
    axes[0, 0].imshow(image, cmap="gray_r")
    axes[0, 0].set_title("입력 숫자")
    axes[1, 0].axis("off")
    for col, (name, kernel) in enumerate(filters.items(), start=1):
        axes[0, col].imshow(kernel, cmap="coolwarm", vmin=-2, vmax=2)
        axes[0, col].set_title(f"필터: {name}")
        response = np.maximum(conv2d_single(image, kernel), 0)
        axes[1, col].imshow(response, cmap="magma")
        axes[1, col].set_title("특징 맵 (ReLU 뒤)")
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    return fig


class EquivarianceView(View):
    """숫자를 옮기면 특징 맵도 함께 옮겨 가고(등변성), 풀링 뒤에는 덜 변하는(불변성) 모습."""

    def __init__(self, image, kernel, pool_size: int = 2):
        self.image = np.asarray(image, dtype=float)
        self.kernel = np.asarray(kernel, dtype=float)
        self.pool_size = pool_size
        first = equivariance_demo(self.image, self.kernel, 0, 0, pool_size)
        self.fig = BookFigure(figsize=(9.5, 6.4), layout="constrained")
        axes = self.fig.subplots(2, 3)
        map_limit = np.abs(first["feature_map"]).max()
        columns = [("image", "shifted", "입력 이미지", "gray_r", 0, self.image.max())]
        columns.append(("feature_map", "shifted_map", "특징 맵 (합성곱)", "coolwarm", -map_limit, map_limit))
        title = f"최대 풀링 {pool_size}×{pool_size}"
        columns.append(("pooled", "shifted_pooled", title, "coolwarm", -map_limit, map_limit))
        self.images = {}
        for col, (key, shifted_key, name, cmap, vmin, vmax) in enumerate(columns):
            for row, (array_key, row_name) in enumerate(((key, "원래"), (shifted_key, "옮긴 뒤"))):
                ax = axes[row, col]
                self.images[array_key] = ax.imshow(first[key], cmap=cmap, vmin=vmin, vmax=vmax)
                ax.set_title(f"{row_name}: {name}", fontsize=11)
                ax.set_xticks([])
                ax.set_yticks([])
        self.title = self.fig.suptitle("", fontsize=11)
        self.update(dx=0, dy=0)

    def update(self, dx: int = 0, dy: int = 0) -> None:
        result = equivariance_demo(self.image, self.kernel, dx, dy, self.pool_size)
        for key, artist in self.images.items():
            artist.set_data(result[key])
        self.result = result
        self.title.set_text(
            f"이동 (오른쪽 {dx}, 아래 {dy}) · 특징 맵을 옮긴 것과의 최대 차이 {result['equivariance_error']:.3f}\n"
            f"같은 자리 값이 그대로인 칸: 특징 맵 {result['map_unchanged']:.0%}, "
            f"풀링 뒤 {result['pool_unchanged']:.0%} · 전체 최댓값: 원래 {result['global_max']:.2f}, "
            f"옮긴 뒤 {result['shifted_global_max']:.2f}"
        )


FIGURES = {"04_1_fc_vs_conv.png": fc_vs_conv}
