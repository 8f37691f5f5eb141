"""4.3절 CIFAR-10: 모델, 데이터 파이프라인(증강), 학습률 스케줄, 학습 반복, 뒤집기 평균(TTA).

두 표시 줄(save-begin, save-end) 사이는 4.3절 노트북의 ``#@save cnnbook/cifar.py`` 셀을 그대로 옮긴
강의 코드입니다(노트북이 원본). 그 밖의 부분은 장치입니다: 행렬 곱 천장 재기, bfloat16 지원 알아내기,
학습된 모델 캐시(:func:`trained_cifar_cnn`).
"""
from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import tensorflow as tf

from cnnbook.errors import BookError, require
from cnnbook.machine import REFERENCE_GFLOPS, cpu_flags, has_native_bf16, matmul_gflops, scaled_seconds  # noqa: F401
from cnnbook.weights_file import cache_dir, code_hash, read_weights, set_aside, write_weights  # 모든 장이 같은 캐시 폴더

# @save-begin 04_3_1_cifar10_models.ipynb c43-split
def split_validation(images, labels, n_val=5000):
    """학습 데이터의 마지막 ``n_val`` 장을 검증 데이터로 떼어 냅니다."""
    labels = np.asarray(labels).reshape(-1).astype(np.int32)
    return (images[:-n_val], labels[:-n_val]), (images[-n_val:], labels[-n_val:])


def channel_stats(images):
    """채널(R, G, B)마다의 평균과 표준편차 (0–255 단위)."""
    pixels = np.asarray(images, dtype=np.float64).reshape(-1, images.shape[-1])
    return pixels.mean(axis=0), pixels.std(axis=0)
# @save-end

# @save-begin 04_3_1_cifar10_models.ipynb c43-models
layers = tf.keras.layers


def input_block(mean, std):
    """0–255 픽셀을 받아 채널마다 평균 0, 표준편차 1로 맞추는 입력부."""
    inputs = tf.keras.Input(shape=(32, 32, 3), name="image")
    variance = list(np.square(std))
    x = layers.Normalization(mean=list(mean), variance=variance, name="normalize")(inputs)
    return inputs, x


def logits_layer(x):
    """마지막 완전 연결 계층. 혼합 정밀도에서도 로짓은 float32로 냅니다."""
    return layers.Dense(10, dtype="float32", name="logits")(x)


def original_cnn(mean, std, filters=(32, 64), dense=1024, name="mnist_style"):
    """원래 장의 첫 두 모델: '5×5 합성곱 + 2×2 최대 풀링'을 ``filters`` 마다 한 번, 완전 연결, 드롭아웃.

    기본값은 MNIST 모델(합성곱 32개, 64개 + 완전 연결 1024)을 컬러 입력에 쓴 것입니다.
    """
    inputs, x = input_block(mean, std)
    for count in filters:
        x = layers.Conv2D(count, 5, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(2)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(dense, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    return tf.keras.Model(inputs, logits_layer(x), name=name)


def vgg_style_cnn(mean, std, widths=(32, 64, 128), batch_norm=False):
    """원래 장의 셋째 모델: 3×3 합성곱 세 개 + 풀링을 한 묶음으로 세 번 (VGG 방식).

    ``batch_norm=True`` 이면 합성곱마다 배치 정규화를 넣고 합성곱의 편향을 뺍니다 (사다리의 첫 칸).
    드롭아웃을 포함한 나머지는 그대로입니다.
    """
    inputs, x = input_block(mean, std)
    for filters in widths:
        for _ in range(3):
            x = layers.Conv2D(filters, 3, padding="same", use_bias=not batch_norm,
                              kernel_initializer="he_normal")(x)
            if batch_norm:
                x = BatchNorm()(x)  # 4.3의 3.1 배치 정규화 계층
            x = layers.Activation("relu")(x)
        x = layers.MaxPooling2D(2)(x)
        x = layers.Dropout(0.25)(x)
    x = layers.GlobalMaxPooling2D()(x)
    x = layers.Dense(512, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    return tf.keras.Model(inputs, logits_layer(x), name="vgg_bn" if batch_norm else "vgg_style")
# @save-end

# @save-begin A1_training_speed.ipynb c43-batchnorm
class BatchNorm(layers.Layer):
    """배치 정규화 계층. 케라스 BatchNormalization과 같은 계산을 합친 연산 하나로 합니다 (CPU에서 더 빠름)."""

    def __init__(self, momentum=0.9, epsilon=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.momentum, self.epsilon = momentum, epsilon

    def build(self, input_shape):
        def weight(name, initializer, trainable):
            # 혼합 정밀도에서도 네 변수는 float32 그대로 넘깁니다 (합친 연산이 그렇게 받습니다)
            return self.add_weight(shape=(input_shape[-1],), initializer=initializer,
                                   trainable=trainable, name=name, autocast=False)

        self.gamma = weight("gamma", "ones", True)  # 배율
        self.beta = weight("beta", "zeros", True)  # 이동
        self.moving_mean = weight("moving_mean", "zeros", False)
        self.moving_variance = weight("moving_variance", "ones", False)

    def call(self, x, training=False):
        if not (training and self.trainable):  # 추론이거나 얼린 계층: 학습 중에 모은 이동 평균으로 정규화
            y, _, _ = tf.compat.v1.nn.fused_batch_norm(
                x, self.gamma, self.beta, self.moving_mean, self.moving_variance,
                epsilon=self.epsilon, is_training=False)
            return y
        y, mean, variance = tf.compat.v1.nn.fused_batch_norm(
            x, self.gamma, self.beta, epsilon=self.epsilon, is_training=True)
        n = tf.cast(tf.size(x) // tf.shape(x)[-1], tf.float32)  # 채널마다 평균한 값의 수
        variance = variance * (n - 1) / n  # 합친 연산은 n−1로 나눈 분산을 주므로 케라스처럼 n으로 나눈 값으로
        for average, batch in [(self.moving_mean, mean), (self.moving_variance, variance)]:
            average.assign(self.momentum * average + (1 - self.momentum) * batch)
        return y

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "epsilon": self.epsilon}
# @save-end

# @save-begin 04_3_2_cifar10_ladder.ipynb c43-fastnet
def conv_bn(x, filters, pool=False):
    """합성곱 3×3 → (최대 풀링) → 배치 정규화 → ReLU. 풀링을 먼저 하면 정규화할 값이 4분의 1로 줍니다."""
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    if pool:
        x = layers.MaxPooling2D(2)(x)
    x = BatchNorm()(x)
    return layers.Activation("relu")(x)


def fast_cnn(mean, std, widths=(64, 256, 256), stem=32, global_pool=layers.GlobalMaxPooling2D):
    """airbench 처방의 구조를 따른 빠른 학습용 신경망: 얇은 첫 합성곱 뒤에 '합성곱+풀링, 합성곱' 묶음 셋.

    첫 합성곱은 airbench의 24채널 대신 32채널입니다 (4.3절 3.2: CPU의 bfloat16 배치 정규화는 채널 16개 단위에서 빠름).
    """
    inputs, x = input_block(mean, std)
    x = conv_bn(x, stem)
    for filters in widths:
        x = conv_bn(x, filters, pool=True)
        x = conv_bn(x, filters)
    x = global_pool()(x)  # 채널마다 값 하나 (기본은 전역 최대 풀링)
    x = layers.Rescaling(1 / 8)(x)  # 처음 로짓을 작게 해 학습 초반을 안정시킵니다
    return tf.keras.Model(inputs, logits_layer(x), name="fast_cnn")
# @save-end

# @save-begin 04_3_1_cifar10_models.ipynb c43-pipeline
def make_dataset(images, labels, batch_size, augment=False, shuffle=True, seed=42):
    """메모리에 둔 uint8 배열로 tf.data 파이프라인을 만듭니다. 증강은 미니배치 단위로 한 번에.

    증강의 난수는 미니배치마다 seed에서 뽑은 시드 한 쌍으로 정하므로, 병렬로 처리해도 같은 seed면 같은 증강입니다.
    """
    data = tf.data.Dataset.from_tensor_slices((images, np.asarray(labels).reshape(-1)))
    if shuffle:
        data = data.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    data = data.batch(batch_size, drop_remainder=shuffle)
    if augment:
        seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)
        data = tf.data.Dataset.zip((data, seeds)).map(
            lambda xy, s: (random_crop_flip(xy[0], seed=s), xy[1]), num_parallel_calls=tf.data.AUTOTUNE)
    data = data.map(lambda x, y: (tf.cast(x, tf.float32), tf.one_hot(y, 10)))
    return data.prefetch(tf.data.AUTOTUNE)
# @save-end

# @save-begin 04_3_2_cifar10_ladder.ipynb c43-augment
def random_crop_flip(images, pad=4, seed=None):
    """uint8 미니배치 [B, H, W, C]를 반사 패딩한 뒤 이미지마다 다른 위치에서 잘라 내고, 절반은 좌우로 뒤집습니다.

    seed(정수 두 개)를 주면 같은 seed에서 늘 같은 결과입니다 (상태 없는 난수).
    """

    def uniform(maxval, dtype, k):
        if seed is None:
            return tf.random.uniform([batch], 0, maxval, dtype=dtype)
        return tf.random.stateless_uniform([batch], seed=tf.cast(seed, tf.int64) + k, minval=0, maxval=maxval, dtype=dtype)

    shape = tf.shape(images)
    batch, height, width = shape[0], shape[1], shape[2]
    padded = tf.pad(images, [[0, 0], [pad, pad], [pad, pad], [0, 0]], mode="REFLECT")
    dy = uniform(2 * pad + 1, tf.int32, 0)
    dx = uniform(2 * pad + 1, tf.int32, 1)
    rows = dy[:, None] + tf.range(height)[None, :]  # 이미지마다 잘라 낼 행 번호
    cols = dx[:, None] + tf.range(width)[None, :]
    crops = tf.gather(padded, rows, axis=1, batch_dims=1)
    crops = tf.gather(crops, cols, axis=2, batch_dims=1)
    flip = uniform(1.0, tf.float32, 2) < 0.5
    return tf.where(flip[:, None, None, None], tf.reverse(crops, axis=[2]), crops)
# @save-end

# @save-begin 04_3_2_cifar10_ladder.ipynb c43-schedule
class OneCycle(tf.keras.optimizers.schedules.LearningRateSchedule):
    """학습률을 0에서 ``peak`` 까지 직선으로 올렸다가(워밍업) 끝에서 0이 되도록 직선으로 내립니다."""

    def __init__(self, peak, total_steps, warmup=0.2):
        self.peak, self.total = float(peak), float(total_steps)
        self.up = max(1.0, warmup * self.total)

    def __call__(self, step):
        step = tf.cast(step, tf.float32)
        rise = step / self.up
        fall = (self.total - step) / max(1.0, self.total - self.up)
        return self.peak * tf.maximum(0.0, tf.minimum(rise, fall))

    def get_config(self):
        return {"peak": self.peak, "total_steps": self.total, "warmup": self.up / self.total}
# @save-end

# @save-begin 04_3_1_cifar10_models.ipynb c43-train
def make_optimizer(recipe, steps):
    """처방 사전에서 옵티마이저를 만듭니다: 상수 학습률의 Adam, 또는 one-cycle 스케줄의 SGD(네스테로프)."""
    if recipe.get("schedule") == "one_cycle":
        rate = OneCycle(recipe["lr"], steps, recipe.get("warmup", 0.2))
        return tf.keras.optimizers.SGD(
            rate, momentum=0.9, nesterov=True, weight_decay=recipe.get("weight_decay", 5e-4)
        )
    return tf.keras.optimizers.Adam(recipe.get("lr", 1e-3))


def train(model, train_xy, val_xy, recipe, progress=None, desc="학습"):
    """처방(에포크, 미니배치, 증강, 스케줄, 레이블 스무딩)대로 학습하고 검증 정확도와 시간을 잽니다."""
    x, y = train_xy
    batch = recipe["batch_size"]
    steps = recipe["epochs"] * (len(x) // batch)
    model.compile(
        optimizer=make_optimizer(recipe, steps),
        loss=tf.keras.losses.CategoricalCrossentropy(
            from_logits=True, label_smoothing=recipe.get("label_smoothing", 0.0)
        ),
        metrics=[tf.keras.metrics.CategoricalAccuracy(name="accuracy")],
    )
    data = make_dataset(x, y, batch, augment=recipe.get("augment", False))
    callbacks = [progress(steps, desc)] if progress else []
    start = time.perf_counter()
    # 섞기는 데이터셋이 하므로 fit의 shuffle은 끕니다
    model.fit(data, epochs=recipe["epochs"], verbose=0, callbacks=callbacks, shuffle=False)
    seconds = time.perf_counter() - start
    val_accuracy = accuracy(model, *val_xy)
    return {"seconds": seconds, "images_per_s": steps * batch / seconds, "val": val_accuracy}
# @save-end

# @save-begin 04_3_1_cifar10_models.ipynb c43-eval
def predict_probs(model, images, tta=False, batch_size=1000):
    """확률 [N, 10]. ``tta=True`` 이면 원본과 좌우로 뒤집은 이미지의 확률을 평균합니다."""
    outputs = []
    for start in range(0, len(images), batch_size):
        x = tf.cast(images[start:start + batch_size], tf.float32)
        probs = tf.nn.softmax(model(x, training=False))
        if tta:
            probs = (probs + tf.nn.softmax(model(tf.reverse(x, axis=[2]), training=False))) / 2
        outputs.append(probs.numpy())
    return np.concatenate(outputs)


def accuracy(model, images, labels, tta=False):
    """정확도 (0–1)."""
    predicted = predict_probs(model, images, tta=tta).argmax(axis=1)
    return float(np.mean(predicted == np.asarray(labels).reshape(-1)))
# @save-end

# @save-begin A1_training_speed.ipynb c43-flops
def flops_per_image(model):
    """순전파 한 번의 FLOP (곱셈과 덧셈을 각각 1로, 합성곱과 완전 연결 계층만 셉니다)."""
    total = 0
    for layer in model.layers:
        if isinstance(layer, layers.Conv2D):
            h, w, c_out = layer.output.shape[1:]
            k_h, k_w, c_in, _ = layer.kernel.shape
            total += 2 * h * w * k_h * k_w * c_in * c_out
        elif isinstance(layer, layers.Dense):
            c_in, c_out = layer.kernel.shape
            total += 2 * c_in * c_out
    return int(total)
# @save-end


# ---------------------------------------------------------------- 장치: 기계의 속도와 정밀도

def use_precision(bf16: bool | None = None, verbose: bool = True) -> str:
    """전역 정밀도를 정하고 정책 이름을 돌려줍니다 (장치와 이유는 :func:`cnnbook.device.use_precision` 이 알림).

    ``bf16`` 을 주지 않으면 학습할 장치를 보고 고릅니다: GPU면 연산 능력에 따라, CPU면 bfloat16 명령에 따라.
    ``bf16=True/False`` 는 CPU 정책을 직접 정합니다.
    """
    from cnnbook import device

    choice = None
    if bf16 is not None:
        policy = "mixed_bfloat16" if bf16 else "float32"
        choice = device.Precision("CPU", "CPU", policy, "부른 쪽이 정한 정밀도입니다.")
    return device.use_precision(choice, verbose=verbose).policy


class _StepTimer(tf.keras.callbacks.Callback):
    """학습 단계마다 걸린 시간을 모읍니다.

    단계 끝 콜백이 있으면 케라스는 그 단계의 손실 값을 파이썬 수로 바꾼 뒤 부르므로, GPU에서도 계산이 끝난 시각을 잽니다.
    """

    def __init__(self):
        super().__init__()
        self.seconds: list[float] = []

    def on_train_batch_begin(self, batch, logs=None):
        self.started = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.seconds.append(time.perf_counter() - self.started)


def train_images_per_s(model, batch_size: int = 256, steps: int = 8, augment: bool = False) -> float:
    """합성 데이터로 학습해 초당 이미지 수를 돌려줍니다: 트레이싱과 첫 단계를 빼고, 단계 시간의 중앙값으로.

    ``fit`` 한 번의 전체 시간으로 재면 데이터셋 준비와 에포크 끝의 일까지 섞여 신경망 사이의 차이가 흐려집니다.
    """
    rng = np.random.default_rng(0)
    n = batch_size * (steps + 1)
    x = rng.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)
    y = rng.integers(0, 10, n)
    model.compile(
        optimizer=tf.keras.optimizers.SGD(0.01, momentum=0.9),
        loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True),
    )
    data = make_dataset(x, y, batch_size, augment=augment)
    model.fit(data.take(2), verbose=0, shuffle=False)  # 트레이싱
    timer = _StepTimer()
    model.fit(data, verbose=0, shuffle=False, callbacks=[timer])
    return batch_size / float(np.median(timer.seconds[1:]))


def pipeline_images_per_s(images, labels, batch_size: int = 512, augment: bool = True, batches: int = 40) -> float:
    """모델 없이 tf.data 파이프라인만 돌려 초당 이미지 수를 잽니다."""
    data = make_dataset(images, labels, batch_size, augment=augment).repeat()
    iterator = iter(data)
    next(iterator)
    start = time.perf_counter()
    for _ in range(batches):
        next(iterator)
    return batch_size * batches / (time.perf_counter() - start)


# ---------------------------------------------------------------- 장치: 학습된 모델 캐시
#
# 결정은 검증 데이터로만 합니다: 저장할 때의 기준 표시, 불러올 때의 다시 확인 모두 split_validation이 떼어 낸
# 학습 데이터의 마지막 5,000장을 씁니다. 테스트 정확도는 다 만든 모델마다 한 번 재서 설명(info)에 적을 뿐입니다.
# 독자의 학습은 버리지 않습니다: 기준에 못 미친 모델도 표시를 달아 저장하고, 다시 확인에서 탈락한 캐시는
# 지우지 않고 옆으로 치워 둡니다(weights_file.set_aside).

FORMAT_VERSION = 3  # 3: 검증 정확도로 확인하고 학습 코드의 지문을 적음 (2: 첫 합성곱 32채널, 1: 24채널)
FULL_FILE = "cifar_cnn.weights.npz"
PARTIAL_FILE = "cifar_cnn_partial.weights.npz"  # 빠른 모드나 일부 데이터로 학습한 가중치
# 4.3절의 맨 위 칸 처방: fast_cnn, 미니배치 512, 증강, one-cycle SGD(네스테로프), 레이블 스무딩 0.2
RECIPE = {
    "epochs": 12,
    "batch_size": 512,
    "augment": True,
    "schedule": "one_cycle",
    "lr": 0.4,
    "warmup": 0.2,
    "weight_decay": 5e-4,
    "label_smoothing": 0.2,
}
N_VAL = 5000  # split_validation의 기본값: 학습 데이터의 마지막 5,000장
# 기준 기계(4.3절 전체 모드, 커밋 ca7f166)에서 RECIPE로 학습한 모델의 검증 정확도 (뒤집기 평균 없이).
# 같은 모델의 테스트 정확도는 90.5%였지만 기준을 정하는 데는 쓰지 않습니다.
REFERENCE_VAL = 0.911
# 검증 5,000장으로 잰 정확도 하나의 표준 오차는 sqrt(p(1-p)/5000) ≈ 0.4%p입니다. 기준은 기준 기계의 값에서 그
# 세 배를 빼고 0.5%p 단위로 내린 89.5%입니다: 기준 기계만큼 좋은 모델이 검증 표본의 잡음만으로 이 아래로 떨어질
# 확률은 0.2%보다 작습니다 (시드 사이의 흔들림은 여기에 넣지 않았습니다).
VAL_FLOOR = math.floor(200 * (REFERENCE_VAL - 3 * math.sqrt(REFERENCE_VAL * (1 - REFERENCE_VAL) / N_VAL))) / 200
PARTIAL_VAL_FLOOR = 0.20  # 일부만 학습한 가중치: 찍기(10%, 5,000장에서 표준 오차 0.4%p)보다 분명히 나아야 함
# 불러온 가중치로 다시 잰 검증 정확도가 적어 둔 값과 이만큼 넘게 다르면 그 파일의 가중치가 아니라고 봅니다
# (정밀도 정책이 달라 생기는 차이는 이보다 훨씬 작습니다).
RECHECK_TOLERANCE = 0.01
CODE_CHANGED = "학습 코드나 처방이 바뀌어 다시 학습합니다"


@dataclass(frozen=True)
class Choice:
    """:func:`trained_cifar_cnn` 이 돌려줄 수 있는 모델 하나: 캐시 파일, 모델 만들기, 학습, 코드 지문, 기준."""

    name: str
    label: str  # 한국어 이름 (알림에 씀)
    full_file: str
    partial_file: str
    build: Callable  # 설명(info) → 가중치를 채우기 전의 모델
    train: Callable  # (epochs=, train_size=, verbose=) → (모델, 설명)
    code: Callable  # () → 학습 코드와 처방의 지문
    floor: float  # 전체 학습한 모델의 검증 정확도 기준


def _lesson_model(info):
    return fast_cnn(np.array(info["mean"]), np.array(info["std"]))


def _choices() -> dict:
    from cnnbook import speedrun  # speedrun 이 이 모듈을 불러오므로 여기서

    return {
        "lesson": Choice("lesson", "4.3의 맨 위 칸", FULL_FILE, PARTIAL_FILE, _lesson_model,
                         lambda **kw: train_cifar_model(**kw), lambda: training_code_hash(), VAL_FLOOR),
        "speedrun": speedrun._choice(),
    }


def choice_of(which: str) -> Choice:
    """이름으로 고른 모델: "lesson"(4.3의 맨 위 칸, 기본) 또는 "speedrun"(부록 A.2의 맨 위 칸)."""
    choices = _choices()
    require(which in choices, f"알 수 없는 모델 이름입니다: {which!r} (고를 수 있는 것: {', '.join(choices)}).")
    return choices[which]


def val_floor(partial: bool, which: str = "lesson") -> float:
    """캐시 가중치가 넘어야 하는 **검증** 정확도: 전체 학습은 그 모델의 기준(4.3은 :data:`VAL_FLOOR`),
    일부 학습은 :data:`PARTIAL_VAL_FLOOR`."""
    return PARTIAL_VAL_FLOOR if partial else choice_of(which).floor


def training_code_hash() -> str:
    """가중치를 만든 강의 코드(데이터 나누기, 모델, 파이프라인, 증강, 스케줄, 학습)와 :data:`RECIPE` 의 지문."""
    return code_hash(
        split_validation, channel_stats, input_block, logits_layer, BatchNorm, conv_bn, fast_cnn,
        make_dataset, random_crop_flip, OneCycle, make_optimizer, train, RECIPE,
    )


def _warn(message: str) -> None:
    print(f"⚠️ {message}", file=sys.stderr)


def _stamped(info: dict, which: str = "lesson") -> dict:
    """저장할 설명: 검증 정확도를 확인하고 형식, 코드 지문, 기준, 기준 미달 표시를 더합니다."""
    info = dict(info)
    value = info.get("val_accuracy")
    require(
        isinstance(value, (int, float, np.floating)) and not isinstance(value, bool) and 0 <= value <= 1,
        "설명(info)에 검증 정확도(val_accuracy, 0–1 사이의 수)가 필요합니다.",
    )
    require("mean" in info and "std" in info, "설명(info)에 채널 평균(mean)과 표준편차(std)가 필요합니다.")
    images = info.get("val_images", N_VAL)
    require(isinstance(images, (int, np.integer)) and not isinstance(images, bool) and 0 < images <= N_VAL,
            f"설명(info)의 검증 이미지 수(val_images) {images!r}이(가) 올바르지 않습니다 (1–{N_VAL}).")
    images = int(images)
    floor = val_floor(bool(info.get("partial")), which)
    info.update(val_accuracy=float(value), val_images=images, val_floor=floor, below_floor=float(value) < floor,
                format=FORMAT_VERSION, code=choice_of(which).code(), model=which)
    return info


def save_cifar_weights(model, info: dict, path: Path | str | None = None, which: str = "lesson") -> Path:
    """모델 가중치와 설명(처방, 정규화 통계, 검증 정확도)을 캐시에 저장하고 경로를 돌려줍니다.

    ``info`` 에는 ``val_accuracy`` (검증 이미지 ``val_images`` 장, 기본 5,000장으로 잰 정확도), ``mean``,
    ``std`` 가 있어야 합니다. 검증 정확도가 기준(:func:`val_floor`)보다 낮아도 버리지 않고
    ``below_floor=True`` 를 달아 저장하며 한국어 경고를 냅니다. 학습 코드의 지문(``code``)을 함께 적습니다.
    """
    info = _stamped(info, which)
    if info["below_floor"]:
        _warn(f"{choice_of(which).label}: 검증 정확도 {info['val_accuracy']:.2%}가 기준 {info['val_floor']:.1%}보다 낮습니다. 학습이 덜 되었거나 "
              "처방이 달라졌을 수 있습니다. 이 모델도 버리지 않고 '기준 미달'(below_floor) 표시를 달아 저장합니다.")
    if path is None:
        spec = choice_of(which)
        path = cache_dir() / (spec.partial_file if info.get("partial") else spec.full_file)
    return write_weights(path, model.get_weights(), info)


def load_cifar_weights(path: Path | str) -> tuple[list[np.ndarray], dict]:
    """캐시 파일을 읽어 (가중치 목록, 설명 사전)을 돌려줍니다. 문제가 있으면 한국어 BookError."""
    return read_weights(path, FORMAT_VERSION)


def _data(train_size: int | None):
    """(학습 이미지, 레이블), (검증 이미지, 레이블), (테스트 이미지, 레이블). 검증은 언제나 같은 5,000장입니다."""
    import cnnbook

    (x_train, y_train), (x_test, y_test) = cnnbook.load_cifar10()
    (x_fit, y_fit), val_xy = split_validation(x_train, y_train, N_VAL)
    n = len(x_fit) if train_size is None else int(train_size)
    require(0 < n <= len(x_fit), f"학습 이미지 수 {n}이(가) 올바르지 않습니다 (1–{len(x_fit)}).")
    test_y = np.asarray(y_test).reshape(-1).astype(np.int32)
    return (x_fit[:n], y_fit[:n]), val_xy, (x_test, test_y)


def train_cifar_model(epochs: int | None = None, train_size: int | None = None, verbose: bool = True):
    """4.3절 맨 위 칸의 처방으로 새로 학습해 (모델, 설명 사전)을 돌려줍니다.

    검증 정확도는 검증 5,000장 전체로 잽니다. 테스트 정확도는 다 만든 모델의 보고용으로 한 번만 잽니다.
    """
    import cnnbook
    from cnnbook.progress import keras_progress

    (x_fit, y_fit), val_xy, (x_test, y_test) = _data(train_size)
    recipe = dict(RECIPE, epochs=RECIPE["epochs"] if epochs is None else int(epochs))
    require(recipe["epochs"] > 0, f"에포크 수 {recipe['epochs']}이(가) 올바르지 않습니다.")
    if len(x_fit) < 10_000:  # 일부 데이터로 짧게 학습할 때는 단계 수를 늘리려고 미니배치를 줄입니다
        recipe["batch_size"] = 64
    precision = use_precision(verbose=verbose)
    mean, std = channel_stats(x_fit)
    cnnbook.seed_everything()
    model = fast_cnn(mean, std)
    progress = keras_progress if verbose else None
    result = train(model, (x_fit, y_fit), val_xy, recipe, progress=progress, desc="CIFAR-10 모델 학습")
    info = {
        "recipe": recipe,
        "precision": getattr(precision, "policy", precision),
        "mean": [float(v) for v in mean],
        "std": [float(v) for v in std],
        "train_images": len(x_fit),
        "seconds": round(result["seconds"], 1),
        "val_accuracy": result["val"],
        "val_images": len(val_xy[0]),
        "test_accuracy": accuracy(model, x_test, y_test),  # 보고용: 어떤 결정에도 쓰지 않습니다
        "partial": len(x_fit) < 45_000 or recipe["epochs"] < RECIPE["epochs"],
        "trained_by": "cnnbook.cifar.train_cifar_model",
    }
    return model, info


def _load_checked(path: Path, verbose: bool, which: str = "lesson"):
    """캐시 파일을 읽고 코드 지문과 검증 정확도를 다시 확인해 모델을 돌려줍니다.

    쓸 수 없으면 이유를 알리고 파일을 옆으로 치운 뒤(지우지 않음) ``None``. 검증 데이터를 읽지 못한 오류는
    파일 탓이 아니므로 파일을 그대로 두고 그 오류를 그대로 냅니다.
    """
    try:
        weights, info = load_cifar_weights(path)
    except BookError as error:
        set_aside(path, f"저장된 가중치를 쓸 수 없어 새로 학습합니다. 이유: {error}")
        return None
    spec = choice_of(which)
    code = spec.code()
    if info.get("code") != code:
        _warn(f"{spec.label}: {CODE_CHANGED} (이 가중치를 만든 코드 {info.get('code')}, 지금 코드 {code}).")
        set_aside(path, CODE_CHANGED)
        return None
    try:
        model = spec.build(info)
        model.set_weights(weights)
        recorded, images = float(info["val_accuracy"]), int(info.get("val_images", N_VAL))
    except (ValueError, KeyError, TypeError) as error:
        set_aside(path, f"가중치나 설명이 모델과 맞지 않아 새로 학습합니다 ({type(error).__name__}: {error}).")
        return None
    _, (x_val, y_val), _ = _data(None)  # 데이터 오류는 여기서 그대로 나갑니다
    measured = accuracy(model, x_val[:images], y_val[:images])
    if abs(measured - recorded) > RECHECK_TOLERANCE:
        set_aside(path, f"다시 잰 검증 정확도 {measured:.2%}가 저장할 때 적은 {recorded:.2%}와 달라 새로 학습합니다.")
        return None
    floor = val_floor(bool(info.get("partial")), which)
    if measured < floor:
        _warn(f"저장된 {spec.label} 모델의 검증 정확도 {measured:.2%}는 기준 {floor:.1%}보다 낮지만, 버리지 않고 그대로 씁니다. "
              f"새로 학습하려면 cnnbook.trained_cifar_cnn({which!r}, retrain=True)를 실행하세요.")
    model.cache_info = dict(info, path=str(path), measured_val_accuracy=measured, below_floor=measured < floor)
    if verbose:
        print(f"저장된 가중치를 불러왔습니다 (검증 이미지 {images:,}장 정확도 {measured:.2%}).")
    return model


def trained_cifar_cnn(which: str = "lesson", *, retrain: bool = False, epochs: int | None = None,
                      train_size: int | None = None, verbose: bool = True):
    """학습된 CIFAR-10 모델(케라스 모델, 출력은 로짓)을 돌려줍니다. ``model.cache_info`` 에 설명이 있습니다.

    ``which``: "lesson"이면 4.3의 맨 위 칸(``fast_cnn``), "speedrun"이면 부록 A.2의 맨 위 칸. 둘은 캐시 파일이 따로입니다.
    캐시에 전체 학습 가중치가 있으면 읽은 뒤, 그 가중치를 만든 학습 코드와 처방이 지금과 같은지, 검증 데이터로
    다시 잰 정확도가 저장할 때 적은 값과 같은지 확인합니다. 빠른 모드에서는 일부만 학습한 가중치도 받아들이고,
    새로 학습할 때는 이미지 2,000장으로 4 에포크만 합니다. 쓸 가중치가 없으면 새로 학습해 저장합니다.
    확인에서 탈락한 파일은 지우지 않고 옆으로 치워 둡니다. 검증 정확도가 기준(:func:`val_floor`)에 못 미친 모델도
    버리지 않고 경고와 함께 돌려줍니다(``model.cache_info['below_floor']``).
    """
    import cnnbook

    spec = choice_of(which)
    folder = cache_dir()
    candidates = [folder / spec.full_file] + ([folder / spec.partial_file] if cnnbook.is_fast() else [])
    if not retrain:
        for path in candidates:
            if path.is_file():
                model = _load_checked(path, verbose, which)
                if model is not None:
                    return model
    if cnnbook.is_fast():
        epochs = 4 if epochs is None else epochs
        train_size = 2000 if train_size is None else train_size
    if verbose:
        print(f"캐시에 {spec.label}의 쓸 수 있는 가중치가 없어 새로 학습합니다.")
    model, info = spec.train(epochs=epochs, train_size=train_size, verbose=verbose)
    path = save_cifar_weights(model, info, which=which)  # 기준에 못 미쳐도 표시를 달아 저장합니다
    model.cache_info = dict(_stamped(info, which), path=str(path))
    if verbose:
        info = model.cache_info
        test = f", 보고용 테스트 정확도 {info['test_accuracy']:.2%}" if "test_accuracy" in info else ""
        print(f"검증 정확도 {info['val_accuracy']:.2%}(기준 {info['val_floor']:.1%}){test}. 가중치를 캐시에 저장했습니다.")
    return model


# @save-begin 04_3_1_cifar10_models.ipynb c43-describe
def describe(model, recipe):
    """한 칸의 설정: 신경망의 구성과, 처방으로 실제로 만든 옵티마이저의 값."""
    optimizer = make_optimizer(recipe, steps=1000)
    config = optimizer.get_config()
    rate = config["learning_rate"]
    if isinstance(rate, dict):  # 스케줄이면 직렬화한 설정에서 최댓값과 워밍업을 읽습니다
        rate = f"one-cycle (최댓값 {rate['config']['peak']:g}, 워밍업 {rate['config']['warmup']:.0%})"
    else:
        rate = f"상수 {rate:.3g}"
    dropout = [f"{layer.rate:g}" for layer in model.layers if isinstance(layer, layers.Dropout) and layer.rate > 0]
    return {
        "신경망": model.name,
        "배치 정규화 계층": sum("BatchNorm" in type(layer).__name__ for layer in model.layers),
        "드롭아웃": ", ".join(dropout) or "없음",
        "옵티마이저": type(optimizer).__name__ + (" (네스테로프)" if config.get("nesterov") else ""),
        "학습률": rate,
        "가중치 감쇠": config.get("weight_decay") or 0,
        "미니배치": recipe["batch_size"],
        "에포크": recipe["epochs"],
        "증강": "자르기+뒤집기" if recipe.get("augment") else "없음",
        "레이블 스무딩": recipe.get("label_smoothing", 0.0),
    }


def changes(old, new):
    """두 설정 사전에서 달라진 항목만 '항목: 전 → 후'로 적습니다 (앞에 없던 항목은 '항목: 후')."""
    parts = [f"{key}: {old[key]} → {value}" if key in old else f"{key}: {value}"
             for key, value in new.items() if old.get(key) != value]
    return "; ".join(parts) or "없음"
# @save-end


def cached_info(which: str = "lesson") -> dict | None:
    """학습하지 않고, 캐시에 지금 코드로 만든 가중치가 있으면 그 설명(info)을, 없으면 None을 돌려줍니다.

    빠른 모드에서는 일부만 학습한 파일도 봅니다. 그림에 다른 장의 결과를 곁들일 때 씁니다.
    """
    import cnnbook

    spec = choice_of(which)
    names = [spec.full_file] + ([spec.partial_file] if cnnbook.is_fast() else [])
    for name in names:
        path = cache_dir() / name
        if not path.is_file():
            continue
        try:
            _, info = load_cifar_weights(path)
        except BookError:
            continue
        if info.get("code") == spec.code():
            return info
    return None
