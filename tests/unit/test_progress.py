"""cnnbook.progress: 한국어 이름표가 붙은 tqdm 진행 막대와 학습 기록."""
import io

import numpy as np
import pytest
from tqdm.std import tqdm as text_tqdm

from cnnbook import BookError
from cnnbook.progress import TrainingLog, format_postfix, make_bar, moving_average


def text_bar(total):
    return text_tqdm(total=total, desc="학습", unit="단계", file=io.StringIO(), mininterval=0)


def test_postfix_uses_korean_labels():
    assert format_postfix(0.123456, 0.98) == {"손실": "0.1235", "배치 정확도": "98.0%"}
    assert format_postfix(1.0) == {"손실": "1.0000"}


def test_log_records_every_step_and_shows_labels():
    bar = text_bar(25)
    log = TrainingLog(25, every=10, bar=bar)
    for i in range(25):
        log.step(np.float32(1.0 / (i + 1)), 0.5 + i / 100)
    log.close()
    history = log.history
    assert history["단계"].tolist() == list(range(1, 26))
    assert history["손실"][0] == pytest.approx(1.0)
    assert history["배치 정확도"][-1] == pytest.approx(0.74)
    assert bar.n == 25
    text = bar.fp.getvalue()
    assert "학습" in text and "단계" in text and "손실" in text and "배치 정확도" in text


def test_log_accepts_tensors():
    tf = pytest.importorskip("tensorflow")
    log = TrainingLog(2, bar=text_bar(2))
    log.step(tf.constant(0.5), tf.constant(1.0))
    log.step(tf.constant(0.25))
    log.close()
    assert log.history["손실"].tolist() == [0.5, 0.25]


def test_custom_labels_and_context_manager():
    bar = text_bar(3)
    with TrainingLog(3, every=1, bar=bar, loss_label="평균 손실", accuracy_label="평균 정확도") as log:
        for _ in range(3):
            log.step(0.1, 0.9)
    assert set(log.history) == {"단계", "평균 손실", "평균 정확도"}
    assert "평균 손실" in bar.fp.getvalue()


@pytest.mark.parametrize("total", [0, -3, 2.5, "10"])
def test_bad_total_is_a_korean_error(total):
    with pytest.raises(BookError, match="양의 정수"):
        TrainingLog(total, bar=text_bar(1))


def test_bad_values_are_korean_errors():
    log = TrainingLog(1, bar=text_bar(1))
    with pytest.raises(BookError, match="수 하나"):
        log.step([1.0, 2.0])
    with pytest.raises(BookError, match="발산"):
        log.step(float("nan"))
    log.step(0.3)
    with pytest.raises(BookError, match="이미 1 단계"):
        log.step(0.3)


def test_make_bar_works_in_a_terminal():
    bar = make_bar(5, desc="시험", file=io.StringIO())
    bar.update(5)
    bar.close()
    assert bar.n == 5


def test_notebook_bar_builds_with_installed_ipywidgets():
    # Colab(ipywidgets 7)과 최신 Jupyter(ipywidgets 8) 모두에서 위젯 막대를 만들 수 있어야 합니다.
    pytest.importorskip("ipywidgets")
    from tqdm.notebook import tqdm as notebook_tqdm

    bar = notebook_tqdm(total=3, desc="학습", unit="단계", display=False)
    log = TrainingLog(3, every=2, bar=bar)
    for _ in range(3):
        log.step(0.2, 0.9)
    log.close()
    assert bar.n == 3
    assert "손실" in str(bar.postfix)


def test_moving_average():
    smooth = moving_average([1, 2, 3, 4], 2)
    assert smooth.tolist() == [1.0, 1.5, 2.5, 3.5]
    with pytest.raises(BookError):
        moving_average([[1, 2]], 2)
    with pytest.raises(BookError):
        moving_average([1, 2], 0)


# ---------------------------------------------------------------- 긴 학습 전의 시간 어림과 요약 한 줄


class FakeClock:
    """첫 단계(트레이싱)는 ``first`` 초, 그다음 단계는 ``per_step`` 초씩 걸리는 시계."""

    def __init__(self, first=10.0, per_step=1.0):
        self.now, self.first, self.per_step, self.steps = 0.0, first, per_step, 0

    def __call__(self):
        return self.now

    def tick(self):
        self.steps += 1
        self.now += self.first if self.steps == 1 else self.per_step


def run(log, clock, steps):
    for _ in range(steps):
        clock.tick()
        log.step(1.0 / (log.steps_done + 1), 0.5)  # n번째 단계의 손실은 1/n


def test_estimate_excludes_the_first_step(capsys):
    from cnnbook.progress import PROBE_STEPS

    clock = FakeClock(first=10.0, per_step=1.0)
    log = TrainingLog(100, bar=text_bar(100), estimate=True, clock=clock)
    run(log, clock, PROBE_STEPS)
    assert log.estimated_seconds is None  # 아직 첫 단계 뒤로 PROBE_STEPS 단계를 재지 못함
    run(log, clock, 1)
    # 6단계까지 15초, 남은 94단계 × 1초: 첫 단계(10초)를 평균에 넣었다면 15 + 94 × 2.5 = 250초가 됩니다
    assert log.estimated_seconds == pytest.approx(15.0 + 94 * 1.0)
    assert capsys.readouterr().out == "이 기계에서 약 2분 걸릴 것으로 보입니다 (처음 5단계로 잰 값)\n"
    run(log, clock, 94)
    log.close()
    out = capsys.readouterr().out
    assert out == "학습 끝: 100단계, 1분 49초, 마지막 손실 0.0100, 배치 정확도 50.0%\n"
    assert log.estimate_message.startswith("이 기계에서 약 2분")


def test_tiny_steps_are_pooled_until_the_probe_is_long_enough(capsys):
    from cnnbook.progress import PROBE_SECONDS

    step = 1 / 64  # 이진수로 정확한 값이라 더해도 오차가 없습니다
    clock = FakeClock(first=5.0, per_step=step)
    log = TrainingLog(20_000, bar=text_bar(20_000), estimate=True, clock=clock, every=1000)
    run(log, clock, 20_000)
    log.close()
    first = capsys.readouterr().out.splitlines()[0]
    timed = int(PROBE_SECONDS / step)  # 한 단계 0.016초: 한 단계로는 모자라 128단계를 모아 잽니다
    assert log.estimated_seconds == pytest.approx(5.0 + timed * step + (20_000 - 1 - timed) * step)
    assert first == f"이 기계에서 약 5분 걸릴 것으로 보입니다 (처음 {timed}단계로 잰 값)"


def test_short_training_says_nothing_but_the_summary(capsys):
    clock = FakeClock(first=3.0, per_step=0.1)
    log = TrainingLog(100, bar=text_bar(100), estimate=True, clock=clock)
    run(log, clock, 100)
    log.close()
    assert log.estimated_seconds == pytest.approx(3.0 + 99 * 0.1)  # 1분 미만: 알리지 않음
    assert log.estimate_message is None
    assert capsys.readouterr().out.splitlines() == ["학습 끝: 100단계, 13초, 마지막 손실 0.0100, 배치 정확도 50.0%"]


@pytest.mark.parametrize("fast, said", [("1", False), ("", True)])
def test_estimate_only_in_full_mode(monkeypatch, capsys, fast, said):
    monkeypatch.setenv("CNNBOOK_FAST", fast)
    clock = FakeClock(first=10.0, per_step=2.0)
    log = TrainingLog(1000, bar=text_bar(1000), clock=clock)
    run(log, clock, 10)
    assert ("이 기계에서" in capsys.readouterr().out) == said


def test_log_file_gets_lines_and_no_bar(capsys):
    """터미널이 아닌 곳(로그 파일, 저장된 출력)에는 막대의 \\r 찌꺼기 없이 어림과 요약 두 줄만 남습니다."""
    stream = io.StringIO()
    clock = FakeClock(first=10.0, per_step=1.0)
    log = TrainingLog(100, desc="원래 처방", estimate=True, clock=clock, file=stream)
    assert log.screen.kind == "plain"
    run(log, clock, 100)
    log.close()
    assert stream.getvalue() == ""
    out = capsys.readouterr().out
    assert "\r" not in out and "|" not in out
    assert out.splitlines() == ["이 기계에서 약 2분 걸릴 것으로 보입니다 (처음 5단계로 잰 값)",
                                "원래 처방 끝: 100단계, 1분 49초, 마지막 손실 0.0100, 배치 정확도 50.0%"]
    assert log.history["손실"].size == 100  # 막대가 없어도 기록은 모두 남습니다


def test_stopped_training_says_where_it_stopped(capsys):
    clock = FakeClock()
    with TrainingLog(10, bar=text_bar(10), estimate=False, clock=clock, loss_label="평균 손실") as log:
        run(log, clock, 3)
    assert capsys.readouterr().out.strip() == "학습 멈춤 (3/10단계에서): 3단계, 12초, 마지막 평균 손실 0.3333, 배치 정확도 50.0%"


def test_notebook_widget_is_replaced_by_the_summary(monkeypatch):
    """노트북에서는 막대 위젯을 표시 핸들로 그리고, 끝나면 그 자리를 어림과 요약 글로 바꿉니다 (저장된 출력에 막대가 없음)."""
    pytest.importorskip("ipywidgets")
    import IPython.display

    from cnnbook import progress

    class Handle:
        updates = []

        def update(self, obj):
            self.updates.append(obj)

    shown = []
    monkeypatch.setattr(progress, "_in_notebook", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append((obj, kw)) or Handle())
    clock = FakeClock(first=10.0, per_step=1.0)
    log = TrainingLog(100, estimate=True, clock=clock)
    ((bundle, options),) = shown
    assert log.screen.kind == "widget" and options == {"raw": True, "display_id": True}
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == log.screen.box.model_id
    run(log, clock, 10)
    assert "이 기계에서 약 2분" in log.screen.note.value and log.screen.note in log.screen.box.children
    run(log, clock, 90)
    log.close()
    (final,) = Handle.updates
    assert final.data.splitlines() == ["이 기계에서 약 2분 걸릴 것으로 보입니다 (처음 5단계로 잰 값)",
                                       "학습 끝: 100단계, 1분 49초, 마지막 손실 0.0100, 배치 정확도 50.0%"]
    assert log.screen.box.comm is None  # 위젯은 닫혔습니다


def test_keras_progress_ends_with_the_summary(capsys):
    tf = pytest.importorskip("tensorflow")
    from cnnbook.progress import keras_progress

    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    model.compile("sgd", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    x, y = np.zeros((8, 3), np.float32), np.zeros(8, np.int64)
    callback = keras_progress(4, desc="케라스 fit")
    model.fit(x, y, batch_size=2, epochs=1, verbose=0, callbacks=[callback])
    assert callback.log.steps_done == 4
    assert capsys.readouterr().out.splitlines()[-1].startswith("케라스 fit 끝: 4단계, ")
