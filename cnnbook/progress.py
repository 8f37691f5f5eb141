"""학습을 지켜보는 진행 막대: tqdm 위에 한국어 이름표를 붙이고 손실과 정확도 기록을 모읍니다.

Jupyter와 Colab(ipywidgets 7과 8)에서는 위젯 막대가, 터미널에서는 글자 막대가 나옵니다. 로그 파일처럼 되감을 수
없는 곳과, ipywidgets가 없어 위젯을 그릴 수 없는 노트북에서는 막대 없이 알림 줄과 요약 줄만 씁니다.

    log = TrainingLog(total=5000, desc="학습")
    for step in range(5000):
        loss, acc = train_step(...)
        log.step(loss, acc)
    log.close()
    log.history["손실"]   # 단계마다의 손실 (NumPy 배열)

전체 모드에서는 첫 단계(트레이싱)를 뺀 처음 몇 단계의 시간으로 전체 학습 시간을 어림해, 1분을 넘을 것 같으면
"이 기계에서 약 N분 걸릴 것으로 보입니다 (처음 k단계로 잰 값)" 한 줄을 알립니다. 학습이 끝나면 막대 대신
걸린 시간, 단계 수, 마지막 손실을 적은 요약 한 줄이 남습니다: 노트북에서는 막대 위젯 자리가 그 글로 바뀌므로
저장된 출력(책, 슬라이드)에도 막대 찌꺼기 없이 요약만 남고, 터미널이 아닌 곳(로그 파일)에는 막대를 그리지 않습니다.
"""
from __future__ import annotations

import html
import math
import sys
import time
from typing import Any, Callable

import numpy as np

from cnnbook.errors import require
from cnnbook.runtime import is_fast

STEP_UNIT = "단계"
LOSS_LABEL = "손실"
ACCURACY_LABEL = "배치 정확도"
ESTIMATE_OVER_SECONDS = 60.0  # 어림한 전체 시간이 이보다 길 때만 알립니다
PROBE_STEPS = 5  # 어림에 쓰는 최소 단계 수 (첫 단계, 곧 트레이싱은 빼고)
PROBE_SECONDS = 3.0  # 어림에 쓰는 최소 시간 (아주 짧은 단계는 여러 개를 모아 잽니다)


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


def format_duration(seconds: float) -> str:
    """걸린 시간: "8.5초", "42초", "3분 12초", "1시간 5분"."""
    if seconds < 10:
        return f"{seconds:.1f}초"
    total = int(round(seconds))
    if total < 60:
        return f"{total}초"
    minutes, rest = divmod(total, 60)
    if minutes < 60:
        return f"{minutes}분 {rest}초" if rest else f"{minutes}분"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}시간 {minutes}분" if minutes else f"{hours}시간"


def estimate_line(seconds: float, steps: int) -> str:
    """어림 한 줄: "이 기계에서 약 12분 걸릴 것으로 보입니다 (처음 20단계로 잰 값)"."""
    from cnnbook.device import format_minutes

    return f"이 기계에서 {format_minutes(seconds)} 걸릴 것으로 보입니다 (처음 {steps:,}단계로 잰 값)"


def _in_notebook() -> bool:
    """Jupyter나 Colab의 노트북 안에서 실행 중이면 참 (위젯 막대를 그릴 수 있는 곳)."""
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return bool(shell) and "IPKernelApp" in getattr(shell, "config", {})


class _Screen:
    """막대가 그려지는 곳: 노트북 위젯, 살아 있는 터미널, 막대 없는 글(로그), 또는 호출한 쪽이 준 막대."""

    def __init__(self, total: int, desc: str, bar=None, **bar_options):
        self.kind, self.box, self.handle = "given", None, None
        if bar is not None:
            self.bar = bar
            return
        options = {"total": total, "desc": desc, "unit": STEP_UNIT, "dynamic_ncols": True, **bar_options}
        if _in_notebook() and self._widget(options):
            return
        from tqdm.std import tqdm as text_tqdm

        stream = options.get("file") or sys.stderr
        live = bool(getattr(stream, "isatty", lambda: False)())
        # 터미널이면 글자 막대(끝나면 지움), 로그 파일처럼 되감을 수 없는 곳이면 막대 없이 줄만 씁니다
        self.kind = "terminal" if live else "plain"
        self.bar = text_tqdm(**dict(options, leave=False, disable=not live))

    def _widget(self, options: dict) -> bool:
        try:
            import ipywidgets as widgets
            from IPython.display import display
            from tqdm.notebook import tqdm as notebook_tqdm

            self.bar = notebook_tqdm(**options, display=False)
        except ImportError:  # ipywidgets가 없거나 너무 오래됨: 글자 막대로 물러납니다
            return False
        self.note = widgets.HTML("")
        self.box = widgets.VBox([self.bar.container])
        # 위젯 보기를 직접 만들어 표시 핸들을 답니다: ipywidgets 7(Colab)의 display(위젯)은 display_id를 무시하므로
        # 끝날 때 이 자리를 요약 글로 바꿀 수 없습니다.
        view = {"version_major": 2, "version_minor": 0, "model_id": self.box.model_id}
        bundle = {"text/plain": options.get("desc") or "", "application/vnd.jupyter.widget-view+json": view}
        self.handle = display(bundle, raw=True, display_id=True)
        self.kind = "widget"
        return True

    def say(self, line: str) -> None:
        """학습 중에 한 줄 알리기."""
        if self.kind == "widget":
            self.note.value = html.escape(line)
            self.box.children = (self.note, self.bar.container)
        elif self.kind == "terminal":
            self.bar.write(line, file=sys.stdout)
        else:
            print(line, flush=True)

    def finish(self, lines: list[str]) -> None:
        """막대를 닫고 요약을 남깁니다. 위젯은 그 자리를 글로 바꿔 저장된 출력에 막대가 남지 않게 합니다."""
        self.bar.close()
        if self.kind == "widget":
            from IPython.display import Pretty

            self.handle.update(Pretty("\n".join(lines)))
            for widget in (self.note, self.bar.container, self.box):
                widget.close()
        else:
            print(lines[-1], flush=True)  # 앞의 줄(어림)은 이미 알렸습니다


class TrainingLog:
    """진행 막대 하나와 단계별 기록(손실, 배치 정확도)을 함께 관리합니다.

    ``every`` 단계마다 한 번만 막대의 이름표를 고치므로 학습 속도에 거의 영향을 주지 않습니다.
    ``bar`` 를 넘기면 그 막대(예: 테스트용 글자 막대)를 씁니다. ``estimate`` 가 참이면(기본: 전체 모드일 때)
    처음 몇 단계로 전체 시간을 어림해 1분이 넘으면 한 줄로 알립니다. ``clock`` 은 시간을 재는 함수(테스트용).
    """

    def __init__(
        self,
        total: int,
        desc: str = "학습",
        every: int = 10,
        bar=None,
        loss_label: str = LOSS_LABEL,
        accuracy_label: str = ACCURACY_LABEL,
        estimate: bool | None = None,
        clock: Callable[[], float] = time.perf_counter,
        **bar_options,
    ):
        require(isinstance(total, (int, np.integer)) and total > 0, f"전체 단계 수는 양의 정수여야 합니다. 받은 값: {total!r}")
        require(isinstance(every, (int, np.integer)) and every > 0, f"every 는 양의 정수여야 합니다. 받은 값: {every!r}")
        self.total = int(total)
        self.every = int(every)
        self.desc = desc
        self.loss_label, self.accuracy_label = loss_label, accuracy_label
        self.estimate = (not is_fast()) if estimate is None else bool(estimate)
        self.clock = clock
        self.screen = _Screen(self.total, desc, bar=bar, **bar_options)
        self.bar = self.screen.bar
        self._losses: list[float] = []
        self._accuracies: list[float] = []
        self._pending = 0
        self._started = clock()
        self._first_done: float | None = None  # 첫 단계(트레이싱 포함)가 끝난 시각
        self.estimated_seconds: float | None = None  # 처음 몇 단계로 어림한 전체 시간
        self.estimate_message: str | None = None  # 알린 어림 한 줄 (알리지 않았으면 None)
        self.seconds: float | None = None  # close() 까지 걸린 시간
        self._closed = False

    def step(self, loss: Any, accuracy: Any = None) -> None:
        """한 단계의 결과를 기록하고 막대를 한 칸 움직입니다."""
        require(len(self._losses) < self.total, f"이미 {self.total} 단계를 모두 기록했습니다.")
        loss_value = _as_float(loss, "손실")
        require(math.isfinite(loss_value), f"{len(self._losses) + 1}번째 단계의 손실이 {loss_value} 입니다 (학습이 발산함).")
        self._losses.append(loss_value)
        if accuracy is not None:
            self._accuracies.append(_as_float(accuracy, "정확도"))
        if self.estimate and self.estimated_seconds is None:
            self._probe(self.clock())
        self._pending += 1
        if self._pending >= self.every or len(self._losses) == self.total:
            acc = self._accuracies[-1] if self._accuracies else None
            self.bar.set_postfix(format_postfix(loss_value, acc, self.loss_label, self.accuracy_label), refresh=False)
            self.bar.update(self._pending)
            self._pending = 0

    def _probe(self, now: float) -> None:
        """첫 단계를 뺀 처음 몇 단계의 평균 시간으로 전체 시간을 어림하고, 길면 한 줄로 알립니다."""
        done = len(self._losses)
        if done == 1:
            self._first_done = now
            return
        timed, spent = done - 1, now - self._first_done
        if done < self.total and (timed < PROBE_STEPS or spent < PROBE_SECONDS):
            return
        self.estimated_seconds = (now - self._started) + (self.total - done) * spent / timed
        if done < self.total and self.estimated_seconds > ESTIMATE_OVER_SECONDS:
            self.estimate_message = estimate_line(self.estimated_seconds, timed)
            self.screen.say(self.estimate_message)

    def summary(self) -> str:
        """요약 한 줄: 걸린 시간, 단계 수, 마지막 손실(과 정확도)."""
        seconds = (self.clock() - self._started) if self.seconds is None else self.seconds
        done = len(self._losses)
        if not done:
            return f"{self.desc}: 기록한 단계가 없습니다 ({format_duration(seconds)})."
        head = f"{self.desc} 끝" if done == self.total else f"{self.desc} 멈춤 ({done:,}/{self.total:,}단계에서)"
        text = f"{head}: {done:,}단계, {format_duration(seconds)}, 마지막 {self.loss_label} {self._losses[-1]:.4f}"
        if self._accuracies:
            text += f", {self.accuracy_label} {self._accuracies[-1]:.1%}"
        return text

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._pending:
            self.bar.update(self._pending)
            self._pending = 0
        self.seconds = self.clock() - self._started
        self.screen.finish([line for line in (self.estimate_message, self.summary()) if line])

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
