"""4.2.1 합성곱과 활성화 함수의 그림: 필터가 지나가는 애니메이션, 특징 맵 위젯, 활성화 함수.

계산은 모두 :mod:`cnnbook.conv` (즉 노트북에서 내보낸 :mod:`cnnbook.reference`)가 하고, 여기서는 그리기만 합니다.
"""
from __future__ import annotations

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnbook.conv import (
    KERNEL_NAMES_KO,
    check_padding,
    check_stride,
    conv2d_single,
    feature_map_for,
    kernel_positions,
    pad_for,
)
from cnnbook.errors import require
from cnnbook.figures.base import BookFigure, View

# 애니메이션에 쓰는 작은 입력과 필터 (손으로 더해 볼 수 있는 0과 1)
WALK_IMAGE = np.array(
    [
        [1, 1, 1, 0, 0],
        [0, 1, 1, 1, 0],
        [0, 0, 1, 1, 1],
        [0, 0, 1, 1, 0],
        [0, 1, 1, 0, 0],
    ],
    dtype=float,
)
WALK_KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=float)


class KernelWalkView(View):
    """필터가 (패딩된) 입력 위를 스트라이드만큼 옮겨 가며 특징 맵을 한 칸씩 채우는 모습."""

    def __init__(self, image=WALK_IMAGE, kernel=WALK_KERNEL, stride: int = 1, padding: str = "SAME"):
        self.image = np.asarray(image, dtype=float)
        self.kernel = np.asarray(kernel, dtype=float)
        self.fig = BookFigure(figsize=(8.4, 4.0))
        self.fig.subplots_adjust(left=0.02, right=0.98, top=0.8, bottom=0.04, wspace=0.15)
        self.ax_in, self.ax_out = self.fig.subplots(1, 2)
        self.title = self.fig.suptitle("", fontsize=11)
        self.setting = None
        self.update(step=0, stride=stride, padding=padding)

    def _layout(self, stride: int, padding: str) -> None:
        """스트라이드나 패딩이 바뀌었을 때만 격자를 새로 그립니다."""
        self.setting = (stride, padding)
        self.padded = pad_for(self.image, self.kernel.shape, stride, padding)
        self.feature_map = conv2d_single(self.image, self.kernel, stride, padding)
        self.positions = kernel_positions(self.image.shape, self.kernel.shape, stride, padding)
        top = (self.padded.shape[0] - self.image.shape[0]) // 2 if padding == "SAME" else 0
        left = (self.padded.shape[1] - self.image.shape[1]) // 2 if padding == "SAME" else 0
        for ax in (self.ax_in, self.ax_out):
            ax.clear()
            ax.set_xticks([])
            ax.set_yticks([])
        # 입력: 원래 칸은 흰색, 패딩으로 붙인 0은 회색
        is_pad = np.ones(self.padded.shape, dtype=bool)
        is_pad[top : top + self.image.shape[0], left : left + self.image.shape[1]] = False
        self.ax_in.imshow(np.where(is_pad, 0.85, 1.0), cmap="gray", vmin=0, vmax=1)
        for (r, c), value in np.ndenumerate(self.padded):
            self.ax_in.text(c, r, f"{value:g}", ha="center", va="center", fontsize=11,
                            color="#888888" if is_pad[r, c] else "black")
        self._grid(self.ax_in, self.padded.shape)
        self.window = Rectangle((-0.5, -0.5), self.kernel.shape[1], self.kernel.shape[0],
                                fill=True, facecolor="#ffcc0055", edgecolor="#d95f02", lw=3)
        self.ax_in.add_patch(self.window)
        self.weights = [self.ax_in.text(0, 0, "", fontsize=9.5, color="#d95f02", ha="left", va="top")
                        for _ in range(self.kernel.size)]
        pad_text = "패딩 없음" if padding == "VALID" else "회색 칸 = 패딩으로 붙인 0"
        self.ax_in.set_title(f"입력 {self.image.shape[0]}×{self.image.shape[1]} ({pad_text})", fontsize=10)
        # 출력: 아직 계산하지 않은 칸은 비워 둠
        out_h, out_w = self.feature_map.shape
        self.ax_out.imshow(np.ones((out_h, out_w)), cmap="gray", vmin=0, vmax=1)
        self.ax_out.set_xlim(-0.5, max(out_w, self.padded.shape[1]) - 0.5)
        self.ax_out.set_ylim(max(out_h, self.padded.shape[0]) - 0.5, -0.5)
        self._grid(self.ax_out, (out_h, out_w))
        self.cells = np.empty((out_h, out_w), dtype=object)
        for (r, c), _ in np.ndenumerate(self.feature_map):
            self.cells[r, c] = self.ax_out.text(c, r, "", ha="center", va="center", fontsize=11)
        self.current = Rectangle((-0.5, -0.5), 1, 1, fill=False, edgecolor="#d95f02", lw=3)
        self.ax_out.add_patch(self.current)
        self.ax_out.set_title(f"특징 맵 {out_h}×{out_w} (스트라이드 {stride}, {padding})", fontsize=10)
        for spine in self.ax_out.spines.values():
            spine.set_visible(False)

    @staticmethod
    def _grid(ax, shape) -> None:
        for r in range(shape[0] + 1):
            ax.plot([-0.5, shape[1] - 0.5], [r - 0.5, r - 0.5], color="#555555", lw=0.8)
        for c in range(shape[1] + 1):
            ax.plot([c - 0.5, c - 0.5], [-0.5, shape[0] - 0.5], color="#555555", lw=0.8)

    def update(self, step: int = 0, stride: int = 1, padding: str = "SAME") -> None:
        stride, padding = check_stride(stride), check_padding(padding)
        if self.setting != (stride, padding):
            self._layout(stride, padding)
        require(0 <= step < len(self.positions), f"단계는 0부터 {len(self.positions) - 1} 사이여야 합니다. 받은 값: {step}")
        out_r, out_c, top, left = self.positions[step]
        self.window.set_xy((left - 0.5, top - 0.5))
        for index, ((kr, kc), weight) in enumerate(np.ndenumerate(self.kernel)):
            self.weights[index].set_position((left + kc - 0.45, top + kr - 0.45))
            self.weights[index].set_text(f"×{weight:g}")
        for index, (r, c, _, _) in enumerate(self.positions):
            self.cells[r, c].set_text(f"{self.feature_map[r, c]:g}" if index <= step else "")
        self.current.set_xy((out_c - 0.5, out_r - 0.5))
        window = self.padded[top : top + self.kernel.shape[0], left : left + self.kernel.shape[1]]
        products = " + ".join(f"{v:g}×{w:g}" for v, w in zip(window.flat, self.kernel.flat) if w != 0)
        self.title.set_text(
            f"단계 {step + 1}/{len(self.positions)}: 특징 맵[{out_r}, {out_c}] = {products} "
            f"= {self.feature_map[out_r, out_c]:g}"
        )


def kernel_stride_animation(stride: int = 1, padding: str = "SAME") -> FuncAnimation:
    """``images/04_2_1_conv_stride.gif``: 3×3 필터가 5×5 입력 위를 지나가는 애니메이션."""
    view = KernelWalkView(stride=stride, padding=padding)
    steps = len(view.positions)

    def draw(step):
        view.update(step=step, stride=stride, padding=padding)
        return []

    return FuncAnimation(view.fig, draw, frames=steps, interval=500, blit=False)


class FeatureMapView(View):
    """MNIST 숫자 하나에 고른 필터를 대어 본 특징 맵과 그 모양."""

    def __init__(self, images, labels):
        self.images = np.asarray(images, dtype=float)
        self.labels = np.asarray(labels)
        require(self.images.ndim == 3, f"이미지 묶음은 (개수, 높이, 너비) 모양이어야 합니다. 받은 모양: {self.images.shape}")
        self.fig = BookFigure(figsize=(10, 3.9), layout="constrained")
        self.ax_image, self.ax_kernel, self.ax_map = self.fig.subplots(1, 3, width_ratios=[1, 0.7, 1])
        self.art_image = self.ax_image.imshow(self.images[0], cmap="gray_r", vmin=0, vmax=self.images.max())
        self.art_kernel = self.ax_kernel.imshow(np.zeros((3, 3)), cmap="coolwarm", vmin=-1, vmax=1)
        self.kernel_texts = [[self.ax_kernel.text(c, r, "", ha="center", va="center", fontsize=12)
                              for c in range(3)] for r in range(3)]
        self.art_map = self.ax_map.imshow(np.zeros((28, 28)), cmap="coolwarm", vmin=-1, vmax=1)
        bar = self.fig.colorbar(self.art_map, ax=self.ax_map, shrink=0.8)
        bar.ax.tick_params(labelsize=11)  # 책의 본문 폭으로 줄어도 10px 이상
        for ax in (self.ax_image, self.ax_kernel, self.ax_map):
            ax.set_xticks([])
            ax.set_yticks([])
        self.update()

    def update(self, digit: int = 0, kernel: str = "edge", stride: int = 1, padding: str = "SAME", **custom) -> None:
        require(0 <= digit < len(self.images), f"숫자 번호는 0부터 {len(self.images) - 1} 사이여야 합니다. 받은 값: {digit}")
        values = [custom.get(f"k{i}", 0.0) for i in range(9)] if kernel == "custom" else None
        image = self.images[digit]
        result = feature_map_for(image, kernel, stride, padding, custom=values)
        weights, feature_map = result["kernel"], result["feature_map"]
        self.art_image.set_data(image)
        self.ax_image.set_title(f"입력: 숫자 {self.labels[digit]} ({image.shape[0]}×{image.shape[1]})")
        limit = max(float(np.abs(weights).max()), 1e-6)
        self.art_kernel.set_data(weights)
        self.art_kernel.set_clim(-limit, limit)
        for (r, c), value in np.ndenumerate(weights):
            self.kernel_texts[r][c].set_text(f"{value:.2g}")
        self.ax_kernel.set_title(f"필터: {KERNEL_NAMES_KO.get(kernel, kernel)}")
        height, width = feature_map.shape
        self.art_map.set_data(feature_map)
        self.art_map.set_extent((-0.5, width - 0.5, height - 0.5, -0.5))
        map_limit = max(float(np.abs(feature_map).max()), 1e-6)
        self.art_map.set_clim(-map_limit, map_limit)
        self.ax_map.set_title(f"특징 맵: {height}×{width} (스트라이드 {stride}, {padding.upper()})")


def activation_functions(functions: dict) -> Figure:
    """활성화 함수 그래프. ``functions`` 는 ``{이름: 함수}`` (4.2.1의 ``ACTIVATIONS``)."""
    z = np.linspace(-4, 4, 401)
    fig = BookFigure(figsize=(10, 2.9), layout="constrained")
    axes = fig.subplots(1, len(functions), sharey=True)
    for ax, (name, function) in zip(axes, functions.items()):
        ax.axhline(0, color="gray", lw=0.8)
        ax.axvline(0, color="gray", lw=0.8)
        ax.plot(z, function(z), lw=2.4, color="#1f77b4")
        ax.set_title(name)
        ax.set_xlabel("입력 z")
        ax.set_ylim(-1.5, 4.2)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("출력")
    return fig


FIGURES = {
    "04_2_1_conv_stride.gif": kernel_stride_animation,
}
