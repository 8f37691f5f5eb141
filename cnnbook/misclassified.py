"""틀린 숫자 살펴보기: 평가 결과를 정리하는 순수 함수와 위젯용 그림(view).

계산은 모두 NumPy 순수 함수이고 잘못된 입력에는 한국어 :class:`cnnbook.BookError` 를 냅니다.
:class:`MistakeView` 는 그림을 한 번 만들고 ``update(number=…)`` 로 화가를 제자리에서 고치므로
``cnnbook.live.live_widget`` 과 ``cnnbook.player.frames_player`` 에 그대로 넘길 수 있습니다.
"""
from __future__ import annotations

import numpy as np

from cnnbook.errors import require

NUM_CLASSES = 10
DIGIT_LABELS = tuple(str(d) for d in range(NUM_CLASSES))


def check_labels(labels, name: str = "정답") -> np.ndarray:
    labels = np.asarray(labels)
    require(labels.ndim == 1, f"{name} 레이블은 1차원 배열이어야 합니다. 받은 모양: {labels.shape}")
    require(labels.size > 0, f"{name} 레이블이 비어 있습니다.")
    require(np.issubdtype(labels.dtype, np.integer), f"{name} 레이블은 정수여야 합니다. 받은 자료형: {labels.dtype}")
    require(
        labels.min() >= 0 and labels.max() < NUM_CLASSES,
        f"{name} 레이블은 0부터 {NUM_CLASSES - 1} 사이여야 합니다. 받은 범위: {labels.min()}–{labels.max()}",
    )
    return labels


def check_probabilities(probs, y_true) -> tuple[np.ndarray, np.ndarray]:
    """예측 확률 (개수, 10) 과 정답 (개수,) 의 모양과 값을 확인합니다."""
    y_true = check_labels(y_true)
    probs = np.asarray(probs, dtype=float)
    require(
        probs.ndim == 2 and probs.shape[1] == NUM_CLASSES,
        f"예측 확률은 (이미지 수, {NUM_CLASSES}) 모양이어야 합니다. 받은 모양: {probs.shape}",
    )
    require(
        probs.shape[0] == y_true.shape[0],
        f"예측 확률은 {probs.shape[0]}개인데 정답은 {y_true.shape[0]}개입니다. 같은 이미지들의 결과인지 확인하세요.",
    )
    require(np.all(np.isfinite(probs)), "예측 확률에 NaN이나 무한대가 있습니다.")
    require(
        np.all(probs >= 0) and np.allclose(probs.sum(axis=1), 1.0, atol=1e-3),
        "예측 확률의 각 행은 0 이상이고 합이 1이어야 합니다. 로짓이라면 먼저 소프트맥스를 적용하세요.",
    )
    return probs, y_true


def per_class_accuracy(y_true, y_pred) -> np.ndarray:
    """숫자(클래스)마다의 정확도. 길이 10 배열이며, 테스트에 없는 숫자는 NaN입니다."""
    y_true = check_labels(y_true)
    y_pred = check_labels(y_pred, "예측")
    require(y_true.shape == y_pred.shape, f"정답 {y_true.shape} 과 예측 {y_pred.shape} 의 모양이 다릅니다.")
    result = np.full(NUM_CLASSES, np.nan)
    for digit in range(NUM_CLASSES):
        mask = y_true == digit
        if mask.any():
            result[digit] = np.mean(y_pred[mask] == digit)
    return result


def confusion_matrix(y_true, y_pred) -> np.ndarray:
    """혼동 행렬: ``[i, j]`` 는 정답이 i인데 j로 예측한 이미지 수 (행: 정답, 열: 예측)."""
    y_true = check_labels(y_true)
    y_pred = check_labels(y_pred, "예측")
    require(y_true.shape == y_pred.shape, f"정답 {y_true.shape} 과 예측 {y_pred.shape} 의 모양이 다릅니다.")
    matrix = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix


def find_mistakes(probs, y_true, order: str = "index") -> np.ndarray:
    """틀린 이미지의 번호. ``order='confidence'`` 이면 틀린 답을 확신한 순서(높은 것부터)."""
    probs, y_true = check_probabilities(probs, y_true)
    require(order in {"index", "confidence"}, f"order 는 'index' 또는 'confidence' 여야 합니다. 받은 값: {order!r}")
    y_pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(y_pred != y_true)
    if order == "confidence":
        wrong = wrong[np.argsort(-probs[wrong, y_pred[wrong]], kind="stable")]
    return wrong


def describe_mistake(number: int, mistakes, probs, y_true) -> dict:
    """``number`` 번째 틀린 예의 정보: 테스트 번호, 정답, 예측, 두 확률, 한국어 제목."""
    probs, y_true = check_probabilities(probs, y_true)
    mistakes = np.asarray(mistakes)
    require(mistakes.size > 0, "틀린 이미지가 하나도 없습니다. 살펴볼 것이 없네요!")
    require(
        isinstance(number, (int, np.integer)) and not isinstance(number, bool),
        f"틀린 예 번호는 정수여야 합니다. 받은 값: {number!r}",
    )
    require(0 <= number < mistakes.size, f"틀린 예 번호는 0부터 {mistakes.size - 1} 사이여야 합니다. 받은 값: {number}")
    index = int(mistakes[number])
    require(0 <= index < y_true.size, f"테스트 이미지 번호 {index} 이(가) 범위(0–{y_true.size - 1})를 벗어납니다.")
    true_digit = int(y_true[index])
    predicted = int(np.argmax(probs[index]))
    info = {
        "index": index,
        "true": true_digit,
        "pred": predicted,
        "p_true": float(probs[index, true_digit]),
        "p_pred": float(probs[index, predicted]),
    }
    info["title"] = (
        f"테스트 #{index}: 정답 {true_digit}, 예측 {predicted} "
        f"(확률 {info['p_pred']:.0%}, 정답 확률 {info['p_true']:.0%})"
    )
    return info


class MistakeView:
    """왼쪽에 틀린 숫자 이미지, 오른쪽에 열 숫자의 예측 확률 막대를 그리는 그림."""

    TRUE_COLOR = "tab:green"
    PRED_COLOR = "tab:red"
    OTHER_COLOR = "lightgray"

    def __init__(self, images, y_true, probs, mistakes, figsize=(8, 3.4)):
        import matplotlib.pyplot as plt

        self.probs, self.y_true = check_probabilities(probs, y_true)
        images = np.asarray(images)
        if images.ndim == 4 and images.shape[-1] == 1:
            images = images[..., 0]
        require(
            images.ndim == 3 and images.shape[0] == self.y_true.size,
            f"이미지는 (개수, 높이, 너비) 모양이고 정답과 개수가 같아야 합니다. 받은 모양: {images.shape}",
        )
        self.images = images
        self.mistakes = np.asarray(mistakes)
        require(self.mistakes.size > 0, "틀린 이미지가 하나도 없습니다. 살펴볼 것이 없네요!")

        self.fig, (self.ax_image, self.ax_bars) = plt.subplots(
            1, 2, figsize=figsize, gridspec_kw={"width_ratios": [1, 1.6]}
        )
        self.picture = self.ax_image.imshow(np.zeros(images.shape[1:]), cmap="gray_r", vmin=0, vmax=float(images.max()))
        self.ax_image.set_xticks([])
        self.ax_image.set_yticks([])
        self.bars = self.ax_bars.bar(range(10), np.zeros(10), color=self.OTHER_COLOR)
        self.ax_bars.set_ylim(0, 1.05)
        self.ax_bars.set_xticks(range(10), DIGIT_LABELS)
        self.ax_bars.set_xlabel("숫자")
        self.ax_bars.set_ylabel("예측 확률")
        self.ax_bars.legend(
            handles=[
                plt.Rectangle((0, 0), 1, 1, color=self.TRUE_COLOR),
                plt.Rectangle((0, 0), 1, 1, color=self.PRED_COLOR),
            ],
            labels=["정답", "모델의 예측"],
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncol=2,
            frameon=False,
            fontsize=9,
        )
        self.title = self.fig.suptitle("", fontsize=11)
        self.fig.tight_layout()
        plt.close(self.fig)  # 노트북이 그림을 따로 한 번 더 그리지 않게 합니다.
        self.update(number=0)

    def update(self, number: int = 0) -> None:
        info = describe_mistake(number, self.mistakes, self.probs, self.y_true)
        self.picture.set_data(self.images[info["index"]])
        for digit, bar in enumerate(self.bars):
            bar.set_height(self.probs[info["index"], digit])
            if digit == info["true"]:
                bar.set_color(self.TRUE_COLOR)
            elif digit == info["pred"]:
                bar.set_color(self.PRED_COLOR)
            else:
                bar.set_color(self.OTHER_COLOR)
        self.title.set_text(f"{number + 1}/{self.mistakes.size}번째 틀린 예 · " + info["title"])
