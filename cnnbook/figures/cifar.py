"""4.3절 CIFAR-10의 그림: 클래스별 예시, 증강 예시, 시간 대비 정확도, 필터, 특징 맵, 혼동 행렬, 틀린 예.

텐서플로는 함수 안에서만 불러옵니다. 학습된 모델이 필요한 그림은 노트북이 모델을 넘겨 그립니다.
``images/`` 에 미리 그려 둘 그림은 없으므로 ``FIGURES`` 는 비어 있습니다.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from cnnbook.data import CIFAR10_CLASSES_KO
from cnnbook.errors import require

CIFAR10_CLASSES_EN = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


def class_name(k: int, english: bool = True) -> str:
    """클래스 번호의 한국어(와 영어) 이름, 예: ``'고양이 (cat)'``."""
    require(0 <= int(k) < 10, f"CIFAR-10 클래스 번호는 0–9입니다. 받은 값: {k}")
    return f"{CIFAR10_CLASSES_KO[k]} ({CIFAR10_CLASSES_EN[k]})" if english else CIFAR10_CLASSES_KO[k]


def _check_images(images) -> np.ndarray:
    images = np.asarray(images)
    require(images.ndim == 4 and images.shape[-1] == 3, f"컬러 이미지 묶음 [N, H, W, 3]이 필요합니다. 받은 모양: {images.shape}")
    return images


def class_grid(images, labels, per_class: int = 8):
    """클래스마다 한 줄씩, 앞에서부터 ``per_class`` 장의 이미지를 보여 줍니다."""
    images = _check_images(images)
    labels = np.asarray(labels).reshape(-1)
    fig, axes = plt.subplots(10, per_class, figsize=(per_class * 0.9 + 1.6, 10 * 0.9))
    for k in range(10):
        index = np.flatnonzero(labels == k)[:per_class]
        for j, ax in enumerate(axes[k]):
            ax.axis("off")
            if j < len(index):
                ax.imshow(images[index[j]])
        axes[k, 0].text(-4, 16, class_name(k), ha="right", va="center", fontsize=9)
    fig.subplots_adjust(left=0.2, wspace=0.05, hspace=0.05)
    return fig


def augmentation_examples(image, augmented):
    """원본 한 장과 증강한 여러 장을 나란히 그립니다."""
    augmented = _check_images(augmented)
    fig, axes = plt.subplots(1, len(augmented) + 1, figsize=(1.3 * (len(augmented) + 1), 1.6))
    axes[0].imshow(np.asarray(image))
    axes[0].set_title("원본", fontsize=9)
    for ax, picture in zip(axes[1:], augmented):
        ax.imshow(picture)
    for ax in axes:
        ax.axis("off")
    axes[1].set_title("자르기 + 뒤집기", fontsize=9, loc="left")
    return fig


def _marker_boxes(ax, pad):
    """축에 그린 모든 점 표시(선만 있는 것은 빼고)의 화면 상자 [x0, y0, x1, y1] (픽셀), 둘레로 ``pad`` 픽셀 넓힘."""
    to_pixels = ax.figure.dpi / 72.0
    boxes = []
    for line in ax.lines:
        if line.get_marker() in (None, "", " ", "None", "none"):
            continue
        half = (line.get_markersize() + line.get_markeredgewidth()) / 2 * to_pixels + pad
        for px, py in line.get_transform().transform(line.get_xydata()):
            boxes.append((px - half, py - half, px + half, py + half))
    return boxes


def _number_points(fig, ax, xs, ys, gap=3.0):
    """점마다 번호 k를 적습니다. 번호끼리, 또 번호와 점 표시가 겹치지 않게 자리를 찾습니다.

    점 둘레의 고리(반지름 9–70pt, 16방향)를 안쪽부터 돌며, 글자 상자가 이미 적은 번호와 모든 점 표시에서
    ``gap`` 포인트 이상 떨어지고 축 안에 드는 첫 자리를 씁니다. 점에서 멀리 옮긴 번호는 가는 회색 선으로 점과 잇습니다.
    자리는 화면 좌표로 재므로 눈금(로그), 범위, 배치(``tight_layout``)를 모두 정한 뒤에 불러야 합니다.
    """
    renderer = fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer") else fig._get_renderer()
    to_pixels = fig.dpi / 72.0
    pad = gap * to_pixels
    frame = ax.get_window_extent(renderer)
    taken = _marker_boxes(ax, pad)  # 피해야 할 상자 (점 표시 + gap), 번호를 적을 때마다 늘어남
    # 위, 아래, 오른쪽, 왼쪽, 대각선, 그 사이 순으로 (각도는 도)
    angles = [90, 270, 0, 180, 45, 135, 315, 225] + [a + 22.5 for a in range(0, 360, 45)]
    radii = [9, 12, 15, 19, 24, 30, 37, 45, 54, 62, 70]
    candidates = [(r * np.cos(np.radians(a)), r * np.sin(np.radians(a))) for r in radii for a in angles]

    for k, (x, y) in enumerate(zip(xs, ys), start=1):
        px, py = ax.transData.transform((x, y))
        label = ax.annotate(str(k), (x, y), textcoords="offset points", xytext=(0, 0), ha="center",
                            va="center", fontsize=11)
        best, best_room = None, -np.inf
        for dx, dy in candidates:
            label.xyann = (dx, dy)
            box = label.get_window_extent(renderer)  # 아직 선이 없으므로 글자 상자만
            if box.x0 < frame.x0 or box.x1 > frame.x1 or box.y0 < frame.y0 or box.y1 > frame.y1:
                continue  # 축 밖으로 나가는 자리
            # 가장 가까운 상자와의 틈 (겹치면 음수): 상자 사이 가로, 세로 틈 중 큰 것
            room = min((max(q0 - box.x1, box.x0 - q2, q1 - box.y1, box.y0 - q3) for q0, q1, q2, q3 in taken),
                       default=np.inf)
            if room >= 0:
                best = (dx, dy, box)
                break
            if room > best_room:  # 빈자리가 없을 때를 위해 가장 덜 겹치는 자리를 기억
                best, best_room = (dx, dy, box), room
        label.remove()
        if best is None:  # 축이 너무 작아 어떤 자리도 축 안에 들지 않을 때
            best = (0.0, 9.0, None)
        dx, dy, box = best
        # 글자 상자 가장자리가 점에서 10pt(중심으로는 약 14pt)보다 멀면 이끔선
        near = 0.0 if box is None else np.hypot(max(box.x0 - px, 0, px - box.x1), max(box.y0 - py, 0, py - box.y1))
        far = near / to_pixels > 10
        ax.annotate(str(k), (x, y), textcoords="offset points", xytext=(dx, dy), ha="center", va="center",
                    fontsize=11, arrowprops=dict(arrowstyle="-", lw=0.6, color="0.5", shrinkA=1, shrinkB=4)
                    if far else None)
        if box is not None:
            taken.append((box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad))


def time_to_accuracy(rows, ylabel: str = "검증 정확도 (%)"):
    """``rows``: (이름, 학습 초, 정확도) 목록. 가로축은 로그 눈금의 학습 시간, 세로축 이름은 ``ylabel``.

    점마다 번호를 붙이고 이름은 오른쪽 범례에 적습니다 (시간이 비슷한 칸의 이름이 겹치지 않게).
    """
    require(len(rows) > 0, "그릴 결과가 없습니다.")
    fig, ax = plt.subplots(figsize=(9.5, 4.4))
    seconds = np.array([r[1] for r in rows], dtype=float)
    accuracies = np.array([r[2] for r in rows], dtype=float) * 100
    colors = plt.get_cmap("tab10" if len(rows) <= 10 else "tab20")
    for k, ((name, _, _), x, y) in enumerate(zip(rows, seconds, accuracies), start=1):
        ax.plot(x, y, "o", markersize=8, color=colors(k - 1), label=f"{k}. {name}")
    ax.set_xscale("log")
    ax.set_xlabel("학습 시간 (초, 로그 눈금, 이 기계에서 잰 값)", fontsize=11)
    ax.set_ylabel(ylabel, fontsize=11)
    ax.tick_params(which="both", labelsize=11)  # 범례까지 넣으면 본문 폭보다 넓어 줄어들므로 11pt
    ax.grid(True, which="both", alpha=0.3)
    ax.set_xlim(seconds.min() / 1.5, seconds.max() * 1.5)
    ax.set_ylim(accuracies.min() - 4, accuracies.max() + 4)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=11, frameon=False)
    fig.tight_layout()
    _number_points(fig, ax, seconds, accuracies)  # 눈금, 범위, 배치를 다 정한 뒤 (화면 좌표로 자리를 잼)
    return fig


def first_layer_filters(kernel):
    """첫 합성곱 계층의 필터 [k, k, 3, n]를 필터마다 0–1로 늘려 컬러 그림으로 보여 줍니다."""
    kernel = np.asarray(kernel, dtype=float)
    require(kernel.ndim == 4 and kernel.shape[2] == 3, f"[k, k, 3, n] 필터가 필요합니다. 받은 모양: {kernel.shape}")
    n = kernel.shape[-1]
    cols = min(n, 12)
    rows = -(-n // cols)
    cell = min(0.7, 6.8 / cols)  # 칸 하나의 크기 (인치): 그림 폭이 본문 폭을 넘지 않게
    titled = cols <= 12
    fig, axes = plt.subplots(rows, cols, figsize=(cols * cell, rows * cell * (1.35 if titled else 1.0) + 0.45),
                             squeeze=False)
    for i, ax in enumerate(np.ravel(axes)):
        ax.axis("off")
        if i < n:
            w = kernel[..., i]
            ax.imshow((w - w.min()) / (np.ptp(w) + 1e-8), interpolation="nearest")
            if titled:
                ax.set_title(str(i), fontsize=10)
    fig.suptitle(f"필터 {n}개 ({kernel.shape[0]}×{kernel.shape[1]}, RGB, 필터마다 0–1로 늘림)", fontsize=11)
    return fig


def feature_maps(image, maps, names, channels: int = 6):
    """이미지 한 장과, 계층마다 앞쪽 ``channels`` 개 채널의 특징 맵."""
    fig, axes = plt.subplots(len(maps), channels + 1, figsize=(min(6.8, (channels + 1) * 1.1), len(maps) * 1.2))
    axes = np.atleast_2d(axes)
    for row, (fmap, name) in enumerate(zip(maps, names)):
        axes[row, 0].imshow(np.asarray(image))
        axes[row, 0].set_title(name, fontsize=10, loc="left")
        for c in range(channels):
            axes[row, c + 1].imshow(np.asarray(fmap)[..., c], cmap="viridis")
        for ax in axes[row]:
            ax.axis("off")
    fig.tight_layout()
    return fig


def confusion_matrix_plot(matrix):
    """혼동 행렬 (행: 정답, 열: 예측), 한국어 클래스 이름."""
    matrix = np.asarray(matrix)
    require(matrix.shape == (10, 10), f"10×10 혼동 행렬이 필요합니다. 받은 모양: {matrix.shape}")
    fig, ax = plt.subplots(figsize=(6.8, 6.0))
    image = ax.imshow(matrix, cmap="Blues")
    names = [class_name(k, english=False) for k in range(10)]
    ax.set_xticks(range(10), names, rotation=45)
    ax.set_yticks(range(10), names)
    ax.set_xlabel("예측")
    ax.set_ylabel("정답")
    limit = matrix.max() / 2
    for i in range(10):
        for j in range(10):
            color = "white" if matrix[i, j] > limit else "black"
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=8.5, color=color)
    fig.colorbar(image, ax=ax, shrink=0.8)
    fig.tight_layout()
    return fig


def mistake_gallery(images, labels, probs, index, cols: int = 6):
    """가장 확신하며 틀린 이미지들: 제목에 예측(확률)과 정답."""
    images = _check_images(images)
    rows = -(-len(index) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(min(6.8, cols * 1.15), rows * 1.6))
    for ax in np.ravel(axes):
        ax.axis("off")
    for ax, i in zip(np.ravel(axes), index):
        predicted = int(np.argmax(probs[i]))
        ax.imshow(images[i])
        title = f"예측 {class_name(predicted, False)} {probs[i, predicted]:.0%}\n정답 {class_name(int(labels[i]), False)}"
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig


# 이 절의 그림은 모두 노트북이 데이터와 학습한 모델로 그 자리에서 그립니다 (images/ 에 둘 그림 없음).
FIGURES: dict = {}


def speed_chart(ours, earlier, published):
    """시간 대비 정확도: 부록 A.2의 칸(``ours``, 번호와 범례), 4.3의 칸(``earlier``), 발표된 GPU 기록(``published``).

    ``ours``, ``earlier``: (이름, 학습 초, 검증 정확도) 목록 (이 기계에서 잰 값).
    ``published``: (이름, 초, 테스트 정확도, 장치) 목록 (그들이 GPU에서 잰 값, 빈 세모로 구별).
    """
    require(len(ours) > 0, "그릴 결과가 없습니다.")
    fig, ax = plt.subplots(figsize=(9.5, 4.8))
    seconds = np.array([r[1] for r in ours], dtype=float)
    accuracies = np.array([r[2] for r in ours], dtype=float) * 100
    ax.plot(seconds, accuracies, "-", color="C0", alpha=0.4)
    for k, ((name, _, _), x, y) in enumerate(zip(ours, seconds, accuracies), start=1):
        ax.plot(x, y, "o", markersize=7, color="C0", label=f"{k}. {name}")
    if earlier:
        ax.plot([r[1] for r in earlier], [100 * r[2] for r in earlier], "s", color="0.45", markersize=6,
                label="4.3의 칸 (이 기계, 검증)")
    for (name, secs, acc, device), marker in zip(published, "^vDPXh"):  # 기록마다 다른 빈 모양 (이름은 범례에)
        ax.plot(secs, 100 * acc, marker, color="C3", markersize=9, markerfacecolor="none", markeredgewidth=1.5,
                linestyle="none", label=f"{name} ({device}, 발표된 테스트 정확도)")
    everything = list(seconds) + [r[1] for r in earlier] + [p[1] for p in published]
    levels = list(accuracies) + [100 * r[2] for r in earlier] + [100 * p[2] for p in published]
    ax.set_xscale("log")
    ax.set_xlim(min(everything) / 2, max(everything) * 2)
    ax.set_ylim(min(levels) - 2, min(100, max(levels) + 2))
    ax.set_xlabel("학습 시간 (초, 로그 눈금)", fontsize=11)
    ax.set_ylabel("정확도 (%)", fontsize=11)
    ax.tick_params(which="both", labelsize=11)  # 범례까지 넣으면 본문 폭보다 넓어 줄어들므로 11pt
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=11, frameon=False)
    ax.set_title("번호: 이 기계에서 잰 칸의 검증 정확도 / 빈 모양: GPU에서 발표된 값", fontsize=11)
    fig.tight_layout()
    _number_points(fig, ax, seconds, accuracies)  # 눈금, 범위, 배치를 다 정한 뒤 (화면 좌표로 자리를 잼)
    return fig
