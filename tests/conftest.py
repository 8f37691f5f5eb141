"""모든 테스트에 공통: 실제 데이터 폴더 위치와 빠른 모드."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def find_real_data() -> Path:
    """실제 데이터 폴더. 잘못 지정한 폴더는 건너뛰기가 아니라 실패입니다.

    - ``CNNBOOK_DATA`` 가 있으면 그 폴더에 mnist.npz 가 있어야 합니다 (없으면 실패).
    - 없으면 저장소 옆의 ``../shared/data``: 폴더가 아예 없을 때만 건너뜁니다. CI(``CI=true``)에서는 그것도 실패.
    - 파일이 있는데 체크섬이 틀리면 불러오는 테스트가 BookError로 실패합니다 (건너뛰지 않음).
    """
    value = os.environ.get("CNNBOOK_DATA", "").strip()
    if value:
        folder = Path(value).expanduser()
        if not (folder / "mnist.npz").is_file():
            pytest.fail(f"CNNBOOK_DATA={folder} 에 mnist.npz 가 없습니다 (폴더 이름을 확인하세요)", pytrace=False)
        return folder
    if SHARED_DATA.is_dir():
        if not (SHARED_DATA / "mnist.npz").is_file():
            pytest.fail(f"{SHARED_DATA} 에 mnist.npz 가 없습니다", pytrace=False)
        return SHARED_DATA
    message = f"실제 데이터 폴더가 없습니다 (CNNBOOK_DATA 도 {SHARED_DATA} 도 없음)"
    if in_ci():
        pytest.fail(message + " — CI에서는 데이터가 꼭 있어야 합니다", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def real_data(monkeypatch):
    """실제 데이터 폴더(CNNBOOK_DATA 또는 ../shared/data)를 CNNBOOK_DATA 로 가리키게 합니다."""
    folder = find_real_data()
    monkeypatch.setenv("CNNBOOK_DATA", str(folder))
    return folder


def _load_real(name: str):
    """실제 데이터 폴더(find_real_data)에서 ``cnnbook.load_<name>()`` 으로 읽습니다. 파일이 없거나 틀리면
    (체크섬, 모양) 실패합니다 — 건너뛰지 않습니다. 환경 변수는 원래대로 돌려 둡니다."""
    import cnnbook

    folder = find_real_data()
    if not (folder / f"{name}.npz").is_file():
        pytest.fail(f"{folder} 에 {name}.npz 가 없습니다", pytrace=False)
    old = os.environ.get("CNNBOOK_DATA")
    os.environ["CNNBOOK_DATA"] = str(folder)
    try:
        return getattr(cnnbook, f"load_{name}")()
    finally:
        if old is None:
            del os.environ["CNNBOOK_DATA"]
        else:
            os.environ["CNNBOOK_DATA"] = old


@pytest.fixture(scope="session")
def real_mnist():
    """실제 MNIST ((x_train, y_train), (x_test, y_test)). 틀린 파일은 BookError 로 실패 (건너뛰지 않음)."""
    return _load_real("mnist")


@pytest.fixture(scope="session")
def real_cifar10():
    """실제 CIFAR-10 ((x_train, y_train), (x_test, y_test)). 없거나 틀린 파일은 실패 (건너뛰지 않음)."""
    return _load_real("cifar10")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: 30초 넘게 걸리는 테스트 (-m 'not slow' 로 뺄 수 있음)")


class _FakePngFormatter:
    """IPython의 image/png 변환기 흉내: 종류별 변환 함수를 찾고 바꿀 수 있습니다 (Figure는 b"png"를 돌려줌)."""

    def __init__(self):
        from matplotlib.figure import Figure

        self.types = {Figure: lambda fig: b"png"}

    def lookup_by_type(self, kind):
        return self.types[kind]

    def for_type(self, kind, func):
        self.types[kind] = func


class FakeShell:
    """노트북 커널의 IPython 셸 흉내: 그림 변환기와 줄 매직 기록."""

    kernel = object()

    def __init__(self):
        self.magics = []
        self.display_formatter = type("DisplayFormatter", (), {"formatters": {"image/png": _FakePngFormatter()}})()

    def run_line_magic(self, name, value):
        self.magics.append((name, value))


@pytest.fixture
def fake_shell():
    return FakeShell()
