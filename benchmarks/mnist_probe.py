"""부록 A.3의 처방(`cnnbook.mnist_best.train_augmented`)을 한 번 학습해 검증 정확도만 재는 손으로 돌리는 스크립트.

처방을 고를 때 쓴 것입니다. 테스트 데이터는 읽지 않습니다. 결과는 한 줄씩 `benchmarks/mnist_probe.jsonl`에 덧붙입니다.

    CNNBOOK_DATA=../shared/data python benchmarks/mnist_probe.py --epochs 10 --smoothing 0.1
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
from cnnbook import mnist_best  # noqa: E402
from cnnbook.mnist_lessons import BETTER_BATCH, predict_probabilities, prepare_images, split_validation  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=float, default=10)
    parser.add_argument("--shift", type=float, default=2.0)
    parser.add_argument("--degrees", type=float, default=10.0)
    parser.add_argument("--smoothing", type=float, default=0.1)
    parser.add_argument("--average", type=float, default=0.999, help="가중치 평균의 decay (0이면 평균 없이)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--tta", action="store_true", help="1픽셀 옮긴 네 장과 원본의 예측 평균도 잽니다")
    args = parser.parse_args(argv)
    (x_train, y_train), _ = cnnbook.load_mnist()
    (x_fit, y_fit), (x_val, y_val) = split_validation(prepare_images(x_train), y_train.astype("int32"))
    steps = int(args.epochs * (len(x_fit) // BETTER_BATCH))
    cnnbook.seed_everything(args.seed)
    model, averaged, seconds = mnist_best.train_augmented(
        x_fit, y_fit, steps, shift=args.shift, degrees=args.degrees, smoothing=args.smoothing,
        average_decay=args.average, seed=args.seed)
    out = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "args": vars(args), "steps": steps,
           "seconds": round(seconds, 1),
           "val": float(np.mean(predict_probabilities(model, x_val).argmax(1) == y_val))}
    if averaged is not None:
        out["val_average"] = float(np.mean(predict_probabilities(averaged, x_val).argmax(1) == y_val))
    if args.tta:
        for key, m in [("val_tta", model), ("val_average_tta", averaged)]:
            if m is not None:
                out[key] = float(np.mean(mnist_best.shift_average(m, x_val).argmax(1) == y_val))
    print(json.dumps(out, ensure_ascii=False), flush=True)
    with open(os.path.join(os.path.dirname(__file__), "mnist_probe.jsonl"), "a", encoding="utf-8") as f:
        f.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
