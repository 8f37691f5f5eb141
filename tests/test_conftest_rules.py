"""real_data 고정 장치가 잘못된 데이터 폴더를 건너뛰기로 숨기지 않는지 봅니다."""
from __future__ import annotations

import pytest

import conftest


def test_wrong_cnnbook_data_fails_not_skips(monkeypatch, tmp_path):
    monkeypatch.setenv("CNNBOOK_DATA", str(tmp_path / "없음"))
    with pytest.raises(pytest.fail.Exception):
        conftest.find_real_data()


def test_missing_shared_folder_skips_only_outside_ci(monkeypatch, tmp_path):
    monkeypatch.delenv("CNNBOOK_DATA", raising=False)
    monkeypatch.setattr(conftest, "SHARED_DATA", tmp_path / "없음")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        conftest.find_real_data()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        conftest.find_real_data()


def test_empty_shared_folder_fails(monkeypatch, tmp_path):
    monkeypatch.delenv("CNNBOOK_DATA", raising=False)
    monkeypatch.setattr(conftest, "SHARED_DATA", tmp_path)
    with pytest.raises(pytest.fail.Exception):
        conftest.find_real_data()


def test_real_mnist_fixture_loads(real_mnist):
    (x_train, _), (_, y_test) = real_mnist
    assert x_train.shape == (60000, 28, 28) and y_test[0] == 7
