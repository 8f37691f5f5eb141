"""가중치 캐시 파일(cnnbook.weights_file): MNIST와 CIFAR-10이 함께 쓰는 쓰기·읽기·검사."""
from __future__ import annotations

import numpy as np
import pytest

import cnnbook
from cnnbook.errors import BookError
from cnnbook.weights_file import cache_dir, read_weights, write_weights


def test_round_trip(tmp_path):
    arrays = [np.ones((2, 3)), np.arange(4.0)]
    path = write_weights(tmp_path / "a" / "w.npz", arrays, {"format": 7, "note": "한글"})
    weights, info = read_weights(path, 7)
    assert info == {"format": 7, "note": "한글"}
    assert [w.dtype for w in weights] == [np.float32, np.float32]
    assert all(np.array_equal(a, b) for a, b in zip(arrays, weights))
    assert not list(path.parent.glob("*.tmp.npz"))  # 임시 파일이 남지 않습니다


@pytest.mark.parametrize(
    "arrays, info, expected",
    [
        ([np.array([np.nan])], {"format": 1}, "NaN"),
        ([np.ones(2)], {"format": 2}, "형식 버전"),
    ],
)
def test_bad_contents_get_korean_errors(tmp_path, arrays, info, expected):
    path = write_weights(tmp_path / "w.npz", arrays, info)
    with pytest.raises(BookError, match=expected):
        read_weights(path, 1)


def test_missing_info_and_wrong_names(tmp_path):
    np.savez(tmp_path / "noinfo.npz", w0=np.ones(2))
    with pytest.raises(BookError, match="설명"):
        read_weights(tmp_path / "noinfo.npz", 1)
    np.savez(tmp_path / "names.npz", info=np.array('{"format": 1}'), w0=np.ones(1), w5=np.ones(1))
    with pytest.raises(BookError, match="배열 이름"):
        read_weights(tmp_path / "names.npz", 1)
    with pytest.raises(BookError, match="없습니다"):
        read_weights(tmp_path / "missing.npz", 1)


def test_cache_dir_follows_env(monkeypatch, tmp_path):
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    assert cache_dir() == tmp_path


def test_trained_models_are_exported():
    assert callable(cnnbook.trained_cifar_cnn) and "trained_cifar_cnn" in cnnbook.__all__
    assert callable(cnnbook.trained_mnist_cnn)
