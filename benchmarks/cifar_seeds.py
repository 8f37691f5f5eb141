"""4.3절 맨 위 칸의 처방(`cnnbook.cifar.RECIPE`)을 시드 여러 개로 학습해 시드에 따른 흔들림을 잽니다.

손으로 실행하는 스크립트입니다 (전체 처방으로 시드 3개면 기준 기계에서 한 시간쯤 걸립니다). 4.3절은 맨 위 칸을
시드 하나로만 학습하고, 이 스크립트가 쓴 파일(`benchmarks/cifar_seeds.json`)이 있으면 그 값을 "손으로 돌린
벤치마크의 값"이라고 밝혀 함께 보여 줍니다. 검증 정확도(학습 데이터의 마지막 5,000장)가 비교의 기준이고, 테스트
정확도는 모델마다 한 번 재서 적기만 합니다. 시드 하나가 끝날 때마다 파일을 다시 써서, 도중에 멈춰도 끝난 시드는
남고, ``--resume`` 으로 다시 실행하면 남은 시드만 학습합니다.

    CNNBOOK_DATA=../shared/data python benchmarks/cifar_seeds.py                    # 시드 42, 43, 44
    python benchmarks/cifar_seeds.py --seeds 42,43 --epochs 1 --train-size 2000 --out /tmp/try.json  # 짧은 시험
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import cnnbook  # noqa: E402
from cnnbook import cifar, device  # noqa: E402

HERE = Path(__file__).resolve().parent


def train_one(seed: int, recipe: dict, train_xy, val_xy, test_xy) -> dict:
    """시드 하나로 학습하고 검증 정확도(원본, 뒤집기 평균)와 보고용 테스트 정확도를 잽니다."""
    mean, std = cifar.channel_stats(train_xy[0])
    cnnbook.seed_everything(seed)
    model = cifar.fast_cnn(mean, std)
    result = cifar.train(model, train_xy, val_xy, recipe)
    return {
        "seed": seed,
        "seconds": round(result["seconds"], 1),
        "images_per_s": round(result["images_per_s"], 1),
        "val": result["val"],
        "val_tta": cifar.accuracy(model, *val_xy, tta=True),
        "test": cifar.accuracy(model, *test_xy),  # 보고용
        "test_tta": cifar.accuracy(model, *test_xy, tta=True),  # 보고용
    }


def write(path: Path, record: dict) -> None:
    """임시 파일에 쓴 뒤 바꿔 넣습니다 (도중에 멈춰도 반쯤 쓴 파일이 남지 않음)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    temporary.replace(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="42,43,44", help="쉼표로 나눈 시드 (기본: 42,43,44; 42는 노트북의 시드)")
    parser.add_argument("--epochs", type=int, default=None, help="에포크 (기본: RECIPE의 값)")
    parser.add_argument("--train-size", type=int, default=None, help="학습 이미지 수 (기본: 45,000장 모두)")
    parser.add_argument("--out", type=Path, default=HERE / "cifar_seeds.json")
    parser.add_argument("--resume", action="store_true", help="--out 파일에서 같은 코드와 처방으로 끝낸 시드는 다시 학습하지 않음")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]

    choice = device.use_precision()
    gflops = device.ceiling_gflops(choice)
    (x_all, y_all), (x_test, y_test) = cnnbook.load_cifar10()
    (x_train, y_train), val_xy = cifar.split_validation(x_all, y_all)
    n = len(x_train) if args.train_size is None else args.train_size
    recipe = dict(cifar.RECIPE)
    if args.epochs is not None:
        recipe["epochs"] = args.epochs
    test_xy = (x_test, np.asarray(y_test).reshape(-1).astype(np.int32))
    record = {
        "what": "4.3절 맨 위 칸(fast_cnn + cnnbook.cifar.RECIPE)의 시드별 결과. 손으로 실행한 benchmarks/cifar_seeds.py",
        "started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "finished": None,
        "recipe": recipe,
        "full_recipe": recipe == cifar.RECIPE and n == len(x_train),
        "code": cifar.training_code_hash() if hasattr(cifar, "training_code_hash") else None,
        "train_images": n,
        "val_images": len(val_xy[0]),
        "test_images": len(test_xy[0]),
        "machine": machine_record(choice, gflops),
        "runs": [],
    }
    if args.resume:
        seeds = resume(record, seeds, args.out)
    run_seeds(record, seeds, lambda seed: train_one(seed, recipe, (x_train[:n], y_train[:n]), val_xy, test_xy),
              args.out, lambda run: f"검증 {run['val']:.2%} (뒤집기 평균 {run['val_tta']:.2%}), "
                                    f"테스트 {run['test']:.2%} (보고용)")
    return 0


def machine_record(choice, gflops: float) -> dict:
    """학습한 장치, 정밀도, 같은 정밀도로 잰 행렬 곱 천장과 소프트웨어 판."""
    return {"device": choice.device_name, "policy": choice.policy, "gflops": round(gflops, 1),
            "cores": os.cpu_count(), "tensorflow": tf.__version__, "python": platform.python_version()}


SAME_RUN = ("recipe", "full_recipe", "code", "train_images", "val_images", "test_images")  # 이어 쓰려면 같아야 할 것
SAME_MACHINE = ("device", "policy", "cores", "tensorflow")


def resume(record: dict, seeds, path: Path) -> list:
    """``path`` 에 같은 처방, 같은 코드, 같은 기계 설정으로 끝낸 시드가 있으면 그 결과를 ``record`` 로 옮기고
    아직 학습하지 않은 시드 목록을 돌려줍니다. 하나라도 다르면 이어 쓰지 않고 모든 시드를 돌려줍니다."""
    seeds = list(seeds)
    if not path.is_file():
        return seeds
    old = json.loads(path.read_text(encoding="utf-8"))
    differs = [k for k in SAME_RUN if old.get(k) != record[k]]
    differs += [f"machine.{k}" for k in SAME_MACHINE if old.get("machine", {}).get(k) != record["machine"][k]]
    if differs:
        print(f"{path.name}의 기록과 {', '.join(differs)}이(가) 달라 이어 쓰지 않고 처음부터 잽니다.", flush=True)
        return seeds
    kept = [run for run in old.get("runs", []) if run.get("seed") in seeds]
    record.update(started=old["started"], runs=kept)
    if kept:
        record["resumed"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    done = {run["seed"] for run in kept}
    print(f"이미 끝낸 시드 {sorted(done) or '없음'}는 그대로 두고 이어서 잽니다.", flush=True)
    return [seed for seed in seeds if seed not in done]


def run_seeds(record: dict, seeds, train, out: Path, summary) -> None:
    """시드마다 ``train(seed)`` 의 결과를 ``record['runs']`` 에 더하고 그때마다 파일을 다시 씁니다."""
    for seed in seeds:
        start = time.perf_counter()
        run = train(seed)
        # 다른 작업과 CPU를 나눠 쓰면 시간이 늘어나므로, 시드가 끝날 때의 1분 평균 부하를 함께 적습니다 (윈도에는 없음)
        run["load_1min"] = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
        record["runs"].append(run)
        write(out, record)
        print(f"시드 {seed}: {summary(run)}, 학습 {run['seconds']:.0f}초, 전체 {time.perf_counter() - start:.0f}초",
              flush=True)
    record["finished"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    write(out, record)
    print(f"썼습니다: {out}")


if __name__ == "__main__":
    raise SystemExit(main())
