"""Colab은 cnnbook 을 git 주소에서 보통 설치로 받습니다: 휠에 모든 모듈이 들어가야 합니다."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_every_module(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("cnnbook-*.whl")
    packaged = {name for name in zipfile.ZipFile(wheel).namelist() if name.endswith(".py")}
    source = {str(p.relative_to(ROOT)) for p in (ROOT / "cnnbook").rglob("*.py")}
    assert source <= packaged, f"휠에 빠진 모듈: {sorted(source - packaged)}"


def test_importing_the_package_does_not_import_tensorflow():
    code = "import sys, cnnbook; assert 'tensorflow' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
