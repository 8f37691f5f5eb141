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
    packaged = set(zipfile.ZipFile(wheel).namelist())
    # 파이썬 모듈뿐 아니라 패키지가 읽는 다른 파일(예: draw_panel.js)도 들어가야 합니다.
    source = {
        p.relative_to(ROOT).as_posix() for p in (ROOT / "cnnbook").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".pyc", ".pyo"}
    }
    assert source <= packaged, f"휠에 빠진 파일: {sorted(source - packaged)}"


def test_importing_the_package_does_not_import_tensorflow():
    code = "import sys, cnnbook; assert 'tensorflow' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
