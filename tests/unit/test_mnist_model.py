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


REJECTED_FULL = FULL_FILE.replace(".npz", ".rejected.npz")
REJECTED_PARTIAL = PARTIAL_FILE.replace(".npz", ".rejected.npz")


def test_check_data_is_the_validation_split_not_the_test_set(monkeypatch):
    """다시 재는 정확도는 학습 데이터의 마지막 VALIDATION_SIZE장(검증 데이터)에서 잽니다. 테스트 데이터는 보지 않습니다."""
    import cnnbook.data

    x_train = np.arange(60, dtype=np.uint8)[:, None, None] * np.ones((1, 28, 28), np.uint8)
    y_train = np.arange(60) % 10

    class Untouchable:
        def __getattr__(self, name):
            raise AssertionError("테스트 데이터를 읽었습니다")

        def __getitem__(self, key):
            raise AssertionError("테스트 데이터를 읽었습니다")

    monkeypatch.setattr(cnnbook.data, "load_mnist", lambda: ((x_train, y_train), (Untouchable(), Untouchable())))
    monkeypatch.setattr(mnist_model, "VALIDATION_SIZE", 10)
    monkeypatch.setattr(mnist_model, "CHECK_IMAGES", 10)
    images, labels = mnist_model._check_data()
    assert images.shape == (10, 28, 28, 1)
    np.testing.assert_allclose(images[:, 0, 0, 0], np.arange(50, 60) / 255, rtol=1e-6)
    np.testing.assert_array_equal(labels, y_train[50:])


def test_save_records_validation_accuracy_and_round_trips(cache, mnist, capsys):
    weights = random_weights()
    path = save_mnist_weights(weights, info={"test_accuracy": 0.1}, floor=0.0)
    assert path == cache / FULL_FILE
    loaded, info = load_mnist_weights(path)
    assert info["format"] == mnist_model.FORMAT_VERSION and 0.0 <= info["validation_accuracy"] < 0.5
    assert info["code"] == mnist_model.training_code() and info["below_floor"] is False
    for a, b in zip(weights, loaded):
        np.testing.assert_array_equal(a, b)
    assert save_mnist_weights(weights, info={"partial": True}, floor=0.0) == cache / PARTIAL_FILE
    assert "⚠️" not in capsys.readouterr().err


def test_weights_below_the_floor_are_saved_with_a_mark_and_a_warning(cache, mnist, capsys):
    """기준에 못 미친 가중치도 버리지 않습니다: 표시를 달아 저장하고 한국어 경고를 냅니다."""
    path = save_mnist_weights(random_weights(), info={}, floor=0.5)  # 무작위 가중치는 약 10%
    err = capsys.readouterr().err
    assert path.is_file() and "기준" in err and "저장했" in err
    _, info = load_mnist_weights(path)
    assert info["below_floor"] is True and info["validation_accuracy"] < 0.5 and info["floor"] == 0.5


def fake_trainer(calls, seed=2, accuracy=0.9, partial=True):
    def fake_training(steps=None, train_size=None, verbose=True):
        calls.append((steps, train_size))
        return random_weights(seed), {"validation_accuracy": accuracy, "test_accuracy": accuracy,
                                      "partial": partial}

    return fake_training


def test_fresh_model_below_the_floor_is_returned_and_saved(cache, monkeypatch, capsys):
    """새로 학습한 모델이 기준에 못 미쳐도 오류로 버리지 않고, 경고와 함께 돌려주고 표시를 달아 저장합니다."""
    monkeypatch.setattr(mnist_model, "measure_accuracy", lambda weights: 0.42)
    calls = []
    monkeypatch.setattr(mnist_model, "train_mnist_weights", fake_trainer(calls, accuracy=0.42))
    model = trained_mnist_cnn(floor=0.8, verbose=False)
    assert calls and "기준" in capsys.readouterr().err
    np.testing.assert_array_equal(model.get_weights()[0], random_weights(2)[0])
    info = model.cache_info
    assert info["below_floor"] is True and info["validation_accuracy"] == 0.42
    assert (cache / PARTIAL_FILE).is_file()


def test_loaded_weights_are_checked_again_and_a_failed_cache_is_set_aside(cache, monkeypatch, capsys):
    monkeypatch.setattr(mnist_model, "measure_accuracy", lambda weights: 0.95)
    save_mnist_weights(random_weights(1), info={"test_accuracy": 0.95})
    monkeypatch.setattr(mnist_model, "train_mnist_weights", lambda **kw: pytest.fail("학습하면 안 됩니다"))
    model = trained_mnist_cnn(verbose=False)
    np.testing.assert_array_equal(model.get_weights()[0], random_weights(1)[0])
    assert model.cache_info["validation_accuracy"] == 0.95

    # 불러온 뒤 다시 잰 검증 정확도가 기준보다 낮으면 그 파일을 지우지 않고 옆으로 치운 뒤 새로 학습합니다.
    before = (cache / FULL_FILE).read_bytes()
    stale = random_weights(1)[0]

    def accuracy(weights):
        return 0.05 if np.array_equal(weights[0], stale) else 0.9

    monkeypatch.setattr(mnist_model, "measure_accuracy", accuracy)
    calls = []
    monkeypatch.setattr(mnist_model, "train_mnist_weights", fake_trainer(calls))
    fixed = trained_mnist_cnn(verbose=False)
    out = capsys.readouterr().out
    assert calls and not (cache / FULL_FILE).exists() and (cache / PARTIAL_FILE).is_file()
    assert (cache / REJECTED_FULL).read_bytes() == before  # 지우지 않았습니다
    assert "검증 정확도" in out and "옮겨" in out
    np.testing.assert_array_equal(fixed.get_weights()[0], random_weights(2)[0])


def test_cache_from_other_code_retrains_with_a_reason(cache, monkeypatch, capsys):
    """캐시는 자기를 만든 학습 코드와 처방의 해시를 적어 둡니다. 다르면 이유를 말하고 다시 학습합니다."""
    monkeypatch.setattr(mnist_model, "measure_accuracy", lambda weights: 0.99)
    path = save_mnist_weights(random_weights(1), info={"code": "0123456789abcdef"})
    calls = []
    monkeypatch.setattr(mnist_model, "train_mnist_weights", fake_trainer(calls))
    model = trained_mnist_cnn(verbose=False)
    out = capsys.readouterr().out
    assert calls and mnist_model.CODE_CHANGED in out
    assert (cache / REJECTED_FULL).is_file() and not path.exists()
    assert model.cache_info["code"] == mnist_model.training_code()


def test_training_code_hash_follows_the_recipe(monkeypatch):
    before = mnist_model.training_code()
    assert before == mnist_model.training_code() and len(before) == 16
    assert mnist_model.recipe()["batch_size"] == 128 and mnist_model.recipe()["warmup_fraction"] == 0.1
    monkeypatch.setattr(lessons, "BETTER_BATCH", 64)
    assert mnist_model.training_code() != before
    monkeypatch.undo()
    monkeypatch.setattr(lessons, "BETTER_PEAK_LR", 1e-3)
    assert mnist_model.training_code() != before


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
    assert info["partial"] and info["train_images"] == 3840 and info["validation_accuracy"] >= 0.5
    assert info["code"] == mnist_model.training_code() and "test_accuracy" in info and not info["below_floor"]

    again = trained_mnist_cnn(floor=0.5, verbose=True)  # 이번에는 캐시에서 읽습니다.
    assert "불러왔습니다" in capsys.readouterr().out and len(calls) == 1
    for a, b in zip(model.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)

    (cache / PARTIAL_FILE).write_bytes(b"\x00" * 100)  # 손상된 캐시
    trained_mnist_cnn(steps=30, train_size=3840, floor=0.5, verbose=True)
    out = capsys.readouterr()
    assert "쓸 수 없어" in out.out and "새로 학습" in out.out and len(calls) == 2
    assert (cache / REJECTED_PARTIAL).read_bytes() == b"\x00" * 100  # 지우지 않고 옆으로 치웠습니다
    load_mnist_weights(cache / PARTIAL_FILE)  # 다시 쓸 수 있는 파일이 되었습니다.


def test_full_mode_ignores_partial_weights(cache, monkeypatch):
    monkeypatch.setattr(mnist_model, "measure_accuracy", lambda weights: 0.99)
    save_mnist_weights(random_weights(), info={"partial": True})
    monkeypatch.setenv("CNNBOOK_FAST", "0")
    called = {}

    def fake_training(steps=None, train_size=None, verbose=True):
        called["args"] = (steps, train_size)
        return random_weights(2), {"validation_accuracy": 0.99, "test_accuracy": 0.99}

    monkeypatch.setattr(mnist_model, "train_mnist_weights", fake_training)
    trained_mnist_cnn(verbose=False)
    assert called["args"] == (None, None)  # 전체 모드에서는 일부만 학습한 가중치를 쓰지 않고 처방대로 학습
    assert (cache / FULL_FILE).is_file()


def test_missing_data_keeps_cached_weights(cache, monkeypatch):
    """다시 잴 검증 데이터를 읽지 못하면 그 오류를 그대로 내고, 가중치 파일은 지우지도 치우지도 않습니다."""
    monkeypatch.setattr(mnist_model, "measure_accuracy", lambda weights: 0.95)
    path = save_mnist_weights(random_weights(1), info={"test_accuracy": 0.95})

    def no_data(weights):
        raise BookError("MNIST 데이터를 찾지 못했습니다.")

    monkeypatch.setattr(mnist_model, "measure_accuracy", no_data)
    monkeypatch.setattr(mnist_model, "train_mnist_weights", lambda **kw: pytest.fail("학습하면 안 됩니다"))
    with pytest.raises(BookError, match="찾지 못했습니다"):
        trained_mnist_cnn(verbose=False)
    assert path.is_file() and not (cache / REJECTED_FULL).exists()
