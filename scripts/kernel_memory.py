"""책을 만드는 동안 노트북 커널(ipykernel)의 최대 메모리를 기록합니다 (scripts/book.sh 가 뒤에서 돌림).

jupyter-book 은 노트북마다 새 커널을 띄워 실행합니다. 이 스크립트는 0.5초마다 커널 프로세스를 찾아 리눅스가
세는 최대 상주 메모리(/proc/<pid>/status 의 VmHWM)와 처음·마지막으로 본 시각을 적습니다.
``scripts/timings.py --from-book`` 이 실행 캐시의 노트북별 실행 시각과 맞춰 노트북마다의 최대 메모리를 찾습니다.

    python scripts/kernel_memory.py _build/kernel-memory.json &   # 멈출 때까지(SIGTERM) 기록
"""
from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path


def kernels() -> dict[int, int]:
    """지금 떠 있는 ipykernel 프로세스 → 최대 상주 메모리(KiB)."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if b"ipykernel" not in (proc / "cmdline").read_bytes():
                continue
            status = (proc / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                found[int(proc.name)] = int(line.split()[1])
    return found


def save(out: Path, earlier: list, seen: dict) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(earlier + sorted(seen.values(), key=lambda e: e["start"]), indent=1))


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "_build/kernel-memory.json")
    # 캐시 덕에 다시 실행하지 않은 노트북의 예전 기록도 남겨 둡니다 (새 기록은 뒤에 덧붙임)
    try:
        earlier = json.loads(out.read_text())
    except (OSError, ValueError):
        earlier = []
    seen: dict[int, dict] = {}
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    last_write = 0.0
    while running:
        now = time.time()
        for pid, hwm in kernels().items():
            entry = seen.setdefault(pid, {"pid": pid, "start": now, "end": now, "peak_kib": 0})
            entry["end"], entry["peak_kib"] = now, max(entry["peak_kib"], hwm)
        if now - last_write > 5 or not running:
            save(out, earlier, seen)
            last_write = now
        time.sleep(0.5)
    save(out, earlier, seen)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
