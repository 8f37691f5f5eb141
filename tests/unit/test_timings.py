"""scripts/timings.py 의 표 만들기와, 책 빌드의 커널 메모리 기록을 노트북에 맞추는 일."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("timings", ROOT / "scripts" / "timings.py")
timings = importlib.util.module_from_spec(spec)
spec.loader.exec_module(timings)


def test_kernel_peak_matches_the_overlapping_kernel():
    kernels = [
        {"pid": 1, "start": 0.0, "end": 100.0, "peak_kib": 1024 * 700},
        {"pid": 2, "start": 101.0, "end": 400.0, "peak_kib": 1024 * 3000},
    ]
    assert timings.kernel_peak_mib(5.0, 98.0, kernels) == 700
    assert timings.kernel_peak_mib(102.0, 399.0, kernels) == 3000
    assert timings.kernel_peak_mib(500.0, 600.0, kernels) is None  # 겹치는 커널 없음
    assert timings.kernel_peak_mib(90.0, 300.0, []) is None


def test_render_shows_full_mode_memory():
    data = {
        "full": {
            "machine": {"source": "book", "date": "2026-11-29 10:00 UTC", "cores": 2, "gflops": 310.0,
                        "tensorflow": "2.21.0", "python": "3.11.7"},
            "notebooks": {"04_1_cnn_intro": {"seconds": 7.0, "peak_mib": 900, "error": None}},
        }
    }
    table = timings.render(data)
    assert "| `04_1_cnn_intro` | 아직 재지 않음 | – | 7초 | 900 MiB |" in table
    assert "310 GFLOP/s" in table and "최대 상주 메모리" in table


def test_book_date_is_when_the_build_ran():
    found = {"a": {"seconds": 5.0, "ended": 1795960000.0}, "b": {"seconds": 9.0, "ended": 1795963600.0}}
    assert timings.build_date(found) == "2026-11-29 14:46 UTC"
    assert all("ended" not in entry for entry in found.values())
