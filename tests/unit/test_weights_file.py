"""가중치 캐시 파일(cnnbook.weights_file): MNIST와 CIFAR-10이 함께 쓰는 쓰기·읽기·검사."""
from __future__ import annotations

import importlib.util

import numpy as np
import pytest

import cnnbook
from cnnbook.errors import BookError
from cnnbook import weights_file
from cnnbook.weights_file import cache_dir, code_hash, read_weights, set_aside, write_weights


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


@pytest.mark.parametrize("error", [OSError("디스크가 가득 참"), KeyboardInterrupt()])
def test_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch, error):
    path = write_weights(tmp_path / "w.npz", [np.ones(2)], {"format": 1})

    def half_written(file, **arrays):  # 반쯤 쓰다가 멈추는 np.savez
        with open(file, "wb") as f:
            f.write(b"PK\x03\x04 partial")
        raise error

    monkeypatch.setattr(weights_file.np, "savez", half_written)
    with pytest.raises(BookError if isinstance(error, OSError) else KeyboardInterrupt):
        write_weights(path, [np.zeros(2)], {"format": 1})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.npz"]
    assert np.array_equal(read_weights(path, 1)[0][0], np.ones(2))  # 전의 파일은 그대로입니다


def test_set_aside_keeps_the_file(tmp_path, capsys):
    path = write_weights(tmp_path / "cnn.npz", [np.ones(2)], {"format": 1})
    older = write_weights(tmp_path / "cnn.rejected.npz", [np.zeros(2)], {"format": 1})
    moved = set_aside(path, "검증 정확도가 기준보다 낮음")
    assert moved == older and not path.exists()
    assert np.array_equal(read_weights(moved, 1)[0][0], np.ones(2))  # 지우지 않고, 더 오래된 것을 바꿨습니다
    out = capsys.readouterr().out
    assert "cnn.rejected.npz" in out and "검증 정확도가 기준보다 낮음" in out
    assert set_aside(path, "다시") is None


def load_step(folder, name, body):
    """``def step(x): return <body>`` 가 든 모듈을 파일로 써서 읽고 그 함수를 돌려줍니다."""
    file = folder / f"{name}.py"
    file.write_text(f"def step(x):\n    return {body}\n", encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.step


def test_code_hash_follows_source_and_recipe(tmp_path):
    step = load_step(tmp_path, "step_a", "x * 2")
    recipe = {"epochs": 12, "rate": 0.001}
    first = code_hash(step, recipe)
    assert len(first) == 16 and int(first, 16) >= 0
    assert code_hash(load_step(tmp_path, "step_b", "x * 2"), recipe) == first  # 같은 소스, 같은 지문
    assert code_hash(step, dict(reversed(recipe.items()))) == first  # 사전 순서는 상관없음
    assert code_hash(load_step(tmp_path, "step_c", "x * 3"), recipe) != first  # 소스가 바뀜
    assert code_hash(step, {**recipe, "epochs": 13}) != first  # 처방이 바뀜
    assert code_hash(recipe, step) != first  # 순서도 지문에 들어갑니다
    assert code_hash(np.float32(0.5), np.arange(2)) == code_hash(0.5, [0, 1])
    assert code_hash(weights_file) != code_hash(cnnbook.errors)
    with pytest.raises(BookError, match="코드 지문"):
        code_hash(object())


def test_cache_dir_follows_env(monkeypatch, tmp_path):
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    assert cache_dir() == tmp_path


def test_trained_models_are_exported():
    assert callable(cnnbook.trained_cifar_cnn) and "trained_cifar_cnn" in cnnbook.__all__
    assert callable(cnnbook.trained_mnist_cnn)
