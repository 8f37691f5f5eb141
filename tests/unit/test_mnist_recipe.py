"""4.2.4–4.2.5절 처방의 부품이 정말 적용되는지: 드롭아웃, 워밍업+코사인 스케줄, He 초깃값, 미니배치 크기.

각 테스트는 부품이 고장 나면(드롭아웃을 아무 일도 안 하게, 스케줄을 상수로, 초깃값을 0.1로) 실패합니다.
학습은 하지 않고(``train`` 을 엿보는 함수로 바꿔) 처방이 만든 모델, 옵티마이저, 데이터셋을 직접 봅니다.
"""
import numpy as np
import pytest

import tensorflow as tf  # noqa: E402  (없으면 건너뛰지 않고 실패)

import cnnbook
import cnnbook.mnist_lessons as lessons  # noqa: E402


def images(n=16, seed=0):
    return np.random.default_rng(seed).random((n, 28, 28, 1), dtype=np.float32)


def copy_weights(source, target):
    for a, b in zip(source.ordered_weights(), target.ordered_weights()):
        b.assign(a)


# ---------------------------------------------------------------- 드롭아웃


def test_dropout_is_applied_in_training_only():
    cnnbook.seed_everything()
    model = lessons.MnistCNN()
    x = images()
    evaluation = model(x).numpy()
    np.testing.assert_array_equal(evaluation, model(x, training=False).numpy())  # 평가는 결정적

    plain = lessons.MnistCNN(dropout_rate=0.0)  # 드롭아웃이 없는 길
    copy_weights(model, plain)
    np.testing.assert_allclose(plain(x, training=True).numpy(), evaluation, rtol=1e-5, atol=1e-5)

    tf.random.set_seed(1)
    first = model(x, training=True).numpy()
    tf.random.set_seed(2)
    second = model(x, training=True).numpy()
    tf.random.set_seed(1)
    again = model(x, training=True).numpy()
    assert not np.allclose(first, evaluation, atol=1e-3)  # 학습 중에는 마스크가 값을 바꿉니다
    assert not np.allclose(first, second, atol=1e-3)  # 시드(마스크)가 다르면 출력도 다릅니다
    np.testing.assert_allclose(first, again, rtol=1e-6)  # 같은 시드면 같은 마스크


@pytest.mark.parametrize("rate", [0.5, 0.25])
def test_dropout_scales_the_kept_values_by_the_keep_probability(rate):
    """fc2를 항등 사상으로 바꿔 fc1 뉴런 열 개를 그대로 보면, 학습 중 값은 0이거나 평가 값 ÷ (1 - rate)입니다."""
    cnnbook.seed_everything()
    model = lessons.MnistCNN(dropout_rate=rate)
    eye = np.zeros((1024, 10), np.float32)
    eye[np.arange(10), np.arange(10)] = 1.0
    model.W_fc2.assign(eye)
    model.b_fc2.assign(np.zeros(10, np.float32))
    x = images(64)
    hidden = model(x).numpy()  # 평가: fc1 뉴런 0–9의 ReLU 출력 그대로
    tf.random.set_seed(3)
    dropped = model(x, training=True).numpy()
    alive = hidden > 1e-4
    assert alive.sum() > 200
    zero = np.isclose(dropped, 0.0, atol=1e-6)
    scaled = np.isclose(dropped, hidden / (1 - rate), rtol=1e-4, atol=1e-6)
    assert np.all((zero | scaled)[alive])
    share = zero[alive].mean()
    assert abs(share - rate) < 0.08, f"지운 비율 {share:.2f} (기대 {rate})"


def test_training_step_calls_the_model_in_training_mode():
    seen = []

    class Spy(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(tf.zeros([784, 10]))

        def __call__(self, x, training=False):
            seen.append(training)
            return tf.matmul(tf.reshape(x, [-1, 784]), self.w)

    step = lessons.make_train_step(Spy(), tf.keras.optimizers.SGD(0.1))
    step(tf.constant(images(4)), tf.constant([0, 1, 2, 3], tf.int32))
    assert seen and all(flag is True for flag in seen)


# ---------------------------------------------------------------- 학습률 스케줄


def test_warmup_cosine_starts_smallest_peaks_after_warmup_and_ends_near_zero():
    steps = 200
    warmup = int(steps * 0.1)
    schedule = lessons.warmup_cosine(steps)
    rates = np.array([float(schedule(s)) for s in range(steps)])
    peak = lessons.BETTER_PEAK_LR
    assert rates[0] == rates.min() == 0.0 and rates[1] > 0.0  # 0단계: 가장 작은 걸음
    assert rates.argmax() == warmup and rates[warmup] == pytest.approx(peak, rel=1e-5)  # 워밍업 끝: 최고
    assert np.all(np.diff(rates[: warmup + 1]) > 0) and np.all(np.diff(rates[warmup:]) < 0)
    assert rates[warmup + (steps - warmup) // 2] == pytest.approx(peak / 2, rel=1e-3)  # 코사인의 가운데
    assert rates[-1] < 1e-3 * peak  # 마지막 단계: 0 가까이


def capture_training(monkeypatch):
    """lessons.train 을 학습하지 않고 처방이 넘긴 것을 적어 두는 함수로 바꿉니다."""
    seen = {}

    def spy(model, optimizer, dataset, steps, desc="학습"):
        seen.update(model=model, optimizer=optimizer, dataset=dataset, steps=steps)
        return {}, 0.0

    monkeypatch.setattr(lessons, "train", spy)
    return seen


def learning_rate_at(optimizer, step):
    optimizer.iterations.assign(step)
    return float(optimizer.learning_rate)


def layer_stds(model):
    return {name: float(tf.math.reduce_std(getattr(model, name))) for name in ("W_conv1", "W_conv2", "W_fc1")}


def test_better_recipe_uses_the_schedule_he_init_and_batch_128(monkeypatch):
    seen = capture_training(monkeypatch)
    cnnbook.seed_everything()
    x, y = images(300), np.arange(300, dtype=np.int32) % 10
    steps = 100
    lessons.train_better_recipe(x, y, steps)
    optimizer = seen["optimizer"]
    assert learning_rate_at(optimizer, 0) == 0.0
    assert learning_rate_at(optimizer, 10) == pytest.approx(lessons.BETTER_PEAK_LR, rel=1e-5)
    assert learning_rate_at(optimizer, steps - 1) < 1e-3 * lessons.BETTER_PEAK_LR
    assert seen["steps"] == steps

    x_batch, y_batch = next(iter(seen["dataset"]))
    assert lessons.BETTER_BATCH == 128 and x_batch.shape[0] == 128 and y_batch.shape == (128,)

    model = seen["model"]
    assert isinstance(model, lessons.MnistCNN) and model.dropout_rate == 0.5
    stds = layer_stds(model)
    for name, shape in (("W_conv1", [5, 5, 1, 32]), ("W_conv2", [5, 5, 32, 64]), ("W_fc1", [3136, 1024])):
        assert stds[name] == pytest.approx(lessons.he_stddev(shape), rel=0.1), name


def test_seed_recipe_keeps_the_original_chapter_settings(monkeypatch):
    seen = capture_training(monkeypatch)
    cnnbook.seed_everything()
    lessons.train_seed_recipe(images(100), np.arange(100, dtype=np.int32) % 10, 50)
    optimizer = seen["optimizer"]
    assert learning_rate_at(optimizer, 0) == learning_rate_at(optimizer, 49) == pytest.approx(1e-4)
    assert next(iter(seen["dataset"]))[0].shape[0] == 50
    stds = layer_stds(seen["model"])
    assert all(value == pytest.approx(0.1 * 0.88, rel=0.1) for value in stds.values())  # 절단 정규분포 0.1
