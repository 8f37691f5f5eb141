"""4.3절 모델들의 학습 처리량(이미지/초)을 float32와 mixed_bfloat16으로 잽니다 (손으로 실행하는 스크립트).

    CNNBOOK_DATA=../shared/data python benchmarks/cifar_speed.py --models vgg_bn,fast_cnn --batch 256
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from cnnbook import cifar  # noqa: E402

MEAN, STD = np.array([125.3, 123.0, 113.9]), np.array([63.0, 62.1, 66.7])
BUILDERS = {
    "mnist_style": lambda: cifar.original_cnn(MEAN, STD),
    "three_conv": lambda: cifar.original_cnn(MEAN, STD, (32, 64, 128), dense=512),
    "vgg_style": lambda: cifar.vgg_style_cnn(MEAN, STD),
    "vgg_bn": lambda: cifar.vgg_style_cnn(MEAN, STD, batch_norm=True),
    "fast_cnn": lambda: cifar.fast_cnn(MEAN, STD),
    "fast_cnn_narrow": lambda: cifar.fast_cnn(MEAN, STD, widths=(32, 128, 128)),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="vgg_bn,fast_cnn")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--policies", default="float32,mixed_bfloat16")
    args = parser.parse_args()
    print(f"matmul {cifar.matmul_gflops():.0f} GFLOP/s, native bf16: {cifar.has_native_bf16()}")
    for name in args.models.split(","):
        for policy in args.policies.split(","):
            tf.keras.mixed_precision.set_global_policy(policy)
            model = BUILDERS[name]()
            rate = cifar.train_images_per_s(model, args.batch, args.steps)
            gflop = cifar.flops_per_image(model) / 1e9
            print(f"{name:12s} {policy:15s} {gflop:.3f} GFLOP/img fwd  {rate:7.0f} img/s  "
                  f"{3 * gflop * rate:.0f} GFLOP/s train", flush=True)


if __name__ == "__main__":
    main()
