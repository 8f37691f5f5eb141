"""이 기계의 속도와 CPU 기능: 행렬 곱 천장, 기준 기계로의 시간 환산, bfloat16 명령 여부.

모든 장과 벤치마크가 이 모듈 하나를 씁니다. 텐서플로는 함수 안에서만 불러옵니다.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

REFERENCE_GFLOPS = 300.0  # 책의 시간 기준: 2코어 fp32 행렬 곱 천장이 약 300 GFLOP/s인 기계
BF16_FLAGS = ("amx_bf16", "avx512_bf16")


def matmul_gflops(size: int = 2048, repeats: int = 5, dtype: str = "float32", device: str | None = None) -> float:
    """``size``×``size`` 행렬 곱(``dtype``)의 최고 GFLOP/s (이 기계의 천장, 가장 빠른 회를 씁니다).

    ``device`` (예: ``"/GPU:0"``)를 주면 그 장치에서 잽니다. 결과 한 칸만 읽어 곱셈이 끝나기를 기다리므로
    GPU에서도 결과 전체를 옮기는 시간이 섞이지 않습니다.
    """
    import contextlib

    import tensorflow as tf

    with tf.device(device) if device else contextlib.nullcontext():
        a = tf.cast(tf.random.normal([size, size]), dtype)
        b = tf.cast(tf.random.normal([size, size]), dtype)
        tf.matmul(a, b)[:1, :1].numpy()  # 준비 운동
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            tf.matmul(a, b)[:1, :1].numpy()
            best = min(best, time.perf_counter() - start)
    return 2 * size**3 / best / 1e9


def scaled_seconds(seconds: float, gflops: float) -> float:
    """이 기계에서 잰 시간을 천장 300 GFLOP/s 기준 기계의 시간으로 환산합니다."""
    return seconds * gflops / REFERENCE_GFLOPS


def cpu_flags(path: str = "/proc/cpuinfo") -> set[str]:
    """CPU 기능 이름들 (리눅스가 아니거나 읽을 수 없으면 빈 집합)."""
    try:
        text = Path(path).read_text()
    except OSError:
        return set()
    flags: set[str] = set()
    for line in text.splitlines():
        if line.startswith("flags"):
            flags.update(line.split(":", 1)[1].split())
    return flags


def has_native_bf16(flags: set[str] | None = None) -> bool:
    """CPU가 bfloat16 연산을 직접 하면(AMX 또는 AVX512_BF16) 참."""
    flags = cpu_flags() if flags is None else flags
    return any(flag in flags for flag in BF16_FLAGS)


def peak_memory_bytes(children: bool = False) -> int | None:
    """이 프로세스(``children=True`` 이면 끝난 자식 프로세스들 중 가장 큰 것)의 최대 상주 메모리(바이트).

    리눅스의 ``ru_maxrss`` 는 KiB, macOS는 바이트입니다. 윈도에는 ``resource`` 모듈이 없으므로 psutil이나
    Win32 ``GetProcessMemoryInfo`` 로 읽습니다 (자식 프로세스 값은 없음). 알 수 없으면 None.
    """
    if sys.platform == "win32":
        return None if children else _windows_peak_bytes()
    try:
        import resource  # 유닉스에만 있습니다
    except ImportError:
        return None
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    value = int(resource.getrusage(who).ru_maxrss)
    return value if sys.platform == "darwin" else value * 1024


def _windows_peak_bytes() -> int | None:
    try:
        import psutil
    except ImportError:
        return _windows_ctypes_peak()
    peak = getattr(psutil.Process().memory_info(), "peak_wset", None)
    return int(peak) if peak is not None else _windows_ctypes_peak()


def _windows_ctypes_peak() -> int | None:
    """psutil이 없을 때: psapi의 GetProcessMemoryInfo로 PeakWorkingSetSize를 읽습니다."""
    try:
        import ctypes
        from ctypes import wintypes

        class Counters(ctypes.Structure):
            _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD)] + [
                (name, ctypes.c_size_t) for name in (
                    "PeakWorkingSetSize", "WorkingSetSize", "QuotaPeakPagedPoolUsage", "QuotaPagedPoolUsage",
                    "QuotaPeakNonPagedPoolUsage", "QuotaNonPagedPoolUsage", "PagefileUsage", "PeakPagefileUsage")
            ]

        counters = Counters()
        counters.cb = ctypes.sizeof(Counters)
        process = ctypes.windll.kernel32.GetCurrentProcess()
        if not ctypes.windll.psapi.GetProcessMemoryInfo(process, ctypes.byref(counters), counters.cb):
            return None
        return int(counters.PeakWorkingSetSize)
    except (AttributeError, OSError, ValueError):  # 윈도가 아니거나 psapi를 부를 수 없음
        return None
