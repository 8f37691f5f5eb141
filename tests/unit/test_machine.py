"""cnnbook.machine: 최대 메모리를 운영 체제마다 바르게 읽는지 (리눅스, macOS, 윈도를 흉내 내어)."""
from __future__ import annotations

import ast
import sys
import types
from pathlib import Path

import pytest

from cnnbook import machine

ROOT = Path(__file__).resolve().parents[2]


def fake_resource(maxrss_self: int, maxrss_children: int):
    module = types.ModuleType("resource")
    module.RUSAGE_SELF, module.RUSAGE_CHILDREN = 0, -1
    module.getrusage = lambda who: types.SimpleNamespace(
        ru_maxrss=maxrss_self if who == module.RUSAGE_SELF else maxrss_children)
    return module


@pytest.mark.parametrize("platform, expected_self, expected_children", [
    ("linux", 1000 * 1024, 3000 * 1024),  # 리눅스: ru_maxrss 는 KiB
    ("darwin", 1000, 3000),  # macOS: 바이트
])
def test_unix_units(monkeypatch, platform, expected_self, expected_children):
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setitem(sys.modules, "resource", fake_resource(1000, 3000))
    assert machine.peak_memory_bytes() == expected_self
    assert machine.peak_memory_bytes(children=True) == expected_children


def test_no_resource_module_gives_none(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setitem(sys.modules, "resource", None)  # import resource → ImportError
    assert machine.peak_memory_bytes() is None


def test_windows_uses_psutil(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setitem(sys.modules, "resource", None)  # 윈도에는 없음
    psutil = types.ModuleType("psutil")
    psutil.Process = lambda: types.SimpleNamespace(memory_info=lambda: types.SimpleNamespace(peak_wset=5_000_000))
    monkeypatch.setitem(sys.modules, "psutil", psutil)
    assert machine.peak_memory_bytes() == 5_000_000
    assert machine.peak_memory_bytes(children=True) is None  # 끝난 자식의 값은 윈도에서 알 수 없음


def test_windows_without_psutil_uses_ctypes(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setitem(sys.modules, "psutil", None)
    # 이 기계에는 ctypes.windll 이 없으므로 알 수 없음(None)이 되어야 하고, 오류를 내면 안 됩니다
    assert machine.peak_memory_bytes() is None
    monkeypatch.setattr(machine, "_windows_ctypes_peak", lambda: 7_000_000)
    assert machine.peak_memory_bytes() == 7_000_000


def test_real_value_on_this_machine():
    peak = machine.peak_memory_bytes()
    if sys.platform == "win32":
        pytest.skip("윈도의 실제 값은 윈도에서만")
    assert peak is not None and peak > 10 * 1024**2  # 파이썬과 pytest만으로도 10 MiB는 넘습니다


@pytest.mark.parametrize("path", ["cnnbook", "scripts/timings.py"])
def test_no_unconditional_import_of_resource(path):
    """resource 모듈은 윈도에 없으므로 모듈 맨 위에서 import하면 안 됩니다 (함수 안에서만)."""
    target = ROOT / path
    files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
    offenders = []
    for file in files:
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in tree.body:  # 모듈 맨 위의 문장만
            names = [a.name for a in node.names] if isinstance(node, (ast.Import, ast.ImportFrom)) else []
            module = getattr(node, "module", None)
            if "resource" in names or module == "resource":
                offenders.append(str(file.relative_to(ROOT)))
    assert not offenders, f"맨 위에서 resource 를 import합니다: {offenders}"
