"""학습할 장치와 정밀도: 무엇이 학습하는지 보고 정하고, 그 장치와 그 정밀도로 속도 천장을 잽니다.

- GPU: 연산 능력(compute capability) 8.0 이상(A100, L4)은 ``mixed_bfloat16``, 7.x(T4, V100)는 ``mixed_float16``,
  그보다 오래된 GPU는 ``float32``.
- CPU: bfloat16 명령(AMX 또는 AVX512_BF16)이 있으면 ``mixed_bfloat16``, 없으면 ``float32``.

시간을 기준 기계로 환산하는 일은 CPU에서만 합니다. GPU 시간은 잰 그대로 적고 "환산"이라 부르지 않습니다.
텐서플로는 함수 안에서만 불러옵니다.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from cnnbook.errors import require
from cnnbook import machine

POLICIES = ("mixed_float16", "mixed_bfloat16", "float32")
COMPUTE_DTYPE = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16", "float32": "float32"}

# 기준 기계(책을 만든 2코어 AMX 제온)의 행렬 곱 천장, 정밀도마다. 환산은 "잰 시간 × 이 기계의 천장 ÷ 기준 천장"이며
# 두 천장은 같은 정밀도로 잰 값이어야 뜻이 있습니다.
# - float32: 300 GFLOP/s (그 기계에서 잰 값). CPU의 fp32 행렬 곱과 합성곱은 같은 FMA 장치를 쓰므로 비례가 대략 맞습니다.
# - mixed_bfloat16: 기준 기계는 bfloat16을 AMX 타일로 곱하고, 그 행렬 곱 천장은 fp32의 몇 배나 되지만 CNN 학습은
#   3.1배만 빨라집니다(배치 정규화, 활성화, 데이터 이동은 벡터 속도). AVX512_BF16만 있는 CPU(AMD EPYC Zen 4)는 행렬 곱이
#   fp32의 약 2배, 학습이 1.67배입니다. 그래서 엔진이 다른 두 CPU 사이에서는 bfloat16 천장의 비가 학습 시간의 비를
#   말해 주지 않습니다: bfloat16 시간은 기준 기계와 같은 엔진(AMX)일 때만, 그리고 기준 기계의 bfloat16 천장을
#   ``ceiling_gflops()`` 로 잰 값이 여기에 있을 때만 환산합니다. 아직 재지 않았으므로 None (환산하지 않음).
REFERENCE_CEILINGS: dict[str, float | None] = {"float32": machine.REFERENCE_GFLOPS, "mixed_bfloat16": None}


@dataclass(frozen=True)
class Precision:
    device: str  # "GPU" 또는 "CPU"
    device_name: str  # "Tesla T4 (연산 능력 7.5)", "CPU (AMX)", "CPU (AVX512_BF16)", "CPU"
    policy: str  # "mixed_float16" | "mixed_bfloat16" | "float32"
    reason: str  # 왜 이 정밀도인지 한국어 한 문장

    @property
    def is_gpu(self) -> bool:
        return self.device == "GPU"

    @property
    def compute_dtype(self) -> str:
        """이 정책이 계산하는 자료형: ``float16``, ``bfloat16``, ``float32``."""
        return COMPUTE_DTYPE[self.policy]

    def korean(self) -> str:
        return f"장치: {self.device_name}, 정밀도: {self.policy} — {self.reason}"


def detect_gpus() -> list[tuple[str, tuple[int, int] | None]]:
    """텐서플로가 보는 GPU들의 (이름, 연산 능력). 연산 능력을 알 수 없으면(예: macOS의 Metal) None."""
    import tensorflow as tf

    found = []
    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            details = tf.config.experimental.get_device_details(gpu)
        except (ValueError, RuntimeError, AttributeError):
            details = {}
        capability = details.get("compute_capability")
        found.append((details.get("device_name", gpu.name), tuple(capability) if capability else None))
    return found


def _gpu_precision(name: str, capability: tuple[int, int] | None) -> Precision:
    if capability is None:
        return Precision("GPU", name, "float32", "GPU의 연산 능력을 알 수 없어 float32로 학습합니다.")
    major, minor = capability
    label = f"{name} (연산 능력 {major}.{minor})"
    if (major, minor) >= (8, 0):
        return Precision("GPU", label, "mixed_bfloat16",
                         f"연산 능력 {major}.{minor}인 GPU는 bfloat16 텐서 코어가 float16만큼 빠르고, bfloat16은 손실 "
                         "스케일링이 필요 없어 mixed_bfloat16을 씁니다.")
    if major == 7:
        return Precision("GPU", label, "mixed_float16",
                         f"연산 능력 {major}.{minor}인 GPU는 float16 텐서 코어가 빠르고 bfloat16은 빠르지 않아 "
                         "mixed_float16을 씁니다 (손실 스케일링은 케라스의 fit이 자동으로 합니다).")
    return Precision("GPU", label, "float32",
                     f"연산 능력 {major}.{minor}인 GPU에는 16비트 텐서 코어가 없어 float32로 학습합니다.")


def _cpu_precision(flags: set[str]) -> Precision:
    if "amx_bf16" in flags:
        return Precision("CPU", "CPU (AMX)", "mixed_bfloat16",
                         "GPU가 없고, CPU가 AMX로 bfloat16 행렬 곱을 하므로 mixed_bfloat16을 씁니다.")
    if "avx512_bf16" in flags:
        return Precision("CPU", "CPU (AVX512_BF16)", "mixed_bfloat16",
                         "GPU가 없고, CPU가 AVX512_BF16 명령으로 bfloat16을 계산하므로 mixed_bfloat16을 씁니다.")
    if not flags:
        return Precision("CPU", "CPU", "float32",
                         "GPU가 없고, 이 운영 체제에서는 CPU의 bfloat16 명령 여부를 읽을 수 없어 float32로 학습합니다.")
    return Precision("CPU", "CPU", "float32",
                     "GPU가 없고, CPU에 bfloat16 명령(AMX, AVX512_BF16)이 없어 float32로 학습합니다.")


def choose_precision(gpus=None, flags=None) -> Precision:
    """학습할 장치와 정밀도를 고릅니다 (부작용 없음).

    ``gpus``: ``(이름, (major, minor))`` 의 목록 (빈 목록이면 GPU 없음, None이면 텐서플로로 찾음).
    ``flags``: CPU 기능 이름의 집합 (None이면 /proc/cpuinfo에서 읽음). GPU가 있으면 첫 GPU가 학습합니다.
    """
    gpus = detect_gpus() if gpus is None else list(gpus)
    if gpus:
        name, capability = gpus[0]
        return _gpu_precision(str(name), tuple(capability) if capability else None)
    return _cpu_precision(set(machine.cpu_flags() if flags is None else flags))


def use_precision(choice: Precision | None = None, verbose: bool = True) -> Precision:
    """케라스의 전역 정밀도 정책을 정하고, 어느 장치와 정밀도로 왜 학습하는지 한 줄로 알립니다."""
    import tensorflow as tf

    choice = choose_precision() if choice is None else choice
    require(choice.policy in POLICIES, f"알 수 없는 정밀도 정책입니다: {choice.policy!r}")
    tf.keras.mixed_precision.set_global_policy(choice.policy)
    if verbose:
        print(choice.korean())
    return choice


def ceiling_gflops(choice: Precision | None = None, size: int = 2048, repeats: int = 5) -> float:
    """학습할 장치에서, 정책이 계산하는 자료형으로 잰 행렬 곱 천장(GFLOP/s)."""
    choice = choose_precision() if choice is None else choice
    device = "/GPU:0" if choice.is_gpu else "/CPU:0"
    return machine.matmul_gflops(size=size, repeats=repeats, dtype=choice.compute_dtype, device=device)


def reference_ceiling(choice: Precision) -> float | None:
    """이 선택의 시간을 환산할 기준 기계의 천장. 환산에 뜻이 없으면 None (GPU, AMX가 아닌 bfloat16 등)."""
    if choice.is_gpu:
        return None
    if choice.policy == "mixed_bfloat16" and choice.device_name != "CPU (AMX)":
        return None  # 기준 기계와 다른 bfloat16 엔진: 천장의 비가 학습 시간의 비를 말해 주지 않음
    return REFERENCE_CEILINGS.get(choice.policy)


def reference_seconds(seconds: float, gflops: float, choice: Precision) -> float | None:
    """CPU에서 잰 시간을 기준 기계(같은 정밀도)의 시간으로 환산합니다. GPU 등 뜻이 없으면 None."""
    require(seconds >= 0 and gflops > 0, f"시간과 천장은 양수여야 합니다. 받은 값: {seconds}, {gflops}")
    reference = reference_ceiling(choice)
    return None if reference is None else seconds * gflops / reference


def format_minutes(seconds: float) -> str:
    """사람이 읽는 대략의 시간: "약 40초", "약 12분", "약 1시간 10분"."""
    require(isinstance(seconds, (int, float)) and math.isfinite(seconds) and seconds >= 0,
            f"시간은 0 이상의 수여야 합니다. 받은 값: {seconds!r}")
    def half_up(x: float) -> int:
        return int(math.floor(x + 0.5))

    if seconds < 59.5:
        rounded = half_up(seconds) if seconds < 10 else 10 * half_up(seconds / 10)
        if rounded < 60:
            return f"약 {max(1, rounded)}초"
    minutes = max(1, half_up(seconds / 60))
    if minutes < 60:
        return f"약 {minutes}분"
    hours, rest = divmod(minutes, 60)
    return f"약 {hours}시간" + (f" {rest}분" if rest else "")
