"""benchmarks/report.py: 표는 JSON에서만 나오고, XLA·oneDNN 문장은 표가 말하는 것을 말합니다."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report():
    spec = importlib.util.spec_from_file_location("bench_report", ROOT / "benchmarks" / "report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def result(method, batch, jit, median, spread=0.1):
    return {"method": method, "batch": batch, "jit": jit, "median": median, "min": median * (1 - spread),
            "max": median * (1 + spread), "gflops": median * 0.082, "seconds": [1.0], "images": 100, "steps": 2}


def run(label, rows):
    return {"label": label, "date": "2026-01-01 00:00 UTC", "tensorflow": "2.x", "python": "3.x", "cpu_count": 2,
            "cpu_flags": ["avx2"], "onednn": "default", "data": "MNIST", "repeats": 5, "load_before": [1, 1, 1],
            "load_after": [2, 2, 2], "matmul_gflops": [300.0, 330.0], "train_flops_per_image": 82_049_024,
            "layers": [{"name": "conv1", "kind": "Conv2D", "shape": [28, 28, 32], "params": 832, "flops": 1_254_400}],
            "results": rows}


def test_tables_and_sentences_follow_the_numbers(report):
    on = run("onednn-on", [result("loop", 128, False, 2000), result("fit", 128, False, 1000),
                           result("loop", 128, True, 1000), result("fit", 128, True, 500)])
    off = run("onednn-off", [result("loop", 128, False, 1000), result("fit", 128, False, 500)])
    text = report.benchmark_section({"runs": [on, off]})
    assert "2.00배" in text and "±10%" in text and "목표" not in text
    assert "0.50–0.50배로 느려졌습니다" in report.xla_sentence(on)
    assert "0.50–0.50배" in report.onednn_sentence([on, off])
    fast_xla = run("onednn-on", [result("loop", 50, False, 1000), result("loop", 50, True, 1500)])
    assert "빨라졌습니다" in report.xla_sentence(fast_xla)
    speed = report.speed_section({"runs": [on]})
    assert "| 128 | 2,000 장/초 (±10%) | 1,000 장/초 (±10%) | 2.00 |" in speed


def test_replace_between_markers_only(report):
    text = "앞\n<!-- speed:begin -->\n옛 표\n<!-- speed:end -->\n뒤\n"
    assert report.replace_between(text, "speed", "새 표\n") == "앞\n<!-- speed:begin -->\n새 표\n<!-- speed:end -->\n뒤\n"
    with pytest.raises(SystemExit):
        report.replace_between("표시 없음", "speed", "x")


def test_committed_tables_match_the_json(report):
    if not (ROOT / "benchmarks" / "results.json").is_file():
        pytest.skip("benchmarks/results.json 이 아직 없습니다")
    checked = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "report.py"), "--check"])
    assert checked.returncode == 0, "README 표가 results.json 과 다릅니다: python benchmarks/report.py"
