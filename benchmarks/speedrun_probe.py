"""부록 A.2의 신경망과 처방을 한 번 학습해 검증 정확도(TTA 0, 1, 2단계)만 재는 손으로 돌리는 스크립트.

처방을 고를 때 쓴 것입니다. 테스트 데이터는 읽지 않습니다. 결과는 한 줄씩 `benchmarks/speedrun_probe.jsonl`에 덧붙입니다.

    CNNBOOK_DATA=../shared/data python benchmarks/speedrun_probe.py --epochs 16 --tag e16
    python benchmarks/speedrun_probe.py --epochs 2 --set '{"lookahead": false}' --tag no-lookahead
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, timezone

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import numpy as np  # noqa: E402

import cnnbook  # noqa: E402
from cnnbook import cifar, speedrun  # noqa: E402
from cnnbook.ladder import cifar_splits  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=float, default=speedrun.BEST["epochs"])
    parser.add_argument("--tag", default="probe")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--set", default="{}", help="BEST에서 바꿀 항목 (JSON)")
    parser.add_argument("--relu", action="store_true", help="GELU 대신 ReLU")
    parser.add_argument("--no-identity", action="store_true", help="항등 초기화 없이")
    parser.add_argument("--no-whiten", action="store_true", help="화이트닝 대신 3×3 합성곱 첫 계층")
    parser.add_argument("--bn", action="store_true", help="ShiftNorm 대신 배율도 학습하는 BatchNorm")
    args = parser.parse_args(argv)
    choice = cifar.use_precision()
    data = cifar_splits(45000, 5000, 10)
    mean, std = data["mean"], data["std"]
    whiten = None if args.no_whiten else speedrun.whitening_kernel(data["train"][0][:5000], mean, std)
    cnnbook.seed_everything(args.seed)
    model = speedrun.speed_cnn(mean, std, whiten=whiten, act="relu" if args.relu else "gelu",
                               norm=cifar.BatchNorm if args.bn else speedrun.ShiftNorm, identity=not args.no_identity)
    recipe = dict(speedrun.BEST, epochs=args.epochs, **json.loads(args.set))
    result = speedrun.train_fast(model, data["train"], data["val"], recipe)
    x_val, y_val = data["val"]
    out = {"tag": args.tag, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "precision": choice,
           "args": vars(args), "recipe": recipe, "code": speedrun.training_code_hash(),
           "seconds": round(result["seconds"], 1), "val": result["val"]}
    for level in (1, 2):
        out[f"val_tta{level}"] = float(np.mean(speedrun.tta_logits(model, x_val, level).argmax(1) == y_val))
    print(json.dumps(out, ensure_ascii=False), flush=True)
    with open(os.path.join(os.path.dirname(__file__), "speedrun_probe.jsonl"), "a", encoding="utf-8") as f:
        f.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
