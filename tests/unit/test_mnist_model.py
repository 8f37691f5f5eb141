"""cnnbook.mnist_model 과 cnnbook.mnist_lessons: 한 곳의 강의 코드, 가중치 캐시, 정확도 기준."""
import numpy as np
import pytest

import cnnbook
from cnnbook import BookError
from cnnbook import mnist_model
from cnnbook.mnist_model import (
    FULL_FILE,
    PARTIAL_FILE,
    build_keras_cnn,
    cache_dir,
    layer_table,
    load_mnist_weights,
    parameter_count,
    save_mnist_weights,
    train_flops,
    trained_mnist_cnn,
    weight_specs,
)

import tensorflow as tf  # noqa: E402  (없으면 건너뛰지 않고 실패)

import cnnbook.mnist_lessons as lessons  # noqa: E402

LAYER_NAMES = ["conv1", "pool1", "conv2", "pool2", "flatten", "fc1", "dropout", "fc2", "probabilities"]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("CNNBOOK_FAST", "1")
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def mnist(real_mnist):
    """실제 MNIST: 데이터나 체크섬이 틀리면 건너뛰지 않고 실패합니다 (tests/conftest.py)."""
    return real_mnist


def random_weights(seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(0, 0.05, shape).astype(np.float32) for _, shape in weight_specs()]


def test_cache_dir_follows_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    assert cache_dir() == tmp_path
    monkeypatch.delenv("CNNBOOK_CACHE")
    assert cache_dir().parts[-2:] == (".cache", "cnnbook")


def test_package_builder_is_the_lesson_builder_with_named_layers():
    model = build_keras_cnn()
    assert [layer.name for layer in model.layers] == LAYER_NAMES
    assert model.count_params() == parameter_count() == 3_274_634
    probs = model.predict(np.zeros((2, 28, 28, 1), np.float32), verbose=0)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    assert [layer.name for layer in build_keras_cnn(probabilities=False).layers] == LAYER_NAMES[:-1]
    assert mnist_model.build_keras_cnn.__doc__ and lessons.build_keras_cnn.__module__ == "cnnbook.mnist_lessons"


def test_low_level_model_and_keras_twin_compute_the_same():
    cnnbook.seed_everything()
    module = lessons.MnistCNN(he_init=True)
    shapes = [tuple(v.shape) for v in module.ordered_weights()]
    assert shapes == [shape for _, shape in weight_specs()]
    twin = build_keras_cnn(probabilities=False)
    twin.set_weights([v.numpy() for v in module.ordered_weights()])
    x = np.random.default_rng(0).random((4, 28, 28, 1), dtype=np.float32)
    np.testing.assert_allclose(twin.predict(x, verbose=0), module(x).numpy(), atol=1e-3)


def test_he_init_uses_the_fan_in_of_each_layer():
    assert lessons.he_stddev([5, 5, 1, 32]) == pytest.approx(np.sqrt(2 / 25))
    assert lessons.he_stddev([3136, 1024]) == pytest.approx(np.sqrt(2 / 3136))
    cnnbook.seed_everything()
    model = lessons.MnistCNN(he_init=True)
    assert float(tf.math.reduce_std(model.W_fc1)) == pytest.approx(np.sqrt(2 / 3136), rel=0.05)
    assert float(tf.math.reduce_std(model.W_conv1)) == pytest.approx(np.sqrt(2 / 25), rel=0.15)


def test_reshape_minus_one_keeps_the_batch_axis():
    model = lessons.MnistCNN()
    for n in (1, 3):
        assert model(np.zeros((n, 28, 28, 1), np.float32)).shape == (n, 10)


def test_warmup_cosine_schedule_goes_up_then_down():
    schedule = lessons.warmup_cosine(100)
    rates = np.array([float(schedule(s)) for s in range(100)])
    assert rates[0] == 0.0 and rates.argmax() == 10
    assert rates.max() == pytest.approx(lessons.BETTER_PEAK_LR, rel=1e-3) and rates[-1] < 1e-5


def test_split_validation_takes_the_last_images():
    x, y = np.arange(20), np.arange(20) % 10
    (xf, yf), (xv, yv) = lessons.split_validation(x, y, size=5)
    assert list(xv) == [15, 16, 17, 18, 19] and len(xf) == 15 and len(yv) == 5


def test_layer_table_and_flops_come_from_the_model():
    rows = {row["name"]: row for row in layer_table()}
    assert rows["conv1"]["flops"] == 2 * 28 * 28 * 5 * 5 * 1 * 32
    assert rows["conv2"]["flops"] == 2 * 14 * 14 * 5 * 5 * 32 * 64
    assert rows["fc1"]["flops"] == 2 * 3136 * 1024 and rows["pool2"]["shape"] == (7, 7, 64)
    forward = sum(row["flops"] for row in rows.values())
    assert train_flops() == 3 * forward - rows["conv1"]["flops"] == 82_049_024


def test_architecture_figure_reads_the_model():
    from cnnbook.figures.model import architecture

    tensors, operations = architecture()
    assert len(tensors) == len(operations) + 1
    assert sum(p for _, p in operations) == parameter_count()
    assert [t[1] for t in tensors] == [28, 28, 14, 14, 7, 3136, 1024, 10]


def test_save_checks_accuracy_floor_and_round_trips(cache, mnist):
    weights = random_weights()
    with pytest.raises(BookError, match="기준"):
        save_mnist_weights(weights, info={}, floor=0.5)  # 무작위 가중치는 약 10%
    assert not cache.exists() or not any(cache.iterdir())
    path = save_mnist_weights(weights, info={"test_accuracy": 0.1}, floor=0.0)
    assert path == cache / FULL_FILE
    loaded, info = load_mnist_weights(path)
    assert info["format"] == mnist_model.FORMAT_VERSION and 0.0 <= info["checked_accuracy"] < 0.5
    for a, b in zip(weights, loaded):
        np.testing.assert_array_equal(a, b)
    assert save_mnist_weights(weights, info={"partial": True}, floor=0.0) == cache / PARTIAL_FILE


def test_loaded_weights_are_checked_again(cache, monkeypatch):
    monkeypatch.setattr(mnist_model, "measure_accuracy", lambda weights: 0.95)
    save_mnist_weights(random_weights(1), info={"test_accuracy": 0.95})
    monkeypatch.setattr(mnist_model, "train_mnist_weights", lambda **kw: pytest.fail("학습하면 안 됩니다"))
    model = trained_mnist_cnn(verbose=False)
    np.testing.assert_array_equal(model.get_weights()[0], random_weights(1)[0])
    assert model.cache_info["checked_accuracy"] == 0.95

    # 불러온 뒤 다시 잰 정확도가 기준보다 낮으면 그 파일을 지우고 새로 학습합니다.
    stale = random_weights(1)[0]

    def accuracy(weights):
        return 0.05 if np.array_equal(weights[0], stale) else 0.9

    monkeypatch.setattr(mnist_model, "measure_accuracy", accuracy)
    calls = []

    def fake_training(steps=None, train_size=None, verbose=True):
        calls.append((steps, train_size))
        return random_weights(2), {"test_accuracy": 0.9, "partial": True}

    monkeypatch.setattr(mnist_model, "train_mnist_weights", fake_training)
    fixed = trained_mnist_cnn(verbose=False)
    assert calls and not (cache / FULL_FILE).exists() and (cache / PARTIAL_FILE).is_file()
    np.testing.assert_array_equal(fixed.get_weights()[0], random_weights(2)[0])


def test_bad_files_give_korean_errors(tmp_path):
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"this is not a zip file")
    with pytest.raises(BookError, match="손상") as caught:
        load_mnist_weights(garbage)
    assert caught.value.__cause__ is not None  # 원래 오류를 잃지 않습니다
    with pytest.raises(BookError, match="없습니다"):
        load_mnist_weights(tmp_path / "missing.npz")
    wrong = random_weights()
    wrong[4] = np.zeros((100, 1024), np.float32)
    with pytest.raises(BookError, match="다른 구조"):
        save_mnist_weights(wrong, path=tmp_path / "wrong.npz", floor=0.0)
    version = mnist_model.FORMAT_VERSION
    np.savez(tmp_path / "mismatch.npz", info=np.array(f'{{"format": {version}}}'),
             **{f"w{i}": w for i, w in enumerate(wrong)})
    with pytest.raises(BookError, match="fc1/W"):
        load_mnist_weights(tmp_path / "mismatch.npz")
    np.savez(tmp_path / "old.npz", info=np.array('{"format": 0}'),
             **{f"w{i}": w for i, w in enumerate(random_weights())})
    with pytest.raises(BookError, match="형식 버전"):
        load_mnist_weights(tmp_path / "old.npz")


def test_small_training_uses_the_lesson_code_then_cache_then_corrupt_file(cache, mnist, capsys, monkeypatch):
    calls = []
    real = lessons.train_better_recipe

    def spy(images, labels, steps, **kwargs):
        calls.append((len(images), steps))
        return real(images, labels, steps, **kwargs)

    monkeypatch.setattr(lessons, "train_better_recipe", spy)
    model = trained_mnist_cnn(steps=30, train_size=3840, floor=0.5, verbose=True)
    out = capsys.readouterr()
    assert calls == [(3840, 30)]  # 학생이 읽는 바로 그 학습 함수로 학습했습니다.
    assert "새로 학습" in out.out and "저장했습니다" in out.out
    assert (cache / PARTIAL_FILE).is_file() and not (cache / FULL_FILE).exists()
    info = model.cache_info
    assert info["partial"] and info["train_images"] == 3840 and info["checked_accuracy"] >= 0.5

    again = trained_mnist_cnn(floor=0.5, verbose=True)  # 이번에는 캐시에서 읽습니다.
    assert "불러왔습니다" in capsys.readouterr().out and len(calls) == 1
    for a, b in zip(model.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)

    (cache / PARTIAL_FILE).write_bytes(b"\x00" * 100)  # 손상된 캐시
    trained_mnist_cnn(steps=30, train_size=3840, floor=0.5, verbose=True)
    out = capsys.readouterr()
    assert "쓸 수 없어" in out.err and "새로 학습" in out.out and len(calls) == 2
    load_mnist_weights(cache / PARTIAL_FILE)  # 다시 쓸 수 있는 파일이 되었습니다.


def test_full_mode_ignores_partial_weights(cache, monkeypatch):
    monkeypatch.setattr(mnist_model, "measure_accuracy", lambda weights: 0.99)
    save_mnist_weights(random_weights(), info={"partial": True})
    monkeypatch.setenv("CNNBOOK_FAST", "0")
    called = {}

    def fake_training(steps=None, train_size=None, verbose=True):
        called["args"] = (steps, train_size)
        return random_weights(2), {"test_accuracy": 0.99}

    monkeypatch.setattr(mnist_model, "train_mnist_weights", fake_training)
    trained_mnist_cnn(verbose=False)
    assert called["args"] == (None, None)  # 전체 모드에서는 일부만 학습한 가중치를 쓰지 않고 처방대로 학습
    assert (cache / FULL_FILE).is_file()


def test_missing_data_keeps_cached_weights(cache, monkeypatch):
    """다시 잴 테스트 데이터를 읽지 못하면 그 오류를 그대로 내고, 가중치 파일은 지우지 않습니다."""
    monkeypatch.setattr(mnist_model, "measure_accuracy", lambda weights: 0.95)
    path = save_mnist_weights(random_weights(1), info={"test_accuracy": 0.95})

    def no_data(weights):
        raise BookError("MNIST 데이터를 찾지 못했습니다.")

    monkeypatch.setattr(mnist_model, "measure_accuracy", no_data)
    monkeypatch.setattr(mnist_model, "train_mnist_weights", lambda **kw: pytest.fail("학습하면 안 됩니다"))
    with pytest.raises(BookError, match="찾지 못했습니다"):
        trained_mnist_cnn(verbose=False)
    assert path.is_file()
