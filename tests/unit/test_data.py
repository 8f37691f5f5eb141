"""데이터 불러오기: 찾는 순서, 검증, 한국어 오류 메시지."""
from __future__ import annotations

import urllib.error

import numpy as np
import pytest

from cnnbook import BookError, data, load_mnist
from cnnbook.prepare_data import main as prepare_main


def test_loads_real_mnist_from_env_folder(real_data):
    (x_train, y_train), (x_test, y_test) = load_mnist()
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert list(y_train[:5]) == [5, 0, 4, 1, 9]
    assert list(y_test[:5]) == [7, 2, 1, 0, 4]
    assert x_test.shape == (10000, 28, 28)


def test_missing_env_folder_is_explained(monkeypatch, tmp_path):
    monkeypatch.setenv("CNNBOOK_DATA", str(tmp_path / "없는폴더"))
    with pytest.raises(BookError, match="CNNBOOK_DATA.*폴더.*없습니다"):
        load_mnist()


def test_missing_file_is_explained(monkeypatch, tmp_path):
    monkeypatch.setenv("CNNBOOK_DATA", str(tmp_path))
    with pytest.raises(BookError, match="mnist.npz.*없습니다.*prepare_data"):
        load_mnist()


def test_checksum_mismatch_is_explained(monkeypatch, tmp_path):
    fake = {key: np.zeros(shape, np.uint8) for key, shape in data.MNIST.shapes.items()}
    np.savez_compressed(tmp_path / "mnist.npz", **fake)
    monkeypatch.setenv("CNNBOOK_DATA", str(tmp_path))
    with pytest.raises(BookError, match="체크섬이 맞지 않습니다"):
        load_mnist()


def test_wrong_shape_is_explained(monkeypatch, tmp_path):
    fake = {key: np.zeros((3,), np.uint8) for key in data.ARRAY_NAMES}
    np.savez_compressed(tmp_path / "mnist.npz", **fake)
    monkeypatch.setenv("CNNBOOK_DATA", str(tmp_path))
    with pytest.raises(BookError, match="모양"):
        load_mnist()


def test_broken_file_is_explained(monkeypatch, tmp_path):
    (tmp_path / "mnist.npz").write_bytes(b"not a zip file")
    monkeypatch.setenv("CNNBOOK_DATA", str(tmp_path))
    with pytest.raises(BookError, match="읽지 못했습니다"):
        load_mnist()


def test_repository_data_folder_is_used(monkeypatch, tmp_path, real_data):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "mnist.npz").symlink_to(real_data / "mnist.npz")
    monkeypatch.delenv("CNNBOOK_DATA")
    monkeypatch.chdir(tmp_path)
    (_, y_train), _ = load_mnist()
    assert list(y_train[:3]) == [5, 0, 4]


def test_no_internet_is_explained(monkeypatch, tmp_path):
    tf = pytest.importorskip("tensorflow")

    def offline():
        raise urllib.error.URLError("network unreachable")

    monkeypatch.delenv("CNNBOOK_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(data, "repository_folders", lambda: [tmp_path / "data"])
    monkeypatch.setattr(tf.keras.datasets.mnist, "load_data", offline)
    with pytest.raises(BookError, match="내려받지 못했습니다.*인터넷"):
        load_mnist()


def test_prepare_data_writes_a_verified_copy(real_data, tmp_path, capsys):
    assert prepare_main([str(tmp_path / "교실"), "--only", "mnist"]) == 0
    assert "체크섬 확인 완료" in capsys.readouterr().out
    arrays = data.read_npz(tmp_path / "교실" / "mnist.npz", data.MNIST)
    assert arrays["y_test"][0] == 7


def test_prepare_data_reports_errors_in_korean(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CNNBOOK_DATA", str(tmp_path / "없음"))
    assert prepare_main([str(tmp_path / "out"), "--only", "mnist"]) == 1
    assert "오류:" in capsys.readouterr().err
