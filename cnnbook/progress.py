"""학습을 지켜보는 진행 막대: tqdm 위에 한국어 이름표를 붙이고 손실과 정확도 기록을 모읍니다.

``tqdm.auto`` 를 쓰므로 Jupyter와 Colab(ipywidgets 7과 8)에서는 위젯 막대가, 터미널과 로그에서는
글자 막대가 나옵니다. ipywidgets가 없거나 위젯을 그릴 수 없는 환경이면 글자 막대로 물러납니다.

    log = TrainingLog(total=5000, desc="학습")
    for step in range(5000):
        loss, acc = train_step(...)
        log.step(loss, acc)
    log.close()
    log.history["손실"]   # 단계마다의 손실 (NumPy 배열)
"""
from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

from cnnbook.errors import require

STEP_UNIT = "단계"
LOSS_LABEL = "손실"
ACCURACY_LABEL = "배치 정확도"


def _as_float(value: Any, what: str) -> float:
    """텐서, NumPy 값, 파이썬 수를 float로 바꿉니다 (바꿀 수 없으면 한국어 오류)."""
    if hasattr(value, "numpy"):
        value = value.numpy()
    try:
        number = float(np.asarray(value).reshape(()))
    except (TypeError, ValueError):
        require(False, f"{what}에는 수 하나가 필요합니다. 받은 값: {value!r}")
    return number


def format_postfix(
    loss: float,
    accuracy: float | None = None,
    loss_label: str = LOSS_LABEL,
    accuracy_label: str = ACCURACY_LABEL,
) -> dict[str, str]:
    """진행 막대 오른쪽에 붙일 한국어 이름표 사전 (예: ``{'손실': '0.1234', '배치 정확도': '98.0%'}``)."""
    postfix = {loss_label: f"{loss:.4f}"}
    if accuracy is not None:
        postfix[accuracy_label] = f"{accuracy:.1%}"
    return postfix


def make_bar(total: int, desc: str = "학습", unit: str = STEP_UNIT, **kwargs):
    """``tqdm.auto.tqdm`` 막대를 만듭니다. 노트북 위젯을 만들 수 없으면 글자 막대를 씁니다."""
    from tqdm.auto import tqdm as auto_tqdm

    options = {"total": total, "desc": desc, "unit": unit, "dynamic_ncols": True}
    options.update(kwargs)
    try:
        return auto_tqdm(**options)
    except ImportError:
        # ipywidgets가 없거나 오래되어 노트북 막대(IProgress)를 못 만들면 글자 막대를 씁니다.
        from tqdm.std import tqdm as text_tqdm

        options.setdefault("file", sys.stdout)
        return text_tqdm(**options)


class TrainingLog:
    """진행 막대 하나와 단계별 기록(손실, 배치 정확도)을 함께 관리합니다.

    ``every`` 단계마다 한 번만 막대의 이름표를 고치므로 학습 속도에 거의 영향을 주지 않습니다.
    ``bar`` 를 넘기면 그 막대(예: 테스트용 글자 막대)를 씁니다.
    """

    def __init__(
        self,
        total: int,
        desc: str = "학습",
        every: int = 10,
        bar=None,
        loss_label: str = LOSS_LABEL,
        accuracy_label: str = ACCURACY_LABEL,
        **bar_options,
    ):
        require(isinstance(total, (int, np.integer)) and total > 0, f"전체 단계 수는 양의 정수여야 합니다. 받은 값: {total!r}")
        require(isinstance(every, (int, np.integer)) and every > 0, f"every 는 양의 정수여야 합니다. 받은 값: {every!r}")
        self.total = int(total)
        self.every = int(every)
        self.loss_label, self.accuracy_label = loss_label, accuracy_label
        self.bar = bar if bar is not None else make_bar(self.total, desc=desc, **bar_options)
        self._losses: list[float] = []
        self._accuracies: list[float] = []
        self._pending = 0

    def step(self, loss: Any, accuracy: Any = None) -> None:
        """한 단계의 결과를 기록하고 막대를 한 칸 움직입니다."""
        require(len(self._losses) < self.total, f"이미 {self.total} 단계를 모두 기록했습니다.")
        loss_value = _as_float(loss, "손실")
        require(math.isfinite(loss_value), f"{len(self._losses) + 1}번째 단계의 손실이 {loss_value} 입니다 (학습이 발산함).")
        self._losses.append(loss_value)
        if accuracy is not None:
            self._accuracies.append(_as_float(accuracy, "정확도"))
        self._pending += 1
        if self._pending >= self.every or len(self._losses) == self.total:
            acc = self._accuracies[-1] if self._accuracies else None
            self.bar.set_postfix(format_postfix(loss_value, acc, self.loss_label, self.accuracy_label), refresh=False)
            self.bar.update(self._pending)
            self._pending = 0

    def close(self) -> None:
        if self._pending:
            self.bar.update(self._pending)
            self._pending = 0
        self.bar.close()

    def __enter__(self) -> "TrainingLog":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def steps_done(self) -> int:
        return len(self._losses)

    @property
    def history(self) -> dict[str, np.ndarray]:
        """``{'단계': …, '손실': …, '배치 정확도': …}`` (단계는 1부터, 이름은 만들 때 정한 이름표)."""
        history = {
            STEP_UNIT: np.arange(1, len(self._losses) + 1),
            self.loss_label: np.asarray(self._losses, dtype=float),
        }
        if self._accuracies:
            history[self.accuracy_label] = np.asarray(self._accuracies, dtype=float)
        return history


def moving_average(values, window: int) -> np.ndarray:
    """곡선을 부드럽게 보려고 쓰는 이동 평균 (앞부분은 있는 값까지만 평균)."""
    values = np.asarray(values, dtype=float)
    require(values.ndim == 1, f"1차원 배열이 필요합니다. 받은 모양: {values.shape}")
    require(isinstance(window, (int, np.integer)) and window > 0, f"창 크기는 양의 정수여야 합니다. 받은 값: {window!r}")
    if values.size == 0:
        return values
    sums = np.cumsum(np.insert(values, 0, 0.0))
    index = np.arange(1, values.size + 1)
    start = np.maximum(index - window, 0)
    return (sums[index] - sums[start]) / (index - start)


def keras_progress(total: int, desc: str = "케라스 fit", every: int = 10):
    """``model.fit(..., verbose=0, callbacks=[keras_progress(단계 수)])`` 에 넣는 한국어 진행 막대.

    콜백의 ``log`` 속성(:class:`TrainingLog`)에 미니배치마다의 손실과 정확도가 모입니다.
    케라스 3은 에포크 안에서 지금까지의 평균을 넘겨주므로 이름표도 '평균'으로 붙입니다.
    """
    import tensorflow as tf

    class KerasProgress(tf.keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.total, self.desc, self.every = total, desc, every
            self.log: TrainingLog | None = None

        def on_train_begin(self, logs=None):
            self.log = TrainingLog(
                self.total,
                desc=self.desc,
                every=self.every,
                loss_label="평균 손실",
                accuracy_label="평균 정확도",
            )

        def on_train_batch_end(self, batch, logs=None):
            logs = logs or {}
            if self.log.steps_done < self.total:
                self.log.step(logs.get("loss", np.nan), logs.get("accuracy"))

        def on_train_end(self, logs=None):
            self.log.close()

    return KerasProgress()
