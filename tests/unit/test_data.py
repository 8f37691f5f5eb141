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
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "mnist.npz").symlink_to(real_data / "mnist.npz")
    monkeypatch.delenv("CNNBOOK_DATA")
    monkeypatch.setattr(data, "REPOSITORY", tmp_path)
    (_, y_train), _ = load_mnist()
    assert list(y_train[:3]) == [5, 0, 4]


def test_data_is_looked_for_only_where_the_readme_says(monkeypatch, tmp_path):
    """CNNBOOK_DATA 다음은 패키지가 든 저장소의 data/ 하나뿐입니다 (현재 폴더의 data/ 는 보지 않음)."""
    assert data.repository_folders() == [data.REPOSITORY / "data"]
    monkeypatch.setattr(data, "REPOSITORY", tmp_path)  # pip으로 설치한 패키지: 옆에 pyproject.toml 이 없음
    assert data.repository_folders() == []


def test_readme_lists_the_same_search_order():
    from pathlib import Path

    readme = (Path(data.__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    order = [readme.find("`CNNBOOK_DATA`"), readme.find("`data/`"), readme.find("load_data()")]
    assert -1 not in order and order == sorted(order), "README의 데이터 찾는 순서가 cnnbook/data.py 와 다릅니다"


def _keras_fails_with(monkeypatch, tmp_path, error):
    tf = pytest.importorskip("tensorflow")

    def failing():
        raise error

    monkeypatch.delenv("CNNBOOK_DATA", raising=False)
    monkeypatch.setattr(data, "repository_folders", lambda: [tmp_path / "data"])
    monkeypatch.setattr(tf.keras.datasets.mnist, "load_data", failing)


def test_no_internet_is_explained(monkeypatch, tmp_path):
    error = urllib.error.URLError("network unreachable")
    _keras_fails_with(monkeypatch, tmp_path, error)
    with pytest.raises(BookError, match="내려받지 못했습니다.*network unreachable.*인터넷 연결을 확인하세요") as info:
        load_mnist()
    assert info.value.__cause__ is error


def test_keras_wrapped_network_error_is_recognized(monkeypatch, tmp_path):
    """케라스는 URLError를 'URL fetch failure ...' Exception으로 감쌉니다."""
    try:
        try:
            raise urllib.error.URLError("timed out")
        except urllib.error.URLError as inner:
            raise Exception(f"URL fetch failure on https://example: None -- {inner.reason}")
    except Exception as wrapped:
        error = wrapped
    _keras_fails_with(monkeypatch, tmp_path, error)
    with pytest.raises(BookError, match="인터넷 연결을 확인하세요"):
        load_mnist()


def test_other_download_errors_do_not_blame_the_internet(monkeypatch, tmp_path):
    error = PermissionError(13, "Permission denied", "/root/.keras/datasets")
    _keras_fails_with(monkeypatch, tmp_path, error)
    with pytest.raises(BookError, match="PermissionError.*Permission denied") as info:
        load_mnist()
    assert "인터넷 연결을 확인" not in str(info.value)
    assert info.value.__cause__ is error


def test_broken_file_keeps_its_cause(monkeypatch, tmp_path):
    (tmp_path / "mnist.npz").write_bytes(b"not a zip file")
    monkeypatch.setenv("CNNBOOK_DATA", str(tmp_path))
    with pytest.raises(BookError, match=r"읽지 못했습니다 \(\w+Error: .+\)") as info:
        load_mnist()
    assert info.value.__cause__ is not None
    assert str(info.value.__cause__) in str(info.value)
    assert "인터넷 연결을 확인" not in str(info.value)


# --- CIFAR-10: 작은 가짜 파일로, 모양과 체크섬을 그 파일에 맞춘 명세로 바꿔 시험합니다 ---

def _small_cifar(monkeypatch, folder):
    """CIFAR-10과 같은 꼴(uint8 이미지 [N, 32, 32, 3], 레이블 [N, 1])의 작은 배열과 그에 맞춘 명세."""
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (6, 32, 32, 3), dtype=np.uint8),
        "y_train": rng.integers(0, 10, (6, 1), dtype=np.uint8),
        "x_test": rng.integers(0, 256, (4, 32, 32, 3), dtype=np.uint8),
        "y_test": rng.integers(0, 10, (4, 1), dtype=np.uint8),
    }
    spec = data.DatasetSpec(
        name="cifar10", title="CIFAR-10", file_name="cifar10.npz",
        shapes={k: a.shape for k, a in arrays.items()},
        sha256={k: data.array_sha256(a) for k, a in arrays.items()},
    )
    monkeypatch.setattr(data, "CIFAR10", spec)
    monkeypatch.setitem(data.SPECS, "cifar10", spec)
    folder.mkdir(exist_ok=True)
    monkeypatch.setenv("CNNBOOK_DATA", str(folder))
    return arrays


def test_cifar10_loads_from_env_folder(monkeypatch, tmp_path):
    arrays = _small_cifar(monkeypatch, tmp_path / "d")
    np.savez_compressed(tmp_path / "d" / "cifar10.npz", **arrays)
    (x_train, y_train), (x_test, y_test) = data.load_cifar10()
    assert x_train.shape == (6, 32, 32, 3) and y_test.shape == (4, 1)
    np.testing.assert_array_equal(x_test, arrays["x_test"])


def test_cifar10_wrong_shape(monkeypatch, tmp_path):
    arrays = _small_cifar(monkeypatch, tmp_path / "d")
    arrays["x_train"] = arrays["x_train"][..., 0]  # 채널이 빠진 이미지
    np.savez_compressed(tmp_path / "d" / "cifar10.npz", **arrays)
    with pytest.raises(BookError, match=r"'x_train' 모양이 \(6, 32, 32\)"):
        data.load_cifar10()


def test_cifar10_checksum_mismatch(monkeypatch, tmp_path):
    arrays = _small_cifar(monkeypatch, tmp_path / "d")
    arrays["y_test"] = (arrays["y_test"] + 1) % 10  # 레이블 하나하나가 바뀐 파일
    np.savez_compressed(tmp_path / "d" / "cifar10.npz", **arrays)
    with pytest.raises(BookError, match="'y_test' 체크섬이 맞지 않습니다"):
        data.load_cifar10()


def test_cifar10_missing_key(monkeypatch, tmp_path):
    arrays = _small_cifar(monkeypatch, tmp_path / "d")
    del arrays["y_train"]
    np.savez_compressed(tmp_path / "d" / "cifar10.npz", **arrays)
    with pytest.raises(BookError, match="CIFAR-10의 'y_train' 배열이 없습니다"):
        data.load_cifar10()


def test_cifar10_missing_file_and_folder(monkeypatch, tmp_path):
    _small_cifar(monkeypatch, tmp_path / "d")
    with pytest.raises(BookError, match="CIFAR-10 파일 .*cifar10.npz 이\\(가\\) 없습니다"):
        data.load_cifar10()
    monkeypatch.setenv("CNNBOOK_DATA", str(tmp_path / "없는 폴더"))
    with pytest.raises(BookError, match="CNNBOOK_DATA 가 가리키는 폴더 .* 없습니다"):
        data.load_cifar10()


def test_cifar10_broken_file_keeps_cause(monkeypatch, tmp_path):
    _small_cifar(monkeypatch, tmp_path / "d")
    (tmp_path / "d" / "cifar10.npz").write_bytes(b"PK\x03\x04 cut")
    with pytest.raises(BookError, match="읽지 못했습니다") as info:
        data.load_cifar10()
    assert info.value.__cause__ is not None and type(info.value.__cause__).__name__ in str(info.value)


def test_prepare_data_saves_atomically(monkeypatch, tmp_path, capsys):
    arrays = _small_cifar(monkeypatch, tmp_path / "d")
    np.savez_compressed(tmp_path / "d" / "cifar10.npz", **arrays)
    out = tmp_path / "교실"
    assert prepare_main([str(out), "--only", "cifar10"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["cifar10.npz"]  # 임시 파일이 남지 않습니다
    np.testing.assert_array_equal(data.read_npz(out / "cifar10.npz", data.CIFAR10)["x_train"], arrays["x_train"])


def test_failed_save_leaves_no_partial_file(monkeypatch, tmp_path):
    from cnnbook import prepare_data

    target = tmp_path / "cifar10.npz"
    target.write_bytes(b"old")

    def broken_save(handle, **arrays):
        handle.write(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(prepare_data.np, "savez_compressed", broken_save)
    with pytest.raises(BookError, match="저장하지 못했습니다.*No space left") as info:
        prepare_data.save_atomically(target, {"x": np.zeros(2)})
    assert isinstance(info.value.__cause__, OSError)
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["cifar10.npz"]


def test_prepare_data_writes_a_verified_copy(real_data, tmp_path, capsys):
    assert prepare_main([str(tmp_path / "교실"), "--only", "mnist"]) == 0
    assert "체크섬 확인 완료" in capsys.readouterr().out
    arrays = data.read_npz(tmp_path / "교실" / "mnist.npz", data.MNIST)
    assert arrays["y_test"][0] == 7


def test_prepare_data_reports_errors_in_korean(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CNNBOOK_DATA", str(tmp_path / "없음"))
    assert prepare_main([str(tmp_path / "out"), "--only", "mnist"]) == 1
    assert "오류:" in capsys.readouterr().err
