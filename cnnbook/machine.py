"""이 기계의 속도와 CPU 기능: 행렬 곱 천장, 기준 기계로의 시간 환산, bfloat16 명령 여부.

모든 장과 벤치마크가 이 모듈 하나를 씁니다. 텐서플로는 함수 안에서만 불러옵니다.
"""
from __future__ import annotations

import time
from pathlib import Path

REFERENCE_GFLOPS = 300.0  # 책의 시간 기준: 2코어 fp32 행렬 곱 천장이 약 300 GFLOP/s인 기계
BF16_FLAGS = ("amx_bf16", "avx512_bf16")


def matmul_gflops(size: int = 2048, repeats: int = 5) -> float:
    """``size``×``size`` fp32 행렬 곱의 최고 GFLOP/s (이 기계의 천장, 가장 빠른 회를 씁니다)."""
    import tensorflow as tf

    a = tf.random.normal([size, size])
    b = tf.random.normal([size, size])
    tf.matmul(a, b).numpy()  # 준비 운동
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        tf.matmul(a, b).numpy()
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
