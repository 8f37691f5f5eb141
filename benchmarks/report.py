"""benchmarks/results.json 에서 표를 만들어 benchmarks/README.md 와 README.md 의 표시 사이에 씁니다.

    python benchmarks/report.py          # 두 파일을 다시 씀
    python benchmarks/report.py --check  # 파일의 표가 JSON과 다르면 0이 아닌 값으로 끝남

표시: benchmarks/README.md 는 ``<!-- results:begin -->`` … ``<!-- results:end -->``,
README.md 는 ``<!-- speed:begin -->`` … ``<!-- speed:end -->``. 숫자는 모두 JSON에서 옵니다.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
TARGETS = ((HERE / "README.md", "results"), (HERE.parent / "README.md", "speed"))


def _xla(jit: bool) -> str:
    return "켬" if jit else "끔"


def _spread(row) -> str:
    """범위의 반폭을 중앙값에 대한 %로: 반복 사이의 흔들림."""
    return f"±{(row['max'] - row['min']) / 2 / row['median']:.0%}"


def _find(run, method, batch, jit):
    return next((r for r in run["results"] if (r["method"], r["batch"], r["jit"]) == (method, batch, jit)), None)


def _ceiling(run) -> float:
    return max(run["matmul_gflops"])


def noise_sentence(run) -> str:
    before, after = run["matmul_gflops"]
    spreads = [(r["max"] - r["min"]) / 2 / r["median"] for r in run["results"]]
    return (f"{run['date']}, TensorFlow {run['tensorflow']}, 파이썬 {run['python']}, CPU 코어 {run['cpu_count']}개 "
            f"({', '.join(run['cpu_flags']) or '플래그 모름'}), oneDNN {run['onednn']}, 데이터 {run['data']}. "
            f"측정마다 {run['repeats']}번 되풀이해 중앙값을 적고, 범위(최소–최대)를 함께 적었습니다. "
            f"다른 작업과 함께 쓰는 컴퓨터라 흔들림이 큽니다: 부하(load average 1/5/15분)는 시작 {run['load_before']}, "
            f"끝 {run['load_after']}, fp32 행렬 곱은 시작 {before:.1f}, 끝 {after:.1f} GFLOP/s "
            f"({abs(after - before) / max(before, after):.0%} 차이), 반복 사이의 흔들림은 측정마다 "
            f"±{min(spreads):.0%}–±{max(spreads):.0%}였습니다. 이보다 작은 차이는 의미가 없습니다.")


def flop_table(run) -> list[str]:
    lines = ["| 계층 | 종류 | 출력 모양 | 매개변수 | 순전파 FLOP |", "|---|---|---|---:|---:|"]
    for layer in run["layers"]:
        shape = "×".join(str(d) for d in layer["shape"])
        lines.append(f"| {layer['name']} | {layer['kind']} | {shape} | {layer['params']:,} | {layer['flops']:,} |")
    forward = sum(layer["flops"] for layer in run["layers"])
    params = sum(layer["params"] for layer in run["layers"])
    lines.append(f"| 합계 | | | {params:,} | {forward:,} |")
    lines += ["", f"학습 한 장(순전파 + 가중치 기울기 + 첫 계층을 뺀 입력 기울기)은 "
              f"**{run['train_flops_per_image'] / 1e6:.2f} MFLOP** 입니다."]
    return lines


def run_table(run) -> list[str]:
    ceiling = _ceiling(run)
    lines = [f"| 방법 | 미니배치 | XLA | 이미지/초 (중앙값) | 범위 | 흔들림 | GFLOP/s | 천장({ceiling:.0f}) 대비 |",
             "|---|---:|---|---:|---|---:|---:|---:|"]
    names = {"loop": "저수준 반복 (책)", "fit": "케라스 `fit`"}
    for r in run["results"]:
        lines.append(f"| {names[r['method']]} | {r['batch']} | {_xla(r['jit'])} | {r['median']:,.0f} "
                     f"| {r['min']:,.0f}–{r['max']:,.0f} | {_spread(r)} | {r['gflops']:.1f} "
                     f"| {r['gflops'] / ceiling:.0%} |")
    return lines


def ratio_table(run) -> list[str]:
    jits = sorted({r["jit"] for r in run["results"]})
    batches = sorted({r["batch"] for r in run["results"]})
    lines = ["| 미니배치 | " + " | ".join(f"XLA {_xla(j)}" for j in jits) + " |",
             "|---:|" + "---:|" * len(jits)]
    for batch in batches:
        cells = []
        for jit in jits:
            loop, fit = _find(run, "loop", batch, jit), _find(run, "fit", batch, jit)
            cells.append(f"{loop['median'] / fit['median']:.2f}배" if loop and fit else "—")
        lines.append(f"| {batch} | " + " | ".join(cells) + " |")
    return lines


def xla_sentence(run) -> str | None:
    pairs = []
    for method, name in (("loop", "저수준 반복"), ("fit", "케라스 `fit`")):
        for batch in sorted({r["batch"] for r in run["results"]}):
            off, on = _find(run, method, batch, False), _find(run, method, batch, True)
            if off and on:
                pairs.append((name, batch, on["median"] / off["median"]))
    if not pairs:
        return None
    low, high = min(p[2] for p in pairs), max(p[2] for p in pairs)
    verdict = "느려졌습니다" if high < 1 else ("빨라졌습니다" if low > 1 else "경우에 따라 달랐습니다")
    return (f"XLA(`jit_compile=True`)를 켜면 이 CPU에서 처리량이 끌 때의 {low:.2f}–{high:.2f}배로 {verdict} "
            "(같은 미니배치, 같은 방법끼리 중앙값 비교).")


def onednn_sentence(runs) -> str | None:
    on = next((r for r in runs if r["label"] == "onednn-on"), None)
    off = next((r for r in runs if r["label"] == "onednn-off"), None)
    if not (on and off):
        return None
    ratios = []
    for r in off["results"]:
        partner = _find(on, r["method"], r["batch"], r["jit"])
        if partner:
            ratios.append(r["median"] / partner["median"])
    if not ratios:
        return None
    return (f"oneDNN을 끄면(`TF_ENABLE_ONEDNN_OPTS=0`, 따로 실행) 같은 설정의 처리량이 켤 때의 "
            f"{min(ratios):.2f}–{max(ratios):.2f}배였습니다. 두 실행은 다른 시각이라 부하가 달랐습니다.")


def benchmark_section(data) -> str:
    runs = data["runs"]
    lines = []
    main = next((r for r in runs if r["label"] == "onednn-on"), runs[0])
    lines += ["### 이미지 한 장의 학습 FLOP (계층 표에서 계산)", ""] + flop_table(main) + [""]
    for run in runs:
        title = "oneDNN 켬(기본값)" if run["label"] == "onednn-on" else "oneDNN 끔(`TF_ENABLE_ONEDNN_OPTS=0`)"
        lines += [f"### {title}", "", noise_sentence(run), ""] + run_table(run) + [""]
        lines += ["저수준 반복 ÷ 케라스 `fit` (중앙값끼리):", ""] + ratio_table(run) + [""]
        sentence = xla_sentence(run)
        if sentence:
            lines += [sentence, ""]
    sentence = onednn_sentence(runs)
    if sentence:
        lines += [sentence, ""]
    return "\n".join(lines).rstrip() + "\n"


def speed_section(data) -> str:
    run = next((r for r in data["runs"] if r["label"] == "onednn-on"), data["runs"][0])
    ceiling = _ceiling(run)
    lines = [f"`benchmarks/train_throughput.py` 의 결과(`benchmarks/results.json`, {run['date']})에서 만든 표입니다. "
             f"TensorFlow {run['tensorflow']}, CPU 코어 {run['cpu_count']}개, 이 컴퓨터의 fp32 행렬 곱 "
             f"{run['matmul_gflops'][0]:.0f}–{run['matmul_gflops'][1]:.0f} GFLOP/s, 학습 한 장에 "
             f"{run['train_flops_per_image'] / 1e6:.2f} MFLOP, XLA 끔. 값은 {run['repeats']}번 잰 중앙값이고 "
             "괄호는 반복 사이의 흔들림입니다.", "",
             "| 미니배치 | 책의 저수준 반복 | 케라스 `fit` | 반복 ÷ fit | 천장 대비 (책의 반복) |",
             "|---:|---:|---:|---:|---:|"]
    for batch in sorted({r["batch"] for r in run["results"]}):
        loop, fit = _find(run, "loop", batch, False), _find(run, "fit", batch, False)
        if loop and fit:
            lines.append(f"| {batch} | {loop['median']:,.0f} 장/초 ({_spread(loop)}) | {fit['median']:,.0f} 장/초 "
                         f"({_spread(fit)}) | {loop['median'] / fit['median']:.2f} | {loop['gflops'] / ceiling:.0%} |")
    return "\n".join(lines) + "\n"


def replace_between(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- {name}:begin -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"표시 <!-- {name}:begin --> … <!-- {name}:end --> 가 없습니다.")
    return pattern.sub(lambda m: m.group(1) + body + m.group(2), text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    data = json.loads(RESULTS.read_text(encoding="utf-8"))
    bodies = {"results": benchmark_section(data), "speed": speed_section(data)}
    stale = []
    for path, name in TARGETS:
        old = path.read_text(encoding="utf-8")
        new = replace_between(old, name, bodies[name])
        if new != old:
            stale.append(str(path))
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if args.check and stale:
        print("JSON과 다른 표: " + ", ".join(stale) + " (python benchmarks/report.py 로 다시 쓰세요)")
        return 1
    print("표를 다시 썼습니다: " + ", ".join(stale) if stale else "표가 JSON과 같습니다.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
