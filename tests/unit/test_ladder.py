"""cnnbook.ladder: 이 기계의 속도와 학습 계획, 사다리의 칸을 학습하고 짝지어 비교하기."""
from __future__ import annotations

import inspect

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

import cnnbook  # noqa: E402
from cnnbook import cifar, ladder  # noqa: E402
from cnnbook.device import Precision  # noqa: E402
from cnnbook.ladder import Ladder, Machine, cifar_splits  # noqa: E402

CPU = Precision("CPU", "CPU", "float32", "시험용")
GPU = Precision("GPU", "Tesla T4 (연산 능력 7.5)", "mixed_float16", "시험용")
BF16 = Precision("CPU", "CPU (AVX512_BF16)", "mixed_bfloat16", "시험용")


def test_times_are_scaled_only_where_it_means_something():
    assert "기준 기계 환산" in Machine(CPU, 150.0).times(100)
    assert Machine(GPU, 8000.0).times(100) == "100초"
    assert Machine(BF16, 400.0).times(100) == "100초"
    assert "잰 그대로만" in Machine(GPU, 8000.0).note() and "잰 그대로만" in Machine(BF16, 400.0).note()
    assert "환산한 값" in Machine(CPU, 150.0).note()


def test_plan_estimates_from_the_measured_rate_and_warns_past_thirty_minutes(monkeypatch):
    monkeypatch.setattr(cifar, "train_images_per_s", lambda model, batch_size, steps: 100.0)
    monkeypatch.delenv("CNNBOOK_FAST", raising=False)
    seconds, text = Machine(CPU, 150.0).plan(epochs=2, n_train=1000, probe_batch=8, probe_steps=1)
    assert seconds == pytest.approx(20.0) and "30분이 넘습니다" not in text
    seconds, text = Machine(CPU, 150.0).plan(epochs=50, n_train=4500, probe_batch=8, probe_steps=1)
    assert seconds == pytest.approx(2250.0)
    assert "30분이 넘습니다" in text and "GPU" in text and "CNNBOOK_FAST" in text


def test_plan_refuses_nonsense():
    from cnnbook.errors import BookError

    with pytest.raises(BookError):
        Machine(CPU, 150.0).plan(epochs=0, n_train=10, probe_batch=8, probe_steps=1)


def test_splits_follow_the_lesson(monkeypatch):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (5200, 32, 32, 3), dtype=np.uint8)
    y = np.arange(5200) % 10
    x_test = rng.integers(0, 256, (300, 32, 32, 3), dtype=np.uint8)
    monkeypatch.setattr(cnnbook, "load_cifar10", lambda: ((x, y.reshape(-1, 1)), (x_test, np.arange(300).reshape(-1, 1) % 10)))
    data = cifar_splits(100, 50, 30)
    assert data["train"][0].shape == (100, 32, 32, 3) and np.array_equal(data["train"][0], x[:100])
    assert np.array_equal(data["val"][0], x[200:250])  # 검증은 학습 데이터의 마지막 5,000장
    assert data["test"][0].shape == (30, 32, 32, 3) and data["test"][1].dtype == np.int32
    mean, std = cifar.channel_stats(x[:200])
    assert np.allclose(data["mean"], mean) and np.allclose(data["std"], std)


def test_ladder_never_takes_test_data():
    """사다리는 테스트 데이터를 받지 않습니다: 보고용 테스트 정확도는 노트북이 재서 table()에 넘깁니다."""
    assert "test" not in " ".join(inspect.signature(Ladder).parameters)
    assert "test" not in " ".join(inspect.signature(Ladder.run).parameters)


def _tiny(mean, std, width=4):
    inputs, x = cifar.input_block(mean, std)
    x = tf.keras.layers.Conv2D(width, 3, strides=4, activation="relu")(x)
    x = tf.keras.layers.GlobalMaxPooling2D()(x)
    return tf.keras.Model(inputs, cifar.logits_layer(x), name=f"tiny{width}")


@pytest.fixture(scope="module")
def ran():
    tf.keras.mixed_precision.set_global_policy("float32")
    rng = np.random.default_rng(1)
    x = rng.integers(0, 256, (96, 32, 32, 3), dtype=np.uint8)
    y = (x[:, :16].mean(axis=(1, 2, 3)) > x[:, 16:].mean(axis=(1, 2, 3))).astype(np.int32)  # 배울 수 있는 규칙
    steps = Ladder((x[:64], y[:64]), (x[64:], y[64:]), Machine(CPU, 150.0))
    mean, std = cifar.channel_stats(x[:64])
    recipe = {"epochs": 2, "batch_size": 16, "lr": 1e-2}
    steps.run("작은 모델", lambda: _tiny(mean, std), recipe, seeds=2)
    steps.run("넓은 모델", lambda: _tiny(mean, std, 8), recipe, after="작은 모델")
    correct = steps.results["넓은 모델"]["correct"]
    steps.add_prediction("+ 예측만 다름", "넓은 모델", ~correct, "반대로 (시험용)")
    return steps


def test_run_records_what_the_table_needs(ran):
    r = ran.results["작은 모델"]
    assert len(r["correct"]) == 32 and len(r["fitted"]) == 32 and len(r["seeds"]) == 2
    assert r["val"] == pytest.approx(r["correct"].mean(), abs=1 / 32) and "test" not in r
    assert r["setup"]["신경망"] == "tiny4" and r["epochs"] == 2 and r["all_seconds"] >= r["seconds"]
    assert ran.trained_epochs() == 2 * 2 + 2  # 시드 둘 + 한 번; 예측만 다른 칸은 빼고
    assert ran.train_seconds() == pytest.approx(r["all_seconds"] + ran.results["넓은 모델"]["all_seconds"])


def test_comparisons_are_paired_on_the_same_images(ran):
    diff = ran.compare("+ 예측만 다름")
    new, old = ran.results["+ 예측만 다름"]["correct"], ran.results["넓은 모델"]["correct"]
    assert diff.diff == pytest.approx(new.mean() - old.mean())
    assert "검증 정확도가" in ran.change("넓은 모델") and "95%" in ran.change("넓은 모델")
    assert "예측: 반대로 (시험용)" in ran.changed("+ 예측만 다름")
    assert "신경망: tiny4 → tiny8" in ran.changed("넓은 모델")
    value, text, low = ran.gap_text("작은 모델")
    assert value == pytest.approx(ran.results["작은 모델"]["train"] - ran.results["작은 모델"]["val"]) and "95% 구간" in text


def test_table_reports_test_only_when_given(ran):
    table = ran.table({"작은 모델": 0.5})
    rows = table.splitlines()[2:]
    assert len(rows) == 3 and "| 50.0% |" in rows[0] and "| — |" in rows[1]
    assert rows[0].split("|")[2].strip() == "출발점"
    assert "시드 2개" in ran.val_text("작은 모델") or "±" in ran.val_text("작은 모델")


def test_run_refuses_an_unknown_previous_rung(ran):
    from cnnbook.errors import BookError

    with pytest.raises(BookError, match="앞 칸"):
        ran.run("엉뚱한 칸", lambda: None, {"epochs": 1, "batch_size": 16}, after="없는 칸")


def test_module_is_documented_in_korean():
    assert "테스트 데이터를 받지 않습니다" in ladder.__doc__
