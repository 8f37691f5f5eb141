"""노트북마다 실행 시간과 최대 메모리를 재서 교사용 안내에 넣을 표를 만듭니다.

    .venv/bin/python scripts/timings.py --mode fast          # 빠른 모드 (CNNBOOK_FAST=1)
    .venv/bin/python scripts/timings.py --mode full          # 전체 모드 (오래 걸림)
    .venv/bin/python scripts/timings.py --render             # 재지 않고 표만 다시 만들기
    .venv/bin/python scripts/timings.py --from-book          # 전체 모드 시간만, 방금 만든 책의 실행 캐시에서
    .venv/bin/python scripts/timings.py --estimate           # 이 기계에서 책 전체를 만드는 데 걸릴 시간 어림
    .venv/bin/python scripts/timings.py --commands           # 두 명령(book.sh, test.sh)이 잰 시간을 README에

``scripts/book.sh`` 와 ``scripts/test.sh`` 는 끝날 때 걸린 시간을 ``_build/book-time.json``, ``_build/test-time.json``
에 적습니다. ``--commands`` 는 그 기록을 ``timings.json`` 에 옮기고 README의 두 명령 아래 문장을 다시 씁니다. 기록에 ``note``
(예: 다른 작업과 CPU를 나눠 씀)를 손으로 더하면 그 말도 함께 적습니다.

노트북 하나씩, 빈 캐시 폴더로, Colab에서 "모두 실행"을 누른 것처럼 처음부터 끝까지 실행합니다
(풀이 셀은 책을 만들 때처럼 실행: CNNBOOK_SOLUTIONS=1). CPU 코어는 ``--cores`` 개(기본 2)로 묶습니다.
시간은 커널 시작부터 마지막 셀까지의 벽시계 시간, 메모리는 커널 프로세스의 최대 상주 메모리(RSS)입니다.
결과는 ``book/_generated/timings.json`` 에 모드별로 쌓이고, ``book/_generated/timings.md`` 표를 만듭니다
(``book/instructor.md`` 가 이 표를 그대로 포함합니다: 손으로 적은 숫자는 없습니다).
``--estimate`` 는 그 전체 모드 시간을 잰 기계의 천장과 여기서 잰 천장(장들이 쓸 정밀도로)의 비로 환산해
``scripts/book.sh`` 가 빌드 전에 보여 줄 어림값을 찍습니다.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # 설치하지 않은 저장소에서도 cnnbook 을 찾도록
OUT = ROOT / "book" / "_generated"
MODES = {"fast": "빠른 모드", "full": "전체 모드"}


def chapters() -> list[Path]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [ROOT / (c["file"] + ".ipynb") for part in toc.get("parts", []) for c in part.get("chapters", [])]
    return [f for f in files if f.is_file()]


def run_one(path: Path) -> dict:
    """(자식 프로세스 안에서) 노트북 하나를 실행하고 시간과 커널의 최대 메모리를 잽니다."""
    import nbformat
    from nbclient import NotebookClient

    sys.path.insert(0, str(ROOT / "_ext"))  # 책 빌드와 같은 고침: 커널의 답 알림을 놓쳐도 멈추지 않게
    from kernel_channels import patch_async_channel

    patch_async_channel()
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    error = None
    try:
        NotebookClient(nb, timeout=3600, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute(env=dict(os.environ))
    except Exception as exc:  # 실패한 노트북도 표에 "실패"로 남깁니다
        error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}"
    seconds = time.perf_counter() - start
    # 끝난 자식(커널)의 최대 RSS (운영 체제마다 단위가 달라 cnnbook.machine 이 바이트로 바꿈; 윈도에서는 None)
    from cnnbook.machine import peak_memory_bytes

    peak = peak_memory_bytes(children=True)
    return {"seconds": round(seconds, 1), "peak_mib": None if peak is None else round(peak / 1024**2), "error": error}


def measure(path: Path, mode: str, cores: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="cnnbook-timing-") as cache:
        env = {k: v for k, v in os.environ.items() if k != "CNNBOOK_FAST"}
        env.update(CNNBOOK_CACHE=cache, CNNBOOK_SOLUTIONS="1")
        if mode == "fast":
            env["CNNBOOK_FAST"] = "1"
        if not env.get("CNNBOOK_DATA") and (ROOT.parent / "shared" / "data").is_dir():
            env["CNNBOOK_DATA"] = str(ROOT.parent / "shared" / "data")
        command = [sys.executable, __file__, "--run-one", str(path), "--cores", str(cores)]
        out = subprocess.run(command, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        return {"seconds": None, "peak_mib": None, "error": out.stderr.strip().splitlines()[-1:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def ceilings() -> dict:
    """이 기계에서 장들이 쓸 장치와 정밀도, fp32 천장과 그 정밀도의 천장 (GFLOP/s)."""
    from cnnbook import device
    from cnnbook.machine import matmul_gflops

    choice = device.choose_precision()
    fp32 = matmul_gflops(device="/GPU:0" if choice.is_gpu else "/CPU:0")
    at_precision = fp32 if choice.policy == "float32" else device.ceiling_gflops(choice)
    return {"device": choice.device_name, "is_gpu": choice.is_gpu, "precision": choice.policy,
            "gflops": round(fp32, 0), "gflops_precision": round(at_precision, 0)}


def machine(cores: int) -> dict:
    try:
        import tensorflow as tf

        tf_version = tf.__version__
    except ImportError:
        tf_version = "-"
    found = ceilings()
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": cores,
        "cpu": platform.processor() or platform.machine(),
        "gflops": found["gflops"],  # fp32 행렬 곱 천장
        "device": found["device"],
        "precision": found["precision"],  # 정밀도를 장치에 맞춰 고르는 장(4.3)이 쓴 정책
        "gflops_precision": found["gflops_precision"],  # 그 정책의 자료형으로 잰 천장
        "tensorflow": tf_version,
        "python": platform.python_version(),
    }


KERNEL_LOG = ROOT / "_build" / "kernel-memory.json"  # scripts/kernel_memory.py 가 책을 만드는 동안 적는 기록


def kernel_peak_mib(start: float, end: float, kernels: list[dict]) -> int | None:
    """[start, end] (유닉스 시각) 동안 가장 오래 떠 있던 커널의 최대 상주 메모리(MiB). 겹치는 커널이 없으면 None."""
    best, overlap = None, 0.0
    for kernel in kernels:
        shared = min(end, kernel["end"]) - max(start, kernel["start"])
        if shared > overlap:
            best, overlap = kernel, shared
    # 노트북 실행 시간의 절반 넘게 겹쳐야 그 노트북의 커널로 봅니다
    if best is None or overlap < 0.5 * max(end - start, 1.0):
        return None
    return round(best["peak_kib"] / 1024)


def from_book_cache(kernel_log: Path = KERNEL_LOG) -> dict:
    """``scripts/book.sh`` (전체 모드)가 노트북마다 잰 실행 시간을 jupyter-cache 기록에서 읽습니다.

    최대 메모리는 book.sh 가 함께 돌린 scripts/kernel_memory.py 의 기록에서, 실행 시각이 겹치는 커널의 값을 씁니다.
    지금 노트북과 내용이 같은 기록만 씁니다.
    """
    import datetime as dt

    import nbformat
    from jupyter_cache import get_cache

    kernels = json.loads(kernel_log.read_text(encoding="utf-8")) if kernel_log.is_file() else []
    cache = get_cache(str(ROOT / "_build" / ".jupyter_cache"))
    found = {}
    for path in chapters():
        try:
            record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:  # 이 노트북의 지금 내용으로 실행한 기록이 없음
            continue
        seconds = (record.data or {}).get("execution_seconds")
        if seconds is None:
            continue
        end = record.created.replace(tzinfo=dt.timezone.utc).timestamp()  # 실행을 마치고 기록한 시각 (UTC)
        found[path.stem] = {"seconds": round(seconds, 1), "peak_mib": kernel_peak_mib(end - seconds, end, kernels),
                            "error": None, "source": "scripts/book.sh 의 실행 캐시", "ended": end}
    return found


def build_date(found: dict) -> str:
    """책 빌드가 마지막 노트북을 실행하고 기록한 시각 (표를 만든 시각이 아니라)."""
    ended = max(entry.pop("ended") for entry in found.values())
    return dt.datetime.fromtimestamp(ended, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def load() -> dict:
    path = OUT / "timings.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def fmt_time(entry: dict | None) -> str:
    if not entry:
        return "아직 재지 않음"
    if entry.get("error") or entry.get("seconds") is None:
        return "실패"
    seconds = entry["seconds"]
    return f"{seconds:.0f}초" if seconds < 90 else f"{seconds / 60:.1f}분"


def fmt_memory(entry: dict | None) -> str:
    if not entry or entry.get("peak_mib") is None:
        return "–"
    return f"{entry['peak_mib'] / 1024:.1f} GiB" if entry["peak_mib"] >= 1024 else f"{entry['peak_mib']} MiB"


def precision_note(info: dict) -> str:
    """기록에 장치와 정밀도가 있으면 ", 장치 CPU (AMX), mixed_bfloat16 행렬 곱 1,234 GFLOP/s" 처럼 덧붙일 글."""
    if not info.get("precision") or info["precision"] == "float32":
        return f", 장치 {info['device']}" if info.get("device") else ""
    return f", 장치 {info['device']}, {info['precision']} 행렬 곱 {info['gflops_precision']:,.0f} GFLOP/s"


def render(data: dict) -> str:
    names = [p.stem for p in chapters()]
    lines = [
        "| 노트북 | 빠른 모드 시간 | 빠른 모드 최대 메모리 | 전체 모드 시간 | 전체 모드 최대 메모리 |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in names:
        fast = data.get("fast", {}).get("notebooks", {}).get(name)
        full = data.get("full", {}).get("notebooks", {}).get(name)
        lines.append(f"| `{name}` | {fmt_time(fast)} | {fmt_memory(fast)} | {fmt_time(full)} | "
                     f"{fmt_memory(full)} |")
    lines.append("")
    for mode, label in MODES.items():
        info = data.get(mode, {}).get("machine")
        if info:
            if info.get("source") == "book":
                lines.append(
                    f"- {label}: {info['date']}에 끝난 `bash scripts/book.sh` 의 책 빌드가 잰 실행 시간과 "
                    f"노트북을 실행한 파이썬 프로세스의 최대 상주 메모리 (CPU 코어 {info['cores']}개, 표를 만들 때 잰 "
                    f"이 기계의 fp32 행렬 곱 {info['gflops']:.0f} GFLOP/s{precision_note(info)}, "
                    f"TensorFlow {info['tensorflow']}, Python {info['python']}; 다른 작업과 CPU를 나눠 썼을 수 있음)."
                )
                continue
            lines.append(
                f"- {label}: {info['date']}에 CPU 코어 {info['cores']}개로 잼 "
                f"(fp32 행렬 곱 {info['gflops']:.0f} GFLOP/s{precision_note(info)}, TensorFlow {info['tensorflow']}, "
                f"Python {info['python']})."
            )
        else:
            lines.append(f"- {label}: 아직 재지 않았습니다 (`python scripts/timings.py --mode {mode}`).")
    lines.append("")
    return "\n".join(lines)


def lectures_table(data: dict, plan: Path = ROOT / "book" / "lectures.yml") -> str:
    """``book/lectures.yml`` 의 강의마다 장, 슬라이드, 잰 시간(빠른 모드, 전체 모드)과 학생이 실행하는 것."""
    import yaml

    lectures = yaml.safe_load(plan.read_text(encoding="utf-8"))["lectures"]
    lines = ["| 강의 | 장 | 슬라이드 | 빠른 모드 | 전체 모드 | 학생이 실행하는 것 |", "|---|---|---|---:|---:|---|"]
    for number, lecture in enumerate(lectures, start=1):
        times = []
        for mode in MODES:
            entries = [data.get(mode, {}).get("notebooks", {}).get(name) for name in lecture["notebooks"]]
            if all(e and e.get("seconds") is not None and not e.get("error") for e in entries):
                times.append(fmt_time({"seconds": sum(e["seconds"] for e in entries)}))
            else:
                times.append("아직 재지 않음")
        decks = ", ".join(f"`{name}`" for name in lecture["notebooks"])
        lines.append(f"| {number} | {lecture['title']} | {decks} | {times[0]} | {times[1]} | {lecture['activity']} |")
    return "\n".join(lines) + "\n\n시간은 위 표와 같은 기록(`scripts/timings.py`)에서 강의의 노트북들을 더한 값입니다.\n"


def uses_device_precision(path: Path) -> bool:
    """노트북이 장치에 맞춰 정밀도를 고르면(``use_precision(`` 이나 ``Machine.measure(`` 를 부르면) 참: 그 장은 그
    정밀도의 천장으로 환산합니다."""
    text = path.read_text(encoding="utf-8")
    return "use_precision(" in text or "Machine.measure(" in text


def cached_notebooks(cache_dir: Path = ROOT / "_build" / ".jupyter_cache") -> set[str]:
    """책의 실행 캐시에 지금 내용 그대로 있는 노트북 (다시 실행하지 않음). 캐시가 없거나 읽지 못하면 빈 집합."""
    if not cache_dir.is_dir():
        return set()
    try:
        import nbformat
        from jupyter_cache import get_cache

        cache = get_cache(str(cache_dir))
        found = set()
        for path in chapters():
            try:
                cache.match_cache_notebook(nbformat.read(path, as_version=4))
                found.add(path.stem)
            except KeyError:
                pass
        return found
    except Exception:  # 캐시를 못 읽으면 모두 다시 실행한다고 봅니다 (어림이 길어질 뿐)
        return set()


def build_estimate(data: dict, here: dict, precision_notebooks: set[str], cached: set[str] = frozenset(),
                   current: list[str] | None = None) -> dict:
    """전체 모드로 책을 만드는 데 이 기계에서 걸릴 시간의 어림.

    ``data``: timings.json 의 내용 (``full`` 의 노트북 시간과 그 기계의 천장). ``here``: :func:`ceilings` 의 결과.
    시간 × 그 기계의 천장 ÷ 여기의 천장. 정밀도를 장치에 맞춰 고르는 노트북은 같은 정책으로 잰 두 천장을 쓰고,
    그 기계의 그 정책 천장이 없거나 정책이 다르면 fp32 천장의 비로 대신하며 ``rough`` 에 적습니다.
    ``current`` 는 지금 목차의 노트북 이름들 (주면 그것만 세고, 시간 기록이 없는 것은 ``unknown`` 에 적음).
    돌려주는 사전: seconds (None이면 어림하지 않음), notebooks (이름 → 초), rough, cached, unknown, reason.
    """
    full = data.get("full", {})
    source, times = full.get("machine"), full.get("notebooks", {})
    if current is not None:
        times = {name: times.get(name, {}) for name in current}
    result = {"seconds": None, "notebooks": {}, "rough": [], "cached": sorted(cached & set(times)), "reason": None,
              "unknown": sorted(name for name, entry in times.items()
                                if name not in cached and (entry.get("seconds") is None or entry.get("error")))}
    if here.get("is_gpu"):
        result["reason"] = ("이 기계는 GPU로 학습합니다. CPU에서 잰 시간을 GPU로 옮길 비율은 없으므로 "
                            "어림하지 않습니다 (대개 훨씬 빠릅니다).")
        return result
    usable = {name: entry["seconds"] for name, entry in times.items()
              if entry.get("seconds") is not None and not entry.get("error")}
    if not source or not source.get("gflops") or not usable:
        result["reason"] = "전체 모드로 잰 노트북 시간이 아직 없어 어림할 수 없습니다 (scripts/timings.py --from-book)."
        return result
    for name, seconds in usable.items():
        if name in cached:
            continue
        ratio = source["gflops"] / here["gflops"]
        if name in precision_notebooks and here["precision"] != "float32":
            if source.get("precision") == here["precision"] and source.get("gflops_precision"):
                ratio = source["gflops_precision"] / here["gflops_precision"]
            else:
                result["rough"].append(name)
        elif name in precision_notebooks and source.get("precision") != "float32":
            result["rough"].append(name)  # 그 기계의 정밀도를 모르거나 bfloat16이었음: 여기(float32)서 더 걸릴 수 있음
        result["notebooks"][name] = seconds * ratio
    result["seconds"] = sum(result["notebooks"].values())
    return result


def estimate_lines(estimate: dict, data: dict, here: dict) -> list[str]:
    """book.sh 가 빌드 전에 찍는 한국어 줄들."""
    from cnnbook.device import format_minutes

    if estimate["seconds"] is None:
        return [f"예상 시간: {estimate['reason']}"]
    source = data["full"]["machine"]
    count = len(estimate["notebooks"])
    lines = [f"예상 시간(어림값): 이 기계에서 노트북 {count}개를 전체 모드로 실행하는 데 "
             f"{format_minutes(estimate['seconds'])} 걸릴 것으로 보입니다 (설치와 슬라이드 만들기는 빼고)."
             if count else "예상 시간: 모든 노트북이 실행 캐시에 있어 다시 실행하지 않습니다."]
    if count:
        there = f"fp32 {source['gflops']:.0f} GFLOP/s"
        if source.get("precision"):
            there += f", {source['precision']} {source['gflops_precision']:.0f} GFLOP/s"
        mine = f"fp32 {here['gflops']:.0f} GFLOP/s"
        if here["precision"] != "float32":
            mine += f", {here['precision']} {here['gflops_precision']:.0f} GFLOP/s"
        lines.append(f"  근거: {source['date']}에 잰 노트북 시간(book/_generated/timings.json, 그 기계의 행렬 곱 천장 "
                     f"{there})을 여기서 잰 천장({here['device']}, {mine})의 비로 환산했습니다.")
    for name in estimate["rough"]:
        lines.append(f"  {name}: 이 장은 장치에 맞춰 정밀도를 고르는데(여기서는 {here['precision']}), 그 기계의 정밀도나 "
                     "그 정밀도의 천장이 기록되지 않았거나 여기와 달라 fp32 천장의 비로 어림했습니다. "
                     "실제로는 크게 다를 수 있습니다.")
    load, cores = here.get("load"), os.cpu_count() or 1
    if count and load is not None and load > 0.5 * cores:
        lines.append(f"  지금 이 기계의 부하(1분 평균 {load:.1f}, CPU {cores}개)가 높아 천장이 낮게 재어졌을 수 있습니다: "
                     "다른 작업이 끝나면 더 빨리 끝납니다.")
    if estimate["unknown"]:
        lines.append(f"  전체 모드 시간이 기록되지 않아 빠진 노트북: {', '.join(estimate['unknown'])}.")
    if estimate["cached"]:
        lines.append(f"  실행 캐시에 있는 노트북 {len(estimate['cached'])}개는 다시 실행하지 않습니다.")
    return lines


def print_estimate() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # 텐서플로의 시작 로그를 줄입니다
    data = load()
    here = ceilings()
    here["load"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None  # 윈도에는 없음
    notebooks = chapters()
    precision_notebooks = {p.stem for p in notebooks if uses_device_precision(p)}
    estimate = build_estimate(data, here, precision_notebooks, cached_notebooks(), [p.stem for p in notebooks])
    print("\n".join(estimate_lines(estimate, data, here)), flush=True)


COMMANDS = {"book": ("bash scripts/book.sh", "주 작업: 설치하고 전체 모드로 책 만들기, 실행 캐시가 빈 상태에서"),
            "test": ("bash scripts/test.sh", "테스트 명령: 설치, 단위 테스트, 두 환경의 노트북, 빠른 모드 책, 브라우저")}
README_BEGIN, README_END = "<!-- durations:begin -->", "<!-- durations:end -->"


def read_command_times(data: dict, build: Path = ROOT / "_build") -> dict:
    """book.sh, test.sh 가 남긴 시간 기록을 ``data["commands"]`` 에 옮깁니다 (기록이 있는 것만)."""
    commands = data.setdefault("commands", {})
    for name in COMMANDS:
        path = build / f"{name}-time.json"
        if path.is_file():
            record = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(record.get("seconds"), (int, float)) and record["seconds"] > 0:
                commands[name] = {k: record[k] for k in ("seconds", "date", "cpu", "cores", "note") if k in record}
    return data


def durations_text(data: dict) -> str:
    """README에 넣을 문장들 (두 명령이 잰 시간)."""
    from cnnbook.device import format_minutes

    lines = []
    for name, (command, what) in COMMANDS.items():
        record = data.get("commands", {}).get(name)
        if not record:
            lines.append(f"- `{command}` ({what}): 아직 잰 기록이 없습니다.")
            continue
        where = f"{record.get('cpu', 'CPU')}, 코어 {record.get('cores', '?')}개"
        note = f"; {record['note']}" if record.get("note") else ""
        lines.append(f"- `{command}` ({what}): {format_minutes(record['seconds'])} ({record['date']}, {where}{note})")
    return ("이 저장소의 두 명령이 2코어 기계에서 걸린 시간입니다(명령이 끝날 때 스스로 재어 남긴 기록을 "
            "`scripts/timings.py --commands`가 옮겨 적음). 행렬 곱이 느린 기계에서는 더 걸립니다.\n\n" + "\n".join(lines))


def write_readme(data: dict, readme: Path = ROOT / "README.md") -> None:
    text = readme.read_text(encoding="utf-8")
    begin, end = text.index(README_BEGIN) + len(README_BEGIN), text.index(README_END)
    readme.write_text(text[:begin] + "\n" + durations_text(data) + "\n" + text[end:], encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description="노트북 실행 시간과 최대 메모리")
    parser.add_argument("--mode", choices=MODES)
    parser.add_argument("--render", action="store_true", help="재지 않고 표만 다시 만들기")
    parser.add_argument("--from-book", action="store_true",
                        help="전체 모드 시간을 책 빌드(scripts/book.sh)의 실행 캐시에서 가져오기")
    parser.add_argument("--estimate", action="store_true",
                        help="이 기계에서 책 전체(전체 모드)를 만드는 데 걸릴 시간을 어림해 찍기")
    parser.add_argument("--commands", action="store_true",
                        help="book.sh, test.sh 가 남긴 시간 기록을 timings.json 과 README 에 옮기기")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--run-one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("notebooks", nargs="*", type=Path, help="일부만 잴 때 (기본: 목차의 모든 장)")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        available = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, available[: args.cores])  # 커널도 이 코어만 씁니다
    if args.run_one:
        print(json.dumps(run_one(args.run_one.resolve())))
        return 0
    if args.estimate:
        print_estimate()
        return 0

    data = load()
    if args.commands:
        write_readme(read_command_times(data))
        (OUT / "timings.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print("README.md 의 두 명령 시간을 다시 썼습니다.")
        return 0
    if args.mode:
        entry = data.setdefault(args.mode, {})
        entry["machine"] = machine(args.cores)
        results = entry.setdefault("notebooks", {})
        for path in [p.resolve() for p in args.notebooks] or chapters():
            print(f"{MODES[args.mode]}: {path.name} …", flush=True)
            results[path.stem] = measure(path, args.mode, args.cores)
            result = results[path.stem]
            error = f" ({result['error']})" if result.get("error") else ""
            print(f"  {fmt_time(result)}, {fmt_memory(result)}{error}", flush=True)
    elif args.from_book:
        found = from_book_cache()
        if not found:
            parser.error("책의 실행 캐시에 지금 노트북과 맞는 기록이 없습니다. 먼저 bash scripts/book.sh 를 실행하세요.")
        info = dict(machine(os.cpu_count() or args.cores), source="book", date=build_date(found))
        data["full"] = {"machine": info, "notebooks": found}
    elif not args.render:
        parser.error("--mode fast|full, --from-book 또는 --render 를 주세요")
    OUT.mkdir(parents=True, exist_ok=True)
    if args.mode or args.from_book:
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        (OUT / "timings.json").write_text(text, encoding="utf-8")
    (OUT / "timings.md").write_text(render(data), encoding="utf-8")
    (OUT / "lectures.md").write_text(lectures_table(data), encoding="utf-8")
    print(f"표: {OUT / 'timings.md'}, {OUT / 'lectures.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
