"""4.2.6절 위젯 콜백의 응답 시간 벤치마크 (손으로 실행, 테스트 아님).

위젯이 부르는 콜백(화면의 ``update``, 전처리, 예측, 세 지도)을 여러 번 불러 중앙값을 재고,
테스트 이미지 10,000장의 한 계층 특징 맵을 계산하는 시간도 잽니다. 목표는 2코어 기준 컴퓨터
(fp32 행렬 곱 약 300 GFLOP/s)에서 콜백 중앙값 50 ms 이하, 특징 맵 5초 이하입니다.
컴퓨터마다 빠르기가 다르므로 이 컴퓨터의 행렬 곱 성능을 함께 출력합니다.

    CNNBOOK_FAST=1 python benchmarks/inside_callbacks.py            # 캐시의 가중치 (없으면 짧게 학습)
    python benchmarks/inside_callbacks.py --repeats 30

원자료(이 컴퓨터의 행렬 곱, CPU 기능, 부하, 콜백마다의 중앙값, 특징 맵 시간)는 ``--output`` 파일
(기본 benchmarks/inside_callbacks.json)에 씁니다.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import numpy as np  # noqa: E402

import cnnbook  # noqa: E402
from cnnbook import digit_input, inside  # noqa: E402
from cnnbook.figures import inside as inside_figures  # noqa: E402
from cnnbook.machine import cpu_flags, matmul_gflops  # noqa: E402
from cnnbook.live import render_png  # noqa: E402


def median_ms(fn, repeats: int) -> float:
    fn()  # 첫 호출(그래프 만들기 등)은 재지 않습니다
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("inside_callbacks.json"))
    args = parser.parse_args()
    load_before = [round(v, 2) for v in os.getloadavg()]

    cnnbook.use_korean_font()
    model = cnnbook.trained_mnist_cnn(verbose=False)
    _, (x_test, y_test) = cnnbook.load_mnist()
    x_test = x_test.astype("float32") / 255.0
    extractor = inside.checked_extractor(model)
    n_maps = 200
    maps = dict(zip(inside.FEATURE_LAYERS, inside.activations(extractor, x_test[:n_maps])))
    peaks = inside.layer_peaks(extractor, x_test[:2000])
    logits_model = inside.logit_model(model)
    conv1_extractor = inside.checked_extractor(model, ("conv1",))
    fields = inside.receptive_fields()

    conv2_view = inside_figures.Conv2FiltersView(model.get_layer("conv2").get_weights()[0])
    maps_view = inside_figures.FeatureMapsView(x_test[:n_maps], y_test[:n_maps], maps)
    rf_view = inside_figures.ReceptiveFieldView(x_test[0], fields, inside.receptive_box)
    top_view = inside_figures.TopPatchesView(x_test[:2000], peaks, inside.top_patches)
    predictors = {"합성곱": lambda x: model(x, training=False).numpy()}
    transform_view = inside_figures.TransformView(x_test[0], predictors, inside.affine_images)
    digit_view = inside_figures.DigitView()
    gray = digit_input.render_strokes([[(170, 40), (70, 170), (220, 170)], [(170, 40), (170, 245)]])
    rgba = np.dstack([np.repeat((gray * 255).astype(np.uint8)[..., None], 3, axis=2), np.full((280, 280), 255, np.uint8)])

    def digit_callback():
        x = digit_input.preprocess_rgba(rgba)
        digit_view.update(image=x, **inside.predict_digit(model, conv1_extractor, x))

    def explain_callback():
        heat = inside.explain(model, logits_model, x_test[0], int(y_test[0]))
        inside.disagreement_sentence(heat, x_test[0])

    rng = np.random.default_rng(0)
    callbacks = {
        "conv2 필터 (출력 채널)": (conv2_view, lambda: conv2_view.update(channel=int(rng.integers(64)))),
        "특징 맵 (숫자·계층·채널)": (maps_view, lambda: maps_view.update(
            digit=int(rng.integers(10)), nth=0, layer=str(rng.choice(inside.FEATURE_LAYERS)),
            channel=int(rng.integers(64)))),
        "수용 영역": (rf_view, lambda: rf_view.update(layer="conv2", row=float(rng.random()), col=float(rng.random()))),
        "좋아하는 조각 9개": (top_view, lambda: top_view.update(layer="conv2", channel=int(rng.integers(64)))),
        "이동·회전·크기·잡음": (transform_view, lambda: transform_view.update(
            shift=2, angle=float(rng.integers(-40, 41)), scale=1.1, noise=0.1)),
        "내 숫자 (전처리+예측+conv1)": (digit_view, digit_callback),
        "세 지도 (현저성·Grad-CAM·가림)": (None, explain_callback),
    }
    gflops = matmul_gflops()
    print(f"이 컴퓨터의 fp32 행렬 곱: {gflops:.0f} GFLOP/s (기준 컴퓨터 약 300)")
    print(f"콜백 중앙값 ({args.repeats}회). 계산: 계산과 화가 갱신, PNG 포함: 위젯처럼 그림을 PNG로 그리는 시간까지")
    record = {"when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "matmul_gflops": round(gflops, 1),
              "cpu_flags": sorted(f for f in cpu_flags() if f in {"avx2", "avx512f", "avx512_bf16", "amx_bf16"}),
              "repeats": args.repeats, "load_before": load_before, "callbacks_ms": {}, "activations_s": {}}
    for name, (view, fn) in callbacks.items():
        ms = median_ms(fn, args.repeats)
        with_png = median_ms(lambda: (fn(), render_png(view.fig, quick=True)), args.repeats) if view is not None else None
        record["callbacks_ms"][name] = {"compute": round(ms, 2), "with_png": None if with_png is None else round(with_png, 2)}
        png_text = "—" if with_png is None else f"{with_png:7.1f} ms"
        print(f"  {name:28s} 계산 {ms:7.1f} ms ({ms / 50:.2f}× 목표) {'✓' if ms <= 50 else '✗'}   PNG 포함 {png_text}")
    for name in ("conv1", "conv2"):
        one = inside.checked_extractor(model, (name,))
        inside.activations(one, x_test[:500])
        start = time.perf_counter()
        (acts,) = inside.activations(one, x_test)
        seconds = time.perf_counter() - start
        print(f"테스트 이미지 {len(x_test):,}장의 {name} 특징 맵 {acts.shape}: {seconds:.2f}초 ({seconds / 5:.2f}× 목표) "
              f"{'✓' if seconds <= 5 else '✗ (5초 넘음)'}")
        record["activations_s"][name] = round(seconds, 3)
        del acts
    record["load_after"] = [round(v, 2) for v in os.getloadavg()]
    args.output.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"원자료: {args.output}")


if __name__ == "__main__":
    main()
