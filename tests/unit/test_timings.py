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


# ---------------------------------------------------------------- 빌드 시간 어림 (scripts/book.sh 가 빌드 전에 찍음)

SOURCE = {"date": "2026-11-29 16:05 UTC", "cores": 2, "gflops": 300.0, "tensorflow": "2.21.0", "python": "3.11.7"}


def timings_data(machine=None, **seconds):
    return {"full": {"machine": dict(SOURCE, **(machine or {})),
                     "notebooks": {name: {"seconds": value, "peak_mib": 900, "error": None}
                                   for name, value in seconds.items()}}}


def here(precision="float32", gflops=150.0, at_precision=None, is_gpu=False, name="CPU"):
    return {"device": name, "is_gpu": is_gpu, "precision": precision, "gflops": gflops,
            "gflops_precision": gflops if at_precision is None else at_precision}


def test_estimate_scales_by_the_fp32_ceiling():
    data = timings_data(a=100.0, b=50.0)
    estimate = timings.build_estimate(data, here(gflops=150.0), set())
    assert estimate["notebooks"] == {"a": 200.0, "b": 100.0} and estimate["seconds"] == 300.0
    assert not estimate["rough"]
    lines = timings.estimate_lines(estimate, data, here(gflops=150.0))
    assert lines[0].startswith("예상 시간(어림값): 이 기계에서 노트북 2개를") and "약 5분" in lines[0]
    assert "fp32 300 GFLOP/s" in lines[1] and "fp32 150 GFLOP/s" in lines[1]


def test_estimate_uses_the_precision_ceiling_for_precision_notebooks():
    data = timings_data({"precision": "mixed_bfloat16", "gflops_precision": 1200.0}, mnist=100.0, cifar=1000.0)
    mine = here("mixed_bfloat16", gflops=200.0, at_precision=400.0, name="CPU (AVX512_BF16)")
    estimate = timings.build_estimate(data, mine, {"cifar"})
    # mnist(float32): 300/200 배, cifar(bfloat16): 1200/400 배
    assert estimate["notebooks"] == {"mnist": 150.0, "cifar": 3000.0} and not estimate["rough"]


def test_estimate_without_the_source_precision_ceiling_is_marked_rough():
    data = timings_data(cifar=1000.0)  # 예전 기록: 그 기계의 bfloat16 천장이 없음
    mine = here("mixed_bfloat16", gflops=200.0, at_precision=400.0)
    estimate = timings.build_estimate(data, mine, {"cifar"})
    assert estimate["notebooks"] == {"cifar": 1500.0} and estimate["rough"] == ["cifar"]
    assert any("cifar: " in line and "크게 다를 수" in line for line in timings.estimate_lines(estimate, data, mine))
    # 그 기계는 bfloat16, 여기는 float32: 역시 어림이 거칠다고 적습니다
    data = timings_data({"precision": "mixed_bfloat16", "gflops_precision": 1200.0}, cifar=1000.0)
    assert timings.build_estimate(data, here(gflops=300.0), {"cifar"})["rough"] == ["cifar"]
    # 정밀도를 적지 않은 예전 기록도 마찬가지, 두 기계가 모두 float32였다고 적혀 있으면 거칠지 않습니다
    assert timings.build_estimate(timings_data(cifar=1000.0), here(gflops=300.0), {"cifar"})["rough"] == ["cifar"]
    data = timings_data({"precision": "float32", "gflops_precision": 300.0}, cifar=1000.0)
    assert timings.build_estimate(data, here(gflops=300.0), {"cifar"})["rough"] == []


def test_estimate_skips_cached_and_lists_unknown_notebooks():
    data = timings_data(a=100.0, b=50.0, c=10.0)
    estimate = timings.build_estimate(data, here(gflops=300.0), set(), cached={"b"}, current=["a", "b", "new"])
    assert estimate["notebooks"] == {"a": 100.0} and estimate["cached"] == ["b"] and estimate["unknown"] == ["new"]
    lines = timings.estimate_lines(estimate, data, here(gflops=300.0))
    assert any("new" in line for line in lines) and any("캐시에 있는 노트북 1개" in line for line in lines)


def test_no_estimate_on_a_gpu_or_without_data():
    data = timings_data(a=100.0)
    gpu = here("mixed_float16", gflops=4000.0, at_precision=20000.0, is_gpu=True, name="Tesla T4 (연산 능력 7.5)")
    estimate = timings.build_estimate(data, gpu, {"a"})
    assert estimate["seconds"] is None and "GPU" in timings.estimate_lines(estimate, data, gpu)[0]
    assert timings.build_estimate({}, here(), set())["seconds"] is None
    failed = timings_data(a=100.0)
    failed["full"]["notebooks"]["a"]["error"] = "CellExecutionError: …"
    assert "아직 없어" in timings.estimate_lines(timings.build_estimate(failed, here(), set()), failed, here())[0]


def test_precision_notebooks_are_found_by_their_source(tmp_path):
    uses, plain = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    uses.write_text('{"cells": [{"source": ["PRECISION = cifar.use_precision()"]}]}', encoding="utf-8")
    plain.write_text('{"cells": [{"source": ["x = 1"]}]}', encoding="utf-8")
    assert timings.uses_device_precision(uses) and not timings.uses_device_precision(plain)
    machine = tmp_path / "c.ipynb"
    machine.write_text('{"cells": [{"source": ["machine = Machine.measure()"]}]}', encoding="utf-8")
    assert timings.uses_device_precision(machine)


def test_run_one_reports_kernel_memory(tmp_path):
    """노트북 하나를 실제로 실행해 시간과 커널의 최대 메모리(MiB)를 적는지 (resource 를 맨 위에서 부르지 않고)."""
    nbformat = __import__("pytest").importorskip("nbformat")
    path = tmp_path / "tiny.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1 + 1")]
    nbformat.write(nb, path)
    result = timings.run_one(path)
    assert result["error"] is None and result["seconds"] >= 0
    assert isinstance(result["peak_mib"], int) and result["peak_mib"] > 10


def test_render_names_the_device_and_precision_ceiling():
    info = {"source": "book", "date": "2026-12-04 10:00 UTC", "cores": 2, "gflops": 210.0, "tensorflow": "2.21.0",
            "python": "3.11.7", "device": "CPU (AVX512_BF16)", "precision": "mixed_bfloat16", "gflops_precision": 420.0}
    table = timings.render({"full": {"machine": info, "notebooks": {}}})
    assert "fp32 행렬 곱 210 GFLOP/s, 장치 CPU (AVX512_BF16), mixed_bfloat16 행렬 곱 420 GFLOP/s" in table
    assert "커널" not in table  # 용어: "커널"은 합성곱 필터만


def test_estimate_warns_when_the_machine_is_busy():
    data = timings_data(a=100.0)
    busy = dict(here(gflops=150.0), load=64.0 * 8)
    lines = timings.estimate_lines(timings.build_estimate(data, busy, set()), data, busy)
    assert any("부하" in line for line in lines)
    idle = dict(here(gflops=150.0), load=0.0)
    assert not any("부하" in line for line in timings.estimate_lines(timings.build_estimate(data, idle, set()), data, idle))


def test_command_times_go_from_the_records_to_the_readme(tmp_path):
    build = tmp_path / "_build"
    build.mkdir()
    (build / "book-time.json").write_text('{"seconds": 2460, "date": "2026-12-05 00:10 UTC", "cpu": "AMD EPYC", "cores": 2}')
    (build / "test-time.json").write_text('{"seconds": 0, "date": "2026-12-05 00:40 UTC"}')  # 0초는 잘못된 기록
    (build / "slides-time.json").write_text('{"seconds": 5, "date": "2026-12-05 00:40 UTC"}')  # 두 명령이 아님
    data = timings.read_command_times({}, build)
    assert data["commands"] == {"book": {"seconds": 2460, "date": "2026-12-05 00:10 UTC", "cpu": "AMD EPYC", "cores": 2}}
    readme = tmp_path / "README.md"
    readme.write_text(f"앞\n{timings.README_BEGIN}\n옛 문장\n{timings.README_END}\n뒤\n", encoding="utf-8")
    timings.write_readme(data, readme)
    text = readme.read_text(encoding="utf-8")
    assert "옛 문장" not in text and text.startswith("앞\n") and text.endswith("뒤\n")
    assert "`bash scripts/book.sh`" in text and "약 41분" in text and "AMD EPYC, 코어 2개" in text
    assert "`bash scripts/test.sh`" in text and "아직 잰 기록이 없습니다" in text
    data["commands"]["book"]["note"] = "다른 빌드와 CPU를 나눠 씀"
    assert "코어 2개; 다른 빌드와 CPU를 나눠 씀)" in timings.durations_text(data)


def test_lecture_plan_adds_the_measured_times_of_its_notebooks(tmp_path):
    plan = tmp_path / "lectures.yml"
    plan.write_text("lectures:\n- title: 두 장\n  notebooks: [a, b]\n  activity: 실행\n- title: 새 장\n  notebooks: [c]\n"
                    "  activity: 실행\n", encoding="utf-8")
    data = {"fast": {"notebooks": {"a": {"seconds": 30.0}, "b": {"seconds": 45.0}}},
            "full": {"notebooks": {"a": {"seconds": 300.0}, "b": {"seconds": None, "error": "실패"}}}}
    rows = timings.lectures_table(data, plan).splitlines()
    assert rows[2] == "| 1 | 두 장 | `a`, `b` | 75초 | 아직 재지 않음 | 실행 |"
    assert rows[3] == "| 2 | 새 장 | `c` | 아직 재지 않음 | 아직 재지 않음 | 실행 |"


def test_every_chapter_is_in_the_lecture_plan():
    import yaml

    planned = {name for lecture in yaml.safe_load((timings.ROOT / "book" / "lectures.yml").read_text(encoding="utf-8"))
               ["lectures"] for name in lecture["notebooks"]}
    lessons = {p.stem for p in timings.chapters() if not p.stem.startswith("A")}  # 부록은 강의 밖
    assert lessons == planned
