"""cnnbook.mnist_model: 가중치 캐시와 trained_mnist_cnn() (빠른 모드, 임시 캐시 폴더, 작은 학습)."""
import numpy as np
import pytest

import cnnbook
from cnnbook import BookError
from cnnbook import mnist_model
from cnnbook.mnist_model import (
    FULL_FILE,
    PARAMETER_COUNT,
    PARTIAL_FILE,
    WEIGHT_SPECS,
    build_keras_cnn,
    cache_dir,
    load_mnist_weights,
    save_mnist_weights,
    trained_mnist_cnn,
)

tf = pytest.importorskip("tensorflow")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("CNNBOOK_FAST", "1")
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def mnist():
    try:
        return cnnbook.load_mnist()
    except BookError as error:
        pytest.skip(f"MNIST 데이터가 없습니다 (CNNBOOK_DATA 를 지정하세요): {error}")


def random_weights(seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(0, 0.05, shape).astype(np.float32) for _, shape in WEIGHT_SPECS]


def test_cache_dir_follows_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    assert cache_dir() == tmp_path
    monkeypatch.delenv("CNNBOOK_CACHE")
    assert cache_dir().parts[-2:] == (".cache", "cnnbook")


def test_keras_model_matches_the_weight_layout():
    model = build_keras_cnn()
    assert model.count_params() == PARAMETER_COUNT == 3_274_634
    assert [tuple(w.shape) for w in model.get_weights()] == [shape for _, shape in WEIGHT_SPECS]
    probs = model.predict(np.zeros((2, 28, 28, 1), np.float32), verbose=0)
    assert probs.shape == (2, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    assert build_keras_cnn(probabilities=False).count_params() == PARAMETER_COUNT


def test_save_and_load_round_trip(cache):
    weights = random_weights()
    path = save_mnist_weights(weights, info={"test_accuracy": 0.5})
    assert path == cache / FULL_FILE
    loaded, info = load_mnist_weights(path)
    assert info["test_accuracy"] == 0.5 and info["format"] == 1
    for a, b in zip(weights, loaded):
        np.testing.assert_array_equal(a, b)
    assert save_mnist_weights(weights, info={"partial": True}) == cache / PARTIAL_FILE


def test_trained_model_loads_cached_weights_without_training(cache, monkeypatch):
    weights = random_weights(1)
    save_mnist_weights(weights, info={"test_accuracy": 0.25})
    monkeypatch.setattr(mnist_model, "train_mnist_weights", lambda **kw: pytest.fail("학습하면 안 됩니다"))
    model = trained_mnist_cnn(verbose=False)
    for a, b in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert model.cache_info["test_accuracy"] == 0.25


def test_bad_files_give_korean_errors(tmp_path):
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"this is not a zip file")
    with pytest.raises(BookError, match="손상"):
        load_mnist_weights(garbage)
    with pytest.raises(BookError, match="없습니다"):
        load_mnist_weights(tmp_path / "missing.npz")
    wrong = random_weights()
    wrong[4] = np.zeros((100, 1024), np.float32)
    with pytest.raises(BookError, match="다른 구조"):
        save_mnist_weights(wrong, path=tmp_path / "wrong.npz")
    np.savez(tmp_path / "mismatch.npz", info=np.array('{"format": 1}'), **{f"w{i}": w for i, w in enumerate(wrong)})
    with pytest.raises(BookError, match="fc1/W"):
        load_mnist_weights(tmp_path / "mismatch.npz")
    np.savez(tmp_path / "old.npz", info=np.array('{"format": 0}'), **{f"w{i}": w for i, w in enumerate(random_weights())})
    with pytest.raises(BookError, match="형식 버전"):
        load_mnist_weights(tmp_path / "old.npz")


def test_small_training_then_cache_then_corrupt_file_retrains(cache, mnist, capsys):
    (_, _), (x_test, y_test) = mnist
    model = trained_mnist_cnn(epochs=1, train_size=2048, verbose=True)
    out = capsys.readouterr()
    assert "새로 학습" in out.out and "저장했습니다" in out.out
    assert (cache / PARTIAL_FILE).is_file() and not (cache / FULL_FILE).exists()
    info = model.cache_info
    assert info["partial"] and info["train_images"] == 2048
    probs = model.predict(x_test[:500].reshape(-1, 28, 28, 1) / 255.0, verbose=0)
    accuracy = np.mean(probs.argmax(axis=1) == y_test[:500])
    assert accuracy > 0.3  # 2,048장으로 16단계만 학습해도 어림짐작(10%)보다 훨씬 낫습니다.

    again = trained_mnist_cnn(verbose=True)  # 이번에는 캐시에서 읽습니다.
    assert "불러왔습니다" in capsys.readouterr().out
    for a, b in zip(model.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)

    (cache / PARTIAL_FILE).write_bytes(b"\x00" * 100)  # 손상된 캐시
    fixed = trained_mnist_cnn(epochs=1, train_size=256, verbose=True)
    out = capsys.readouterr()
    assert "쓸 수 없어" in out.err and "새로 학습" in out.out
    load_mnist_weights(cache / PARTIAL_FILE)  # 다시 쓸 수 있는 파일이 되었습니다.
    assert fixed.cache_info["train_images"] == 256


def test_full_mode_ignores_partial_weights(cache, monkeypatch):
    save_mnist_weights(random_weights(), info={"partial": True})
    monkeypatch.setenv("CNNBOOK_FAST", "0")
    called = {}

    def fake_training(epochs=None, train_size=None, verbose=True):
        called["args"] = (epochs, train_size)
        return random_weights(2), {"test_accuracy": 0.9}

    monkeypatch.setattr(mnist_model, "train_mnist_weights", fake_training)
    trained_mnist_cnn(verbose=False)
    assert called["args"] == (None, None)  # 전체 모드에서는 일부만 학습한 가중치를 쓰지 않고 처방대로 학습
    assert (cache / FULL_FILE).is_file()
