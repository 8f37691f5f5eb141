"""cnnbook.device: 장치와 정밀도 고르기, 그 정밀도로 잰 천장, 기준 기계 환산 (GPU는 흉내 낸 장치로)."""
from __future__ import annotations

import pytest

tf = pytest.importorskip("tensorflow")

from cnnbook import BookError, device, machine  # noqa: E402

T4 = ("Tesla T4", (7, 5))
V100 = ("Tesla V100-SXM2-16GB", (7, 0))
A100 = ("NVIDIA A100-SXM4-40GB", (8, 0))
L4 = ("NVIDIA L4", (8, 9))
P100 = ("Tesla P100-PCIE-16GB", (6, 0))


@pytest.fixture(autouse=True)
def float32_after():
    yield
    tf.keras.mixed_precision.set_global_policy("float32")


@pytest.mark.parametrize("gpu, policy, name", [
    (T4, "mixed_float16", "Tesla T4 (연산 능력 7.5)"),
    (V100, "mixed_float16", "Tesla V100-SXM2-16GB (연산 능력 7.0)"),
    (A100, "mixed_bfloat16", "NVIDIA A100-SXM4-40GB (연산 능력 8.0)"),
    (L4, "mixed_bfloat16", "NVIDIA L4 (연산 능력 8.9)"),
    (P100, "float32", "Tesla P100-PCIE-16GB (연산 능력 6.0)"),
])
def test_gpu_branches(gpu, policy, name):
    # GPU가 있으면 CPU 기능(여기서는 AMX)과 상관없이 GPU가 학습합니다
    choice = device.choose_precision(gpus=[gpu], flags={"amx_bf16"})
    assert (choice.device, choice.device_name, choice.policy) == ("GPU", name, policy)
    assert choice.is_gpu and policy in choice.reason and "연산 능력" in choice.reason


def test_t4_reason_says_why_not_bfloat16():
    reason = device.choose_precision(gpus=[T4]).reason
    assert "bfloat16은 빠르지 않아" in reason and "손실 스케일링" in reason


def test_gpu_without_capability_trains_in_float32():
    choice = device.choose_precision(gpus=[("Apple M2 (Metal)", None)])
    assert choice.is_gpu and choice.policy == "float32" and "알 수 없어" in choice.reason


def test_first_gpu_trains():
    assert device.choose_precision(gpus=[P100, A100]).policy == "float32"


@pytest.mark.parametrize("flags, policy, name, word", [
    ({"avx2", "avx512f", "amx_bf16", "amx_tile"}, "mixed_bfloat16", "CPU (AMX)", "AMX"),
    ({"avx2", "avx512f", "avx512_bf16"}, "mixed_bfloat16", "CPU (AVX512_BF16)", "AVX512_BF16"),
    ({"avx2", "fma"}, "float32", "CPU", "bfloat16 명령(AMX, AVX512_BF16)이 없어"),
    (set(), "float32", "CPU", "읽을 수 없어"),
])
def test_cpu_branches(flags, policy, name, word):
    choice = device.choose_precision(gpus=[], flags=flags)
    assert (choice.device, choice.device_name, choice.policy) == ("CPU", name, policy)
    assert not choice.is_gpu and word in choice.reason and "GPU가 없고" in choice.reason


def fake_gpu_config(monkeypatch, gpus):
    """tf.config가 주어진 GPU들을 보는 것처럼 흉내 냅니다."""
    devices = [tf.config.PhysicalDevice(name=f"/physical_device:GPU:{i}", device_type="GPU") for i in range(len(gpus))]
    details = {d.name: {"device_name": n, "compute_capability": c} for d, (n, c) in zip(devices, gpus)}
    monkeypatch.setattr(tf.config, "list_physical_devices",
                        lambda kind=None: devices if kind == "GPU" else [])
    monkeypatch.setattr(tf.config.experimental, "get_device_details", lambda d: details[d.name])


def test_detects_gpus_through_tf_config(monkeypatch):
    fake_gpu_config(monkeypatch, [T4])
    assert device.detect_gpus() == [T4]
    choice = device.choose_precision()
    assert choice.device_name == "Tesla T4 (연산 능력 7.5)" and choice.policy == "mixed_float16"


def test_no_gpu_reads_cpu_flags(monkeypatch):
    fake_gpu_config(monkeypatch, [])
    monkeypatch.setattr(machine, "cpu_flags", lambda: {"avx2", "avx512_bf16"})
    assert device.choose_precision().device_name == "CPU (AVX512_BF16)"
    monkeypatch.setattr(machine, "cpu_flags", lambda: {"avx2"})
    assert device.choose_precision().policy == "float32"


def test_use_precision_sets_policy_and_says_why(capsys):
    choice = device.use_precision(device.choose_precision(gpus=[T4]))
    assert tf.keras.mixed_precision.global_policy().name == "mixed_float16"
    out = capsys.readouterr().out
    assert out.strip() == f"장치: Tesla T4 (연산 능력 7.5), 정밀도: mixed_float16 — {choice.reason}"
    device.use_precision(device.choose_precision(gpus=[], flags={"avx2"}), verbose=False)
    assert tf.keras.mixed_precision.global_policy().name == "float32" and capsys.readouterr().out == ""


def test_use_precision_rejects_unknown_policy():
    with pytest.raises(BookError, match="정밀도 정책"):
        device.use_precision(device.Precision("CPU", "CPU", "float8", "?"), verbose=False)


def test_cifar_use_precision_delegates(monkeypatch, capsys):
    from cnnbook import cifar

    monkeypatch.setattr(device, "choose_precision", lambda: device._gpu_precision(*A100))
    assert cifar.use_precision() == "mixed_bfloat16"
    assert tf.keras.mixed_precision.global_policy().name == "mixed_bfloat16"
    assert "NVIDIA A100-SXM4-40GB (연산 능력 8.0)" in capsys.readouterr().out
    assert cifar.use_precision(False, verbose=False) == "float32"


@pytest.mark.parametrize("gpus, flags, dtype, where", [
    ([T4], set(), "float16", "/GPU:0"),
    ([A100], set(), "bfloat16", "/GPU:0"),
    ([P100], set(), "float32", "/GPU:0"),
    ([], {"amx_bf16"}, "bfloat16", "/CPU:0"),
    ([], {"avx512_bf16"}, "bfloat16", "/CPU:0"),
    ([], {"avx2"}, "float32", "/CPU:0"),
])
def test_ceiling_is_measured_on_the_training_device_and_dtype(monkeypatch, gpus, flags, dtype, where):
    calls = []
    monkeypatch.setattr(machine, "matmul_gflops", lambda **kw: calls.append(kw) or 123.0)
    assert device.ceiling_gflops(device.choose_precision(gpus=gpus, flags=flags), size=64, repeats=1) == 123.0
    assert calls == [{"size": 64, "repeats": 1, "dtype": dtype, "device": where}]


def test_real_ceiling_multiplies_in_bfloat16(monkeypatch):
    """실제 행렬 곱이 정책의 자료형(bfloat16)으로 일어나는지 tf.matmul을 엿보아 확인합니다."""
    seen = []
    real_matmul = tf.matmul

    def spy(a, b, *args, **kwargs):
        seen.append((a.dtype.name, b.dtype.name))
        return real_matmul(a, b, *args, **kwargs)

    monkeypatch.setattr(tf, "matmul", spy)
    bf16 = device.choose_precision(gpus=[], flags={"avx512_bf16"})
    assert device.ceiling_gflops(bf16, size=64, repeats=2) > 0
    assert seen and set(seen) == {("bfloat16", "bfloat16")}
    seen.clear()
    assert device.ceiling_gflops(device.choose_precision(gpus=[], flags=set()), size=64, repeats=1) > 0
    assert set(seen) == {("float32", "float32")}


@pytest.mark.parametrize("gpu", [T4, V100, A100, L4, P100, ("Apple M2 (Metal)", None)])
def test_gpu_times_are_never_scaled(gpu):
    assert device.reference_seconds(100.0, 20_000.0, device.choose_precision(gpus=[gpu])) is None


def test_cpu_float32_scales_to_the_reference_ceiling():
    choice = device.choose_precision(gpus=[], flags={"avx2"})
    assert device.reference_seconds(100.0, 150.0, choice) == pytest.approx(50.0)
    assert device.reference_seconds(100.0, device.REFERENCE_CEILINGS["float32"], choice) == pytest.approx(100.0)


def test_bfloat16_scales_only_against_the_same_engine(monkeypatch):
    amx = device.choose_precision(gpus=[], flags={"amx_bf16"})
    avx = device.choose_precision(gpus=[], flags={"avx512_bf16"})
    # 기준 기계의 bfloat16 천장이 기록되지 않았으면 환산하지 않습니다
    monkeypatch.setitem(device.REFERENCE_CEILINGS, "mixed_bfloat16", None)
    assert device.reference_seconds(100.0, 1000.0, amx) is None
    monkeypatch.setitem(device.REFERENCE_CEILINGS, "mixed_bfloat16", 2000.0)
    assert device.reference_seconds(100.0, 1000.0, amx) == pytest.approx(50.0)
    # AVX512_BF16은 기준 기계(AMX)와 엔진이 달라 천장의 비가 학습 시간의 비가 아닙니다
    assert device.reference_seconds(100.0, 1000.0, avx) is None


def test_reference_seconds_rejects_bad_input():
    choice = device.choose_precision(gpus=[], flags=set())
    with pytest.raises(BookError):
        device.reference_seconds(10.0, 0.0, choice)
    with pytest.raises(BookError):
        device.reference_seconds(-1.0, 100.0, choice)


@pytest.mark.parametrize("seconds, text", [
    (0.2, "약 1초"), (7.4, "약 7초"), (37, "약 40초"), (55, "약 1분"), (61, "약 1분"), (150, "약 3분"),
    (719, "약 12분"), (3599, "약 1시간"), (4200, "약 1시간 10분"), (7260, "약 2시간 1분"),
])
def test_format_minutes(seconds, text):
    assert device.format_minutes(seconds) == text


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf"), "10"])
def test_format_minutes_rejects_bad_input(bad):
    with pytest.raises(BookError, match="시간"):
        device.format_minutes(bad)
