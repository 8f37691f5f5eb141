"""cnnbook.mnist_best (부록 A.3): 증강(옮기기·돌리기)과 가중치 평균이 정말 적용되는지 확인합니다."""
import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

import cnnbook  # noqa: E402
from cnnbook import mnist_best as mb  # noqa: E402
from cnnbook.mnist_lessons import MnistCNN  # noqa: E402


def blob(n=4):
    """가장자리에서 떨어진 작은 네모 '숫자' n장 [n, 28, 28, 1]."""
    x = np.zeros((n, 28, 28, 1), np.float32)
    x[:, 10:18, 11:16] = 1.0
    return x


def center(x):
    w = x[..., 0]
    rows = (w.sum(2) * np.arange(28)).sum(1) / w.sum((1, 2))
    cols = (w.sum(1) * np.arange(28)).sum(1) / w.sum((1, 2))
    return np.stack([rows, cols], 1)


def test_no_shift_no_rotation_is_the_identity():
    x = blob()
    out = mb.shift_rotate(tf.constant(x), tf.constant([3, 4], tf.int64), shift=0.0, degrees=0.0).numpy()
    assert np.allclose(out, x, atol=1e-5)


def test_shift_moves_each_image_by_its_own_drawn_offset():
    x, seed = blob(6), tf.constant([5, 6], tf.int64)
    out = mb.shift_rotate(tf.constant(x), seed, shift=3.0, degrees=0.0).numpy()
    u = tf.random.stateless_uniform([6, 3], seed=seed, minval=-1.0, maxval=1.0).numpy()
    moved = center(out) - center(x)
    assert np.allclose(moved[:, 1], 3.0 * u[:, 1], atol=0.05) and np.allclose(moved[:, 0], 3.0 * u[:, 2], atol=0.05)
    assert np.ptp(moved[:, 1]) > 0.5  # 이미지마다 다름


def test_rotation_keeps_the_centre_and_turns_the_shape():
    x = np.zeros((1, 28, 28, 1), np.float32)
    x[0, 6:22, 13:15] = 1.0  # 가운데를 지나는 세로 막대
    out = mb.shift_rotate(tf.constant(x), tf.constant([1, 1], tf.int64), shift=0.0, degrees=40.0).numpy()
    angle = tf.random.stateless_uniform([1, 3], seed=[1, 1], minval=-1.0, maxval=1.0).numpy()[0, 0] * 40
    assert abs(angle) > 5
    assert np.allclose(center(out), center(x), atol=0.3)
    assert not np.allclose(out, x, atol=0.1) and abs(out.sum() - x.sum()) < 0.05 * x.sum()


def test_training_calls_the_augmentation_only_when_asked(monkeypatch):
    calls = []
    real = mb.shift_rotate

    def spy(images, seed, shift, degrees):
        calls.append((shift, degrees))
        return real(images, seed, shift, degrees)

    monkeypatch.setattr(mb, "shift_rotate", spy)
    x, y = blob(256), (np.arange(256) % 10).astype(np.int32)
    mb.train_augmented(x, y, 2, average_decay=0.0)
    assert calls and calls[0] == (2.0, 10.0)
    calls.clear()
    mb.train_augmented(x, y, 2, shift=0.0, degrees=0.0, average_decay=0.0)
    assert calls == []


def test_weight_average_follows_its_formula():
    x, y = blob(256), (np.arange(256) % 10).astype(np.int32)
    cnnbook.seed_everything(3)
    start = [v.numpy() for v in MnistCNN(he_init=True).ordered_weights()]
    cnnbook.seed_everything(3)
    model, averaged, seconds = mb.train_augmented(x, y, 1, shift=0.0, degrees=0.0)
    final = [v.numpy() for v in model.ordered_weights()]
    # 첫 단계의 decay는 min(0.999, 1/10) = 0.1: 평균 = 0.1 × 처음 + 0.9 × 한 단계 뒤
    for a, w0, w1 in zip(averaged.ordered_weights(), start, final):
        assert np.allclose(a.numpy(), 0.1 * w0 + 0.9 * w1, atol=1e-6)
    assert not all(np.allclose(w0, w1) for w0, w1 in zip(start, final)) and seconds > 0
    _, none, _ = mb.train_augmented(x, y, 1, average_decay=0.0)
    assert none is None


def test_label_smoothing_changes_the_target():
    x, y = blob(256), (np.arange(256) % 10).astype(np.int32)
    trained = []
    for smoothing in (0.0, 0.3):
        cnnbook.seed_everything(4)
        model, _, _ = mb.train_augmented(x, y, 2, shift=0.0, degrees=0.0, smoothing=smoothing, average_decay=0.0)
        trained.append([v.numpy() for v in model.ordered_weights()])
    # 같은 시드, 같은 데이터: 목표만 다르므로 가중치가 달라야 합니다
    assert not all(np.allclose(a, b) for a, b in zip(*trained))


class _WhereIsTheDot:
    """점 하나가 (10, 13)과 그 네 이웃 가운데 어디에 있는지를 레이블 0–4의 로짓으로 돌려주는 가짜 모델."""

    def __call__(self, images):
        x = np.asarray(images)[..., 0]
        spots = [x[:, 10, 13], x[:, 9, 13], x[:, 11, 13], x[:, 10, 12], x[:, 10, 14]]
        return tf.constant(np.stack(spots + [np.zeros(len(x))] * 5, 1) * 40.0, tf.float32)


def test_shift_average_looks_at_the_original_and_four_one_pixel_shifts():
    x = np.zeros((2, 28, 28, 1), np.float32)
    x[:, 10, 13] = 1.0
    probs = mb.shift_average(_WhereIsTheDot(), x)
    # 다섯 장이 점을 다섯 자리에 하나씩 놓으므로 레이블 0–4가 1/5씩 받습니다
    assert probs.shape == (2, 10) and np.allclose(probs.sum(1), 1.0, atol=1e-5)
    assert np.allclose(probs[:, :5], 0.2, atol=1e-3) and np.all(probs[:, 5:] < 1e-3)


def test_shift_average_fills_the_new_border_with_background():
    x = np.ones((1, 28, 28, 1), np.float32)

    def ink(images):  # 잉크의 양이 로짓 0이 되는 모델
        total = np.asarray(images).sum((1, 2, 3))
        return tf.constant(np.stack([total / 100.0] + [np.zeros(len(total))] * 9, 1), tf.float32)

    probs = mb.shift_average(ink, x)
    views = [784.0] + [784.0 - 28] * 4  # 옮긴 네 장은 한 줄(28픽셀)이 0으로 바뀝니다
    expected = np.mean([np.exp(v / 100) / (np.exp(v / 100) + 9) for v in views])
    assert np.isclose(probs[0, 0], expected, atol=1e-5)
