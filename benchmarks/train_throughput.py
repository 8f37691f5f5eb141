"""4.2.4–4.2.5절 MNIST 합성곱 신경망의 학습 처리량 벤치마크 (손으로 실행, 테스트 아님).

모델, 학습 단계, 데이터 파이프라인은 모두 노트북에서 내보낸 ``cnnbook.mnist_lessons`` 에서 가져오고,
FLOP 수는 케라스 쌍둥이 모델의 계층 표(``cnnbook.mnist_model.layer_table``)에서 계산합니다.

두 방법을 똑같은 방식으로 잽니다.
- 트레이싱(그래프 만들기)은 타이머 밖에서 미리 끝냅니다.
- 타이머 안: 데이터셋에서 새 반복자를 만들고(섞기 버퍼 10,000장 채우기 포함) ``steps`` 단계를 학습합니다.
  저수준 반복은 ``for x, y in dataset.take(steps)`` 로, 케라스는 ``fit(dataset, steps_per_epoch=steps)`` 로.
- 저수준 반복은 노트북의 진행 막대처럼 단계마다 손실과 정확도를 파이썬 수로 읽습니다.
- 같은 측정을 ``--repeats`` 번 되풀이해 중앙값과 범위(최소–최대)를 남깁니다.

결과는 ``benchmarks/results.json`` 에 설정별로 저장하고(같은 설정은 덮어씀), 표는
``python benchmarks/report.py`` 가 그 파일에서 만들어 ``benchmarks/README.md`` 와 ``README.md`` 에 씁니다.

    python benchmarks/train_throughput.py                          # 미니배치 50·128·256, XLA 끔/켬
    python benchmarks/train_throughput.py --batch-sizes 128 --jit off --repeats 3 --images 2000  # 짧게
    TF_ENABLE_ONEDNN_OPTS=0 python benchmarks/train_throughput.py --jit off   # oneDNN 끄고
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import cnnbook  # noqa: E402
from cnnbook import machine, mnist_lessons as lessons  # noqa: E402
from cnnbook.machine import matmul_gflops  # noqa: E402
from cnnbook.mnist_model import layer_table, train_flops  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.json"


def load_average() -> list[float] | None:
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return None


def cpu_flags() -> list[str]:
    flags = machine.cpu_flags()
    return sorted(f for f in flags if f in {"avx2", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16"})


def load_data():
    try:
        (x_train, y_train), _ = cnnbook.load_mnist()
        source = "MNIST"
    except cnnbook.BookError:  # 데이터가 없으면 같은 모양의 난수로 (속도는 데이터 값과 무관)
        rng = np.random.default_rng(0)
        x_train = rng.integers(0, 256, (60000, 28, 28), dtype=np.uint8)
        y_train = rng.integers(0, 10, 60000).astype(np.uint8)
        source = "난수 (MNIST 없음)"
    return lessons.prepare_images(x_train), y_train.astype("int32"), source


def time_loop(dataset, steps, repeats, jit):
    """저수준 반복 (노트북의 MnistCNN + make_train_step): 반복마다 걸린 초 목록."""
    cnnbook.seed_everything()
    model = lessons.MnistCNN()
    train_step = lessons.make_train_step(model, tf.keras.optimizers.Adam(1e-4))
    if jit:
        train_step = tf.function(train_step.python_function, jit_compile=True)
    for x_batch, y_batch in dataset.take(3):  # 트레이싱과 첫 실행 (타이머 밖)
        float(train_step(x_batch, y_batch)[0])
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for x_batch, y_batch in dataset.take(steps):  # 새 반복자: 섞기 버퍼 채우기 포함
            loss, accuracy = train_step(x_batch, y_batch)
            float(loss), float(accuracy)  # 진행 막대처럼 단계마다 읽음
        times.append(time.perf_counter() - start)
    return times


def time_fit(dataset, steps, repeats, jit):
    """케라스 fit (노트북의 build_keras_cnn): 반복마다 걸린 초 목록."""
    cnnbook.seed_everything()
    model = lessons.build_keras_cnn(probabilities=False)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(1e-4),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        jit_compile=jit,
    )
    model.fit(dataset, epochs=1, steps_per_epoch=3, verbose=0, shuffle=False)  # 트레이싱 (타이머 밖)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        # 새 반복자: 섞기 버퍼 채우기 포함
        model.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0, shuffle=False)
        times.append(time.perf_counter() - start)
    return times


def summarize(times, images):
    rates = sorted(images / t for t in times)
    return {
        "seconds": [round(t, 4) for t in times],
        "images": images,
        "median": round(statistics.median(rates), 1),
        "min": round(rates[0], 1),
        "max": round(rates[-1], 1),
    }


def config_label() -> str:
    onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "").strip()
    return "onednn-off" if onednn == "0" else "onednn-on"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch-sizes", default="50,128,256", help="쉼표로 구분한 미니배치 크기")
    parser.add_argument("--images", type=int, default=4000, help="한 번 잴 때 학습할 이미지 수 (대략)")
    parser.add_argument("--repeats", type=int, default=5, help="같은 측정을 되풀이할 횟수")
    parser.add_argument("--jit", choices=["off", "on", "both"], default="both", help="XLA(jit_compile)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="결과 JSON 파일")
    args = parser.parse_args()
    batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    jits = {"off": [False], "on": [True], "both": [False, True]}[args.jit]

    x_train, y_train, source = load_data()
    table = layer_table()
    per_image = train_flops()
    print(f"TensorFlow {tf.__version__}, 파이썬 {platform.python_version()}, CPU 코어 {os.cpu_count()}개, "
          f"TF_ENABLE_ONEDNN_OPTS={os.environ.get('TF_ENABLE_ONEDNN_OPTS', '(기본값)')}, 데이터 {source}")
    print(f"이미지 한 장의 학습 FLOP: {per_image / 1e6:.2f} M (계층 표에서 계산)")
    load_before = load_average()
    peak_before = matmul_gflops(2048)
    print(f"시작 부하 {load_before}, fp32 행렬 곱 2048×2048: {peak_before:.1f} GFLOP/s", flush=True)

    rows = []
    for batch in batch_sizes:
        steps = max(10, args.images // batch)
        dataset = lessons.make_dataset(x_train, y_train, batch)
        for jit in jits:
            for method, timer in (("loop", time_loop), ("fit", time_fit)):
                result = summarize(timer(dataset, steps, args.repeats, jit), steps * batch)
                result.update(method=method, batch=batch, jit=jit, steps=steps)
                result["gflops"] = round(result["median"] * per_image / 1e9, 1)
                rows.append(result)
                xla = "켬" if jit else "끔"
                print(f"{method:<4} 미니배치 {batch:>4} XLA {xla}: 중앙값 {result['median']:8.0f} 이미지/초 "
                      f"(범위 {result['min']:.0f}–{result['max']:.0f}), {result['gflops']:.1f} GFLOP/s", flush=True)

    peak_after = matmul_gflops(2048)
    load_after = load_average()
    print(f"끝 부하 {load_after}, fp32 행렬 곱(끝에 다시 잼): {peak_after:.1f} GFLOP/s")

    run = {
        "label": config_label(),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "tensorflow": tf.__version__,
        "keras": tf.keras.__version__ if hasattr(tf.keras, "__version__") else None,
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "cpu_flags": cpu_flags(),
        "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default"),
        "data": source,
        "repeats": args.repeats,
        "load_before": load_before,
        "load_after": load_after,
        "matmul_gflops": [round(peak_before, 1), round(peak_after, 1)],
        "train_flops_per_image": per_image,
        "layers": [{k: row[k] for k in ("name", "kind", "shape", "params", "flops")} for row in table],
        "timing": "트레이싱은 타이머 밖, 새 반복자 만들기(섞기 버퍼 채우기 포함)는 두 방법 모두 타이머 안",
        "results": rows,
    }
    results = json.loads(args.output.read_text()) if args.output.is_file() else {"runs": []}
    results["runs"] = [r for r in results["runs"] if r["label"] != run["label"]] + [run]
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    print(f"결과를 {args.output} 에 썼습니다. 표: python benchmarks/report.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
