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
