"""4.2.6절 그림과 위젯 화면: 필터 격자, 특징 맵, 수용 영역, 채널이 좋아하는 조각, 불변성, 세 가지 지도.

화면(View) 클래스는 그림을 한 번 만들고 ``update(**값)`` 으로 제자리에서 고칩니다
(``cnnbook.live.live_widget`` 과 ``cnnbook.player.frames_player`` 가 함께 씀).
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from cnnbook.errors import require

SHAPES = {"conv1": "28×28×32", "pool1": "14×14×32", "conv2": "14×14×64", "pool2": "7×7×64"}


def _off(ax):
    ax.set_xticks([])
    ax.set_yticks([])


def filter_grid(learned, untrained, titles=("학습된 conv1 필터", "학습 전(He 초깃값) conv1 필터")):
    """5×5 필터 32개 두 벌을 나란히. 0이 흰색인 발산 색지도, 두 격자가 같은 눈금을 씁니다."""
    sets = [np.moveaxis(np.asarray(w)[:, :, 0, :], -1, 0) for w in (learned, untrained)]
    limit = float(max(np.abs(s).max() for s in sets))
    fig = plt.figure(figsize=(6.8, 6.4), layout="constrained")
    subs = fig.subfigures(2, 1)
    for sub, filters, title in zip(subs, sets, titles):
        axes = sub.subplots(4, 8)
        for ax, f in zip(axes.ravel(), filters):
            image = ax.imshow(f, cmap="RdBu_r", vmin=-limit, vmax=limit)
            _off(ax)
        sub.suptitle(title)
        sub.colorbar(image, ax=axes, shrink=0.9, label="가중치 (0이 흰색)")  # 두 격자가 같은 눈금
    plt.close(fig)  # 셀이 돌려준 그림 하나만 보이도록 (인라인 백엔드가 한 번 더 그리지 않게)
    return fig


class Conv2FiltersView:
    """conv2 의 출력 채널 하나가 입력 채널 32개에 쓰는 5×5 필터 32개 (한 장의 격자 그림; 빨리 다시 그림)."""

    def __init__(self, kernel):
        self.kernel = np.asarray(kernel)  # [5, 5, 32, 64]
        self.limit = float(np.abs(self.kernel).max())
        self.fig, self.ax = plt.subplots(figsize=(8, 4.3), layout="constrained")
        cmap = plt.get_cmap("RdBu_r").with_extremes(bad="#bbbbbb")
        self.image = self.ax.imshow(mosaic(self.kernel[:, :, :, 0]), cmap=cmap, vmin=-self.limit, vmax=self.limit)
        _off(self.ax)
        self.fig.colorbar(self.image, ax=self.ax, shrink=0.7, label="가중치")
        plt.close(self.fig)

    def update(self, channel: int = 0):
        require(0 <= channel < self.kernel.shape[3], f"출력 채널 {channel} 이(가) 0–63 밖입니다.")
        self.image.set_data(mosaic(self.kernel[:, :, :, channel]))
        self.ax.set_title(f"conv2 출력 채널 {channel}의 필터 (입력 채널 0–31, 각 5×5)")


def mosaic(maps, columns: int = 8, gap: int = 1) -> np.ndarray:
    """특징 맵 [H, W, C] 를 한 장의 격자 그림으로 (칸 사이는 NaN ``gap`` 줄, 색지도에서 바탕색)."""
    h, w, c = maps.shape
    rows = -(-c // columns)
    out = np.full((rows * (h + gap) - gap, columns * (w + gap) - gap), np.nan, np.float32)
    for k in range(c):
        i, j = divmod(k, columns)
        out[i * (h + gap):i * (h + gap) + h, j * (w + gap):j * (w + gap) + w] = maps[:, :, k]
    return out


def each_to_its_max(maps) -> np.ndarray:
    """특징 맵 [H, W, C] 의 채널마다 자기 최댓값이 1이 되게 나눕니다 (모두 0인 채널은 0 그대로)."""
    maps = np.asarray(maps, dtype=np.float32)
    top = maps.max(axis=(0, 1), keepdims=True)
    return np.divide(maps, top, out=np.zeros_like(maps), where=top > 0)


def strongest_channel(maps) -> int:
    """특징 맵 [H, W, C] 에서 활성값의 합이 가장 큰 채널."""
    return int(np.asarray(maps).sum(axis=(0, 1)).argmax())


class FeatureMapsView:
    """고른 숫자의 입력, 한 채널을 크게(색 막대와 함께), 그 계층의 특징 맵 전부(한 장의 격자).

    격자의 칸은 저마다 자기 최댓값으로 밝기를 맞춥니다 (깊은 계층의 약한 채널도 모양이 보이도록).
    큰 그림은 활성값 그대로이며, 채널을 주지 않으면 그 숫자에서 가장 세게 켜진 채널을 고릅니다.
    """

    def __init__(self, images, labels, layer_acts: dict):
        self.images, self.labels, self.acts = np.asarray(images), np.asarray(labels), layer_acts
        self.fig, axes = plt.subplot_mosaic([["in", "zoom"], ["grid", "grid"]], figsize=(6.8, 6.4),
                                            height_ratios=[1, 1.25], layout="constrained")
        self.ax_in, self.ax_zoom, self.ax_grid = axes["in"], axes["zoom"], axes["grid"]
        self.im_in = self.ax_in.imshow(np.zeros((28, 28)), cmap="gray_r", vmin=0, vmax=1)
        self.im_zoom = self.ax_zoom.imshow(np.zeros((28, 28)), cmap="magma")
        bar = self.fig.colorbar(self.im_zoom, ax=self.ax_zoom, shrink=0.85)
        bar.ax.set_title("활성값", fontsize=10)  # 옆 글자는 눈금 숫자와 겹칠 수 있어 위에 적습니다
        cmap = plt.get_cmap("magma").with_extremes(bad="#dddddd")
        self.im_grid = self.ax_grid.imshow(np.zeros((28, 28)), cmap=cmap, vmin=0, vmax=1)
        for ax in (self.ax_in, self.ax_zoom, self.ax_grid):
            _off(ax)
        plt.close(self.fig)

    def index_of(self, digit: int, nth: int) -> int:
        found = np.flatnonzero(self.labels == digit)
        require(len(found) > 0, f"숫자 {digit} 인 이미지가 없습니다.")
        return int(found[nth % len(found)])

    @staticmethod
    def _show(image, ax, data, top):
        image.set_data(data)
        image.set_extent((-0.5, data.shape[1] - 0.5, data.shape[0] - 0.5, -0.5))
        image.set_clim(0, top)
        ax.set_xlim(-0.5, data.shape[1] - 0.5)
        ax.set_ylim(data.shape[0] - 0.5, -0.5)

    def update(self, digit: int = 3, nth: int = 0, layer: str = "conv1", channel: int | None = None):
        require(layer in self.acts, f"계층 '{layer}' 의 특징 맵이 없습니다: {list(self.acts)}")
        n = self.index_of(digit, nth)
        maps = self.acts[layer][n]  # [H, W, C]
        channels = maps.shape[2]
        strongest = channel is None
        channel = strongest_channel(maps) if strongest else channel % channels
        self.im_in.set_data(self.images[n])
        self.ax_in.set_title(f"입력 (테스트 #{n}, 레이블 {self.labels[n]})\n28×28×1", fontsize=10)
        zoom = maps[:, :, channel]
        self._show(self.im_zoom, self.ax_zoom, zoom, float(zoom.max()) or 1.0)
        which = "가장 세게 켜진 채널 " if strongest else "채널 "
        self.ax_zoom.set_title(f"{layer} {which}{channel}\n{maps.shape[0]}×{maps.shape[1]}", fontsize=10)
        self._show(self.im_grid, self.ax_grid, mosaic(each_to_its_max(maps)), 1.0)
        self.ax_grid.set_title(f"{layer}의 특징 맵 {channels}개 ({SHAPES.get(layer, maps.shape)}), "
                               "칸마다 자기 최댓값으로 밝기를 맞춤", fontsize=10)


class ReceptiveFieldView:
    """고른 계층의 뉴런 하나가 보는 입력 영역을 숫자 위에 네모로."""

    def __init__(self, image, fields: dict, box_fn):
        self.fields, self.box_fn = fields, box_fn
        self.fig, (self.ax, self.ax_text) = plt.subplots(1, 2, figsize=(7, 3.4), width_ratios=[1, 1.1])
        self.ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
        self.rect = Rectangle((0, 0), 1, 1, fill=False, edgecolor="#d62728", linewidth=2.5)
        self.ax.add_patch(self.rect)
        self.ax.set_xticks(range(0, 28, 4))
        self.ax.set_yticks(range(0, 28, 4))
        self.ax_text.axis("off")
        self.text = self.ax_text.text(0, 0.5, "", va="center", fontsize=11)
        plt.close(self.fig)

    def update(self, layer: str = "conv2", row: float = 0.5, col: float = 0.5):
        f = self.fields[layer]
        i = min(int(row * f["side"]), f["side"] - 1)
        j = min(int(col * f["side"]), f["side"] - 1)
        top, left, bottom, right = self.box_fn(layer, i, j)
        self.rect.set_bounds(left - 0.5, top - 0.5, right - left + 1, bottom - top + 1)
        self.ax.set_title(f"{layer} 뉴런 ({i}, {j})")
        self.text.set_text(
            f"계층: {layer}\n특징 맵: {f['side']}×{f['side']}\n수용 영역: {f['size']}×{f['size']} 픽셀\n"
            f"입력 행 {top}–{bottom}, 열 {left}–{right}\n(가장자리에서는 이미지 밖이 잘림)"
        )


class TopPatchesView:
    """채널 하나를 가장 세게 켜는 테스트 조각 9개 (한 줄로 이어 붙인 그림 하나: 빨리 다시 그림)."""

    def __init__(self, images, peaks: dict, top_fn):
        self.images, self.peaks, self.top_fn = images, peaks, top_fn
        self.fig, self.ax = plt.subplots(figsize=(6.8, 2.2), layout="constrained")
        cmap = plt.get_cmap("gray_r").with_extremes(bad="#8a8a8a")  # 조각 사이의 회색 틈
        self.pic = self.ax.imshow(np.zeros((5, 53)), cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
        self.ax.set_yticks([])
        self.ax.tick_params(axis="x", length=0, labelsize=9)
        for side in self.ax.spines.values():
            side.set_visible(False)
        plt.close(self.fig)

    def update(self, layer: str = "conv1", channel: int = 0):
        patches, order, values, _ = self.top_fn(self.peaks[layer], self.images, layer, channel, k=9)
        size = patches.shape[1]
        gap = max(2, size // 5)  # 조각이 한 띠로 이어져 보이지 않도록 조각 폭의 약 1/5
        strip = mosaic(np.moveaxis(np.asarray(patches, dtype=np.float32), 0, -1), columns=len(patches), gap=gap)
        self.pic.set_data(strip)
        self.pic.set_extent((-0.5, strip.shape[1] - 0.5, strip.shape[0] - 0.5, -0.5))
        self.ax.set_xlim(-0.5, strip.shape[1] - 0.5)
        self.ax.set_ylim(strip.shape[0] - 0.5, -0.5)
        centers = [k * (size + gap) + (size - 1) / 2 for k in range(len(patches))]
        self.ax.set_xticks(centers, [f"#{n}\n{v:.2f}" for n, v in zip(order, values)])
        self.ax.set_title(f"{layer} 채널 {channel}을 가장 세게 켜는 {size}×{size} 조각 9개\n(아래: 테스트 이미지 번호와 "
                          "최댓값)", fontsize=10)


def invariance_chart(results: dict, labels: dict):
    """변환 네 가지(이동, 회전, 크기, 잡음)에 따른 두 모델의 정확도."""
    fig, axes = plt.subplots(2, 2, figsize=(6.8, 5.6), layout="constrained", sharey=True)
    axes = axes.ravel()
    titles = {"shift": "오른쪽으로 이동 (픽셀)", "rotation": "회전 (도)", "scale": "크기 (배)", "noise": "잡음 (표준편차)"}
    for ax, (kind, title) in zip(axes, titles.items()):
        for name, style in (("cnn", "o-"), ("dense", "s--")):
            amounts, accs = results[kind][name]
            ax.plot(amounts, np.asarray(accs) * 100, style, label=labels[name])
        ax.set_title(title)
        ax.grid(alpha=0.3)
    for ax in axes[::2]:
        ax.set_ylabel("테스트 정확도 (%)")
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside upper center", ncols=2)  # 두 선을 구별하는 유일한 열쇠이므로 크게
    plt.close(fig)
    return fig


class TransformView:
    """숫자 하나를 옮기고 돌리고 키우고 잡음을 더했을 때 두 모델의 확률."""

    def __init__(self, image, predict_fns: dict, transform_fn):
        self.image, self.predict_fns, self.transform_fn = image, predict_fns, transform_fn
        self.fig, (self.ax, self.ax_bar) = plt.subplots(1, 2, figsize=(6.8, 2.8), width_ratios=[1, 1.8])
        self.pic = self.ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
        _off(self.ax)
        x = np.arange(10)
        self.bars = {}
        for k, (name, _fn) in enumerate(predict_fns.items()):
            self.bars[name] = self.ax_bar.bar(x + (k - 0.5) * 0.4, np.zeros(10), 0.4, label=name)
        self.ax_bar.set_xticks(x)
        self.ax_bar.set_ylim(0, 1)
        self.ax_bar.set_ylabel("확률")
        self.ax_bar.legend(fontsize=9.5, loc="upper right")
        self.fig.tight_layout()
        plt.close(self.fig)

    def update(self, shift: int = 0, angle: float = 0.0, scale: float = 1.0, noise: float = 0.0):
        from cnnbook.inside import add_noise, affine_images

        x = affine_images(self.image, angle=angle, scale=scale, shift=(0, shift))
        x = add_noise(x, noise) if noise > 0 else x
        self.pic.set_data(x[0, :, :, 0])
        self.ax.set_title(f"이동 {shift}, 회전 {angle:g}°\n크기 {scale:g}, 잡음 {noise:g}", fontsize=9.5)
        for name, fn in self.predict_fns.items():
            for bar, p in zip(self.bars[name], fn(x)[0]):
                bar.set_height(p)


HEAT = "inferno"  # 지도의 색: 밝기가 고르게 커지는 색지도 (jet처럼 가운데가 튀지 않음)
OUTLINE = "#33d6ff"  # 지도 위 획 테두리의 색


def _outline(ax, image):
    """숫자의 획 테두리를 하늘색 선으로 (지도를 가리지 않고 어디가 획인지 보이도록). 그린 선을 돌려줍니다."""
    return ax.contour(np.asarray(image), levels=[0.5], colors=OUTLINE, linewidths=1.0)


def _heat_bar(fig, axes):
    """지도들이 함께 쓰는 색 막대 (지도마다 최댓값을 1로 맞춘 중요도)."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    bar = fig.colorbar(ScalarMappable(Normalize(0, 1), HEAT), ax=list(axes), shrink=0.8, ticks=[0, 0.5, 1])
    bar.ax.set_title("중요도", fontsize=9.5)


def explanation_figure(image, maps: dict, titles: dict, label: int, predicted: int):
    """입력과 현저성 맵, Grad-CAM, 가림 맵을 나란히 (각 지도는 0–1로 늘림)."""
    fig, axes = plt.subplots(1, 4, figsize=(6.8, 2.4), layout="constrained")
    axes[0].imshow(image, cmap="gray_r", vmin=0, vmax=1)
    axes[0].set_title(f"입력\n레이블 {label}, 예측 {predicted}", fontsize=9.5)
    for ax, (name, heat) in zip(axes[1:], maps.items()):
        top = float(np.max(heat)) or 1.0
        ax.imshow(np.asarray(heat) / top, cmap=HEAT, vmin=0, vmax=1)
        _outline(ax, image)
        ax.set_title(titles[name], fontsize=9.5)
    for ax in axes:
        _off(ax)
    _heat_bar(fig, axes[1:])
    plt.close(fig)
    return fig


class ExplanationView:
    """고른 숫자의 세 지도 (위젯용): 그림을 한 번 만들고 자료만 바꿉니다."""

    def __init__(self, images, labels, compute_fn, titles: dict):
        self.images, self.labels, self.compute_fn, self.titles = images, labels, compute_fn, titles
        self.fig, self.axes = plt.subplots(1, 4, figsize=(6.8, 2.5), layout="constrained")
        self.base = self.axes[0].imshow(np.zeros((28, 28)), cmap="gray_r", vmin=0, vmax=1)
        self.heat = [ax.imshow(np.zeros((28, 28)), cmap=HEAT, vmin=0, vmax=1) for ax in self.axes[1:]]
        self.outlines = []
        for ax in self.axes:
            _off(ax)
        _heat_bar(self.fig, self.axes[1:])
        self.sentence = ""
        plt.close(self.fig)

    def update(self, index: int = 0):
        image = self.images[index]
        maps, predicted, sentence = self.compute_fn(image)
        self.base.set_data(image)
        for line in self.outlines:
            line.remove()
        self.outlines = [_outline(ax, image) for ax in self.axes[1:]]
        self.axes[0].set_title(f"테스트 #{index}\n레이블 {self.labels[index]}, 예측 {predicted}", fontsize=9.5)
        for ax, h, (name, heat) in zip(self.axes[1:], self.heat, maps.items()):
            top = float(np.max(heat)) or 1.0
            h.set_data(np.asarray(heat) / top)
            ax.set_title(self.titles[name], fontsize=9.5)
        self.sentence = sentence


FIGURES: dict = {}  # 이 절의 그림은 학습된 가중치에 따라 달라지므로 노트북 안에서만 그립니다 (images/ 에 두지 않음)


class DigitView:
    """내 숫자: 모델이 보는 28×28 입력, 클래스별 확률, conv1 특징 맵 32개."""

    def __init__(self):
        self.fig = plt.figure(figsize=(11, 3.4), layout="constrained")
        left, mid, right = self.fig.subfigures(1, 3, width_ratios=[1, 1.3, 2])
        self.ax_in = left.subplots()
        self.pic = self.ax_in.imshow(np.zeros((28, 28)), cmap="gray_r", vmin=0, vmax=1)
        _off(self.ax_in)
        self.ax_bar = mid.subplots()
        self.bars = self.ax_bar.bar(range(10), np.zeros(10), color="#1f77b4")
        self.ax_bar.set_xticks(range(10))
        self.ax_bar.set_ylim(0, 1)
        self.ax_bar.set_ylabel("확률")
        self.ax_maps = right.subplots()
        cmap = plt.get_cmap("magma").with_extremes(bad="#dddddd")
        self.maps = self.ax_maps.imshow(mosaic(np.zeros((28, 28, 32))), cmap=cmap, vmin=0, vmax=1)
        _off(self.ax_maps)
        self.ax_maps.set_title("conv1 특징 맵 32개 (28×28×32)", fontsize=10)
        plt.close(self.fig)

    def update(self, image, probs, maps):
        image, probs, maps = np.asarray(image), np.asarray(probs), np.asarray(maps)
        require(image.shape == (28, 28) and probs.shape == (10,) and maps.shape == (28, 28, 32),
                f"모양이 맞지 않습니다: {image.shape}, {probs.shape}, {maps.shape}")
        self.pic.set_data(image)
        self.ax_in.set_title("모델이 보는 28×28 입력", fontsize=10)
        best = int(probs.argmax())
        for d, (bar, p) in enumerate(zip(self.bars, probs)):
            bar.set_height(p)
            bar.set_color("#d62728" if d == best else "#1f77b4")
        self.ax_bar.set_title(f"예측: {best} (확률 {probs[best]:.1%})", fontsize=10)
        self.maps.set_data(mosaic(maps))
        self.maps.set_clim(0, float(maps.max()) or 1.0)


def preprocessing_steps(gray, steps: dict):
    """전처리 단계를 차례로: 원본 밝기(종이가 흰색), 잉크(뒤집고 늘림, 잉크가 흰색), 28×28 결과(잉크가 흰색)."""
    fig, axes = plt.subplots(1, len(steps) + 1, figsize=(2.25 * (len(steps) + 1), 2.6), layout="constrained")
    axes[0].imshow(gray, cmap="gray", vmin=0, vmax=1)
    axes[0].set_title(f"그린 그림 {gray.shape[1]}×{gray.shape[0]}", fontsize=10)
    for ax, (title, image) in zip(axes[1:], steps.items()):
        ax.imshow(image, cmap="gray", vmin=0, vmax=1)  # 잉크가 1(흰색): MNIST처럼 검은 바탕에 흰 획
        ax.set_title(title, fontsize=10)
    for ax in axes:
        _off(ax)
    plt.close(fig)
    return fig


def photo_examples(photos, inputs, labels, predictions):
    """사진처럼 찍은 숫자(위)와 모델이 본 28×28 입력(아래), 정답과 예측. 틀린 것은 제목이 빨강."""
    require(len(photos) == len(inputs) == len(labels) == len(predictions) > 0, "사진, 입력, 정답, 예측의 수가 다릅니다.")
    n = len(photos)
    fig, axes = plt.subplots(2, n, figsize=(min(6.8, 2.2 * n), 4.2), layout="constrained", squeeze=False)
    for k in range(n):
        axes[0, k].imshow(photos[k], cmap="gray", vmin=0, vmax=1)
        axes[0, k].set_title(f"사진 {photos[k].shape[1]}×{photos[k].shape[0]}", fontsize=9)
        axes[1, k].imshow(inputs[k], cmap="gray", vmin=0, vmax=1)
        right = int(labels[k]) == int(predictions[k])
        axes[1, k].set_title(f"정답 {int(labels[k])}, 예측 {int(predictions[k])}", fontsize=10,
                             color="black" if right else "#d62728")
        _off(axes[0, k])
        _off(axes[1, k])
    axes[0, 0].set_ylabel("올린 사진", fontsize=10)
    axes[1, 0].set_ylabel("모델이 본 28×28", fontsize=10)
    plt.close(fig)
    return fig
