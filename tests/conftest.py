"""모든 테스트에 공통: 실제 데이터 폴더 위치와 빠른 모드."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def real_data(monkeypatch):
    """../shared/data (또는 이미 지정된 CNNBOOK_DATA) 를 가리키게 합니다."""
    folder = Path(os.environ.get("CNNBOOK_DATA") or SHARED_DATA)
    if not (folder / "mnist.npz").is_file():
        pytest.skip(f"실제 데이터 폴더가 없습니다: {folder}")
    monkeypatch.setenv("CNNBOOK_DATA", str(folder))
    return folder
