"""부록 A.2 맨 위 칸의 처방(`cnnbook.speedrun.BEST`)을 시드 여러 개로 학습해 시드에 따른 흔들림을 잽니다.

손으로 실행하는 스크립트입니다 (시드 하나가 코어 2개의 AMD EPYC에서 다른 작업 없이 15분쯤). 부록 A.2는 맨 위 칸을 시드 하나로만 학습하고,
이 스크립트가 쓴 파일(`benchmarks/speedrun_seeds.json`)이 있으면 그 값을 "손으로 돌린 벤치마크의 값"이라고 밝혀 함께
보여 줍니다. 검증 정확도(학습 데이터의 마지막 5,000장)가 비교의 기준이고, 테스트 정확도는 모델마다 한 번 재서 적기만
합니다. 행렬 곱 천장은 학습과 같은 정밀도로 잽니다. 시드 하나가 끝날 때마다 파일을 다시 써서, 도중에 멈춰도 끝난
시드는 남고, ``--resume`` 으로 다시 실행하면 같은 코드와 처방으로 끝낸 시드는 두고 남은 시드만 학습합니다.

    CNNBOOK_DATA=../shared/data python benchmarks/speedrun_seeds.py                 # 시드 42, 43, 44
    CNNBOOK_DATA=../shared/data python benchmarks/speedrun_seeds.py --resume        # 멈춘 뒤 남은 시드만
    python benchmarks/speedrun_seeds.py --seeds 42 --epochs 1 --train-size 2000 --out /tmp/try.json  # 짧은 시험
"""
from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import numpy as np  # noqa: E402

import cnnbook  # noqa: E402
from cnnbook import cifar, device, speedrun  # noqa: E402
from benchmarks.cifar_seeds import machine_record, resume, run_seeds  # noqa: E402

HERE = Path(__file__).resolve().parent


def train_one(seed: int, recipe: dict, train_xy, val_xy, test_xy) -> dict:
    """시드 하나로 학습하고 검증 정확도(TTA 없이, 고른 TTA로)와 보고용 테스트 정확도를 잽니다."""
    mean, std = cifar.channel_stats(train_xy[0])
    cnnbook.seed_everything(seed)
    model = speedrun.best_model(mean, std, speedrun.whitening_kernel(train_xy[0][:5000], mean, std))
    result = speedrun.train_fast(model, train_xy, val_xy, recipe, desc=f"시드 {seed}")
    level = speedrun.BEST_TTA

    def correct(xy):
        return float(np.mean(speedrun.tta_logits(model, xy[0], level).argmax(1) == xy[1]))

    return {
        "seed": seed, "seconds": round(result["seconds"], 1), "images_per_s": round(result["images_per_s"], 1),
        "val": result["val"], "val_tta": correct(val_xy), "tta_level": level,
        "test_tta": correct(test_xy),  # 보고용
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="42,43,44", help="쉼표로 나눈 시드 (기본: 42,43,44; 42는 노트북의 시드)")
    parser.add_argument("--epochs", type=float, default=None, help="에포크 (기본: BEST의 값)")
    parser.add_argument("--train-size", type=int, default=None, help="학습 이미지 수 (기본: 45,000장 모두)")
    parser.add_argument("--out", type=Path, default=HERE / "speedrun_seeds.json")
    parser.add_argument("--resume", action="store_true", help="--out 파일에서 같은 코드와 처방으로 끝낸 시드는 다시 학습하지 않음")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]

    choice = device.use_precision()
    gflops = device.ceiling_gflops(choice)  # 학습과 같은 정밀도의 천장
    (x_all, y_all), (x_test, y_test) = cnnbook.load_cifar10()
    (x_train, y_train), val_xy = cifar.split_validation(x_all, y_all)
    n = len(x_train) if args.train_size is None else args.train_size
    recipe = dict(speedrun.BEST)
    if args.epochs is not None:
        recipe["epochs"] = args.epochs
    test_xy = (x_test, np.asarray(y_test).reshape(-1).astype(np.int32))
    record = {
        "what": "부록 A.2 맨 위 칸(cnnbook.speedrun.BEST)의 시드별 결과. 손으로 실행한 benchmarks/speedrun_seeds.py",
        "started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "finished": None,
        "recipe": recipe, "full_recipe": recipe == speedrun.BEST and n == len(x_train),
        "code": speedrun.training_code_hash(), "train_images": n, "val_images": len(val_xy[0]),
        "test_images": len(test_xy[0]),
        "machine": machine_record(choice, gflops),
        "runs": [],
    }
    if args.resume:
        seeds = resume(record, seeds, args.out)
    run_seeds(record, seeds, lambda seed: train_one(seed, recipe, (x_train[:n], y_train[:n]), val_xy, test_xy),
              args.out, lambda run: f"검증 {run['val']:.2%} (TTA {run['val_tta']:.2%}), 테스트 {run['test_tta']:.2%} (보고용)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
