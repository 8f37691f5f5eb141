"""Prototype: how far the seed's MNIST CNN goes with augmentation, a schedule and weight averaging."""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import cnnbook  # noqa: E402
from cnnbook import mnist_lessons as ml  # noqa: E402


def augment(x, seed, shift, degrees):
    """x [B,28,28,1] float: random rotation (degrees) and shift (pixels) per image, one affine warp."""
    b = tf.shape(x)[0]
    u = tf.random.stateless_uniform([b, 3], seed=seed, minval=-1.0, maxval=1.0)
    angle = u[:, 0] * degrees * math.pi / 180
    dx, dy = u[:, 1] * shift, u[:, 2] * shift
    c, s = tf.cos(angle), tf.sin(angle)
    cx = cy = 13.5
    # output->input map: rotate about centre, then shift
    a0, a1 = c, -s
    b0, b1 = s, c
    a2 = cx - a0 * cx - a1 * cy - dx
    b2 = cy - b0 * cx - b1 * cy - dy
    z = tf.zeros_like(c)
    t = tf.stack([a0, a1, a2, b0, b1, b2, z, z], axis=1)
    return tf.raw_ops.ImageProjectiveTransformV3(images=x, transforms=t, output_shape=[28, 28],
                                                 fill_value=0.0, interpolation="BILINEAR", fill_mode="CONSTANT")


def run(a):
    (x_tr, y_tr), (x_te, y_te) = cnnbook.load_mnist()
    x_tr = x_tr.astype("float32")[..., None] / 255
    x_te = x_te.astype("float32")[..., None] / 255
    (x_fit, y_fit), (x_val, y_val) = ml.split_validation(x_tr, y_tr.astype(np.int32))
    cnnbook.seed_everything(a.seed)
    model = ml.MnistCNN(he_init=True, dropout_rate=a.dropout)
    bs = a.batch
    per_epoch = len(x_fit) // bs
    steps = int(per_epoch * a.epochs)
    opt = tf.keras.optimizers.Adam(ml.warmup_cosine(steps, peak=a.lr))
    variables = model.trainable_variables
    ema = [tf.Variable(v) for v in variables]

    @tf.function
    def step(x, y, seed, decay):
        if a.shift > 0 or a.degrees > 0:
            x = augment(x, seed, a.shift, a.degrees)
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss = tf.reduce_mean(tf.keras.losses.categorical_crossentropy(
                tf.one_hot(y, 10), logits, from_logits=True, label_smoothing=a.ls))
        opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
        for e, v in zip(ema, variables):
            e.assign(decay * e + (1 - decay) * v)
        return loss

    rng = np.random.default_rng(a.seed)
    t0 = time.perf_counter()
    done = 0
    while done < steps:
        order = rng.permutation(len(x_fit))
        for i in range(per_epoch):
            if done >= steps:
                break
            idx = order[i * bs:(i + 1) * bs]
            decay = min(a.ema, (1 + done) / (10 + done))
            step(tf.constant(x_fit[idx]), tf.constant(y_fit[idx]), tf.constant([a.seed, done], tf.int64),
                 tf.constant(decay, tf.float32))
            done += 1
        print(f"{done}/{steps} {time.perf_counter() - t0:.0f}s", flush=True)
    seconds = time.perf_counter() - t0

    def acc(x, y):
        return float(np.mean(ml.predict_probabilities(model, x).argmax(1) == y))
    res = {"args": vars(a), "seconds": round(seconds, 1), "val_raw": acc(x_val, y_val)}
    raw = [tf.identity(v) for v in variables]
    for v, e in zip(variables, ema):
        v.assign(e)
    res["val_ema"] = acc(x_val, y_val)
    if a.test:
        res["test_ema"] = acc(x_te, y_te)
        for v, r in zip(variables, raw):
            v.assign(r)
        res["test_raw"] = acc(x_te, y_te)
    print(json.dumps(res), flush=True)
    with open(os.path.join(os.path.dirname(__file__), "mnist_raw.jsonl"), "a") as f:
        f.write(json.dumps(res) + "\n")


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=float, default=10)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--ls", type=float, default=0.0)
    p.add_argument("--dropout", type=float, default=0.5)
    p.add_argument("--shift", type=float, default=2.0)
    p.add_argument("--degrees", type=float, default=10.0)
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--test", action="store_true")
    run(p.parse_args())
