"""4.3절 CIFAR-10: 모델, 데이터 파이프라인(증강), 학습률 스케줄, 학습 반복, 뒤집기 평균(TTA).

두 표시 줄(save-begin, save-end) 사이는 4.3절 노트북의 ``#@save cnnbook/cifar.py`` 셀을 그대로 옮긴
강의 코드입니다(노트북이 원본). 그 밖의 부분은 장치입니다: 행렬 곱 천장 재기, bfloat16 지원 알아내기,
학습된 모델 캐시(:func:`trained_cifar_cnn`).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import tensorflow as tf

from cnnbook.errors import BookError, require
from cnnbook.machine import REFERENCE_GFLOPS, cpu_flags, has_native_bf16, matmul_gflops, scaled_seconds  # noqa: F401
from cnnbook.weights_file import cache_dir, read_weights, write_weights  # 모든 장이 같은 캐시 폴더를 씁니다

# @save-begin 04_3_cifar10.ipynb c43-split
def split_validation(images, labels, n_val=5000):
    """학습 데이터의 마지막 ``n_val`` 장을 검증 데이터로 떼어 냅니다."""
    labels = np.asarray(labels).reshape(-1).astype(np.int32)
    return (images[:-n_val], labels[:-n_val]), (images[-n_val:], labels[-n_val:])


def channel_stats(images):
    """채널(R, G, B)마다의 평균과 표준편차 (0–255 단위)."""
    pixels = np.asarray(images, dtype=np.float64).reshape(-1, images.shape[-1])
    return pixels.mean(axis=0), pixels.std(axis=0)
# @save-end

# @save-begin 04_3_cifar10.ipynb c43-models
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

    ``batch_norm=True`` 이면 합성곱마다 배치 정규화를 넣습니다 (사다리의 첫 칸).
    """
    inputs, x = input_block(mean, std)
    for filters in widths:
        for _ in range(3):
            x = layers.Conv2D(filters, 3, padding="same", use_bias=not batch_norm,
                              kernel_initializer="he_normal")(x)
            if batch_norm:
                x = BatchNorm()(x)  # 3.1절의 배치 정규화 계층
            x = layers.Activation("relu")(x)
        x = layers.MaxPooling2D(2)(x)
        x = layers.Dropout(0.0 if batch_norm else 0.25)(x)
    x = layers.GlobalMaxPooling2D()(x)
    x = layers.Dense(512, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    return tf.keras.Model(inputs, logits_layer(x), name="vgg_bn" if batch_norm else "vgg_style")
# @save-end

# @save-begin 04_3_cifar10.ipynb c43-batchnorm
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
        if not training:  # 추론: 학습 중에 모은 이동 평균으로 정규화
            y, _, _ = tf.compat.v1.nn.fused_batch_norm(
                x, self.gamma, self.beta, self.moving_mean, self.moving_variance,
                epsilon=self.epsilon, is_training=False)
            return y
        y, mean, variance = tf.compat.v1.nn.fused_batch_norm(
            x, self.gamma, self.beta, epsilon=self.epsilon, is_training=True)
        for average, batch in [(self.moving_mean, mean), (self.moving_variance, variance)]:
            average.assign(self.momentum * average + (1 - self.momentum) * batch)
        return y

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "epsilon": self.epsilon}
# @save-end

# @save-begin 04_3_cifar10.ipynb c43-fastnet
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

# @save-begin 04_3_cifar10.ipynb c43-pipeline
def make_dataset(images, labels, batch_size, augment=False, shuffle=True, seed=42):
    """메모리에 둔 uint8 배열로 tf.data 파이프라인을 만듭니다. 증강은 미니배치 단위로 한 번에."""
    data = tf.data.Dataset.from_tensor_slices((images, np.asarray(labels).reshape(-1)))
    if shuffle:
        data = data.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    data = data.batch(batch_size, drop_remainder=shuffle)
    if augment:
        data = data.map(lambda x, y: (random_crop_flip(x), y), num_parallel_calls=tf.data.AUTOTUNE)
    data = data.map(lambda x, y: (tf.cast(x, tf.float32), tf.one_hot(y, 10)))
    return data.prefetch(tf.data.AUTOTUNE)
# @save-end

# @save-begin 04_3_cifar10.ipynb c43-augment
def random_crop_flip(images, pad=4):
    """uint8 미니배치 [B, H, W, C]를 반사 패딩한 뒤 이미지마다 다른 위치에서 잘라 내고, 절반은 좌우로 뒤집습니다."""
    shape = tf.shape(images)
    batch, height, width = shape[0], shape[1], shape[2]
    padded = tf.pad(images, [[0, 0], [pad, pad], [pad, pad], [0, 0]], mode="REFLECT")
    dy = tf.random.uniform([batch], 0, 2 * pad + 1, dtype=tf.int32)
    dx = tf.random.uniform([batch], 0, 2 * pad + 1, dtype=tf.int32)
    rows = dy[:, None] + tf.range(height)[None, :]  # 이미지마다 잘라 낼 행 번호
    cols = dx[:, None] + tf.range(width)[None, :]
    crops = tf.gather(padded, rows, axis=1, batch_dims=1)
    crops = tf.gather(crops, cols, axis=2, batch_dims=1)
    flip = tf.random.uniform([batch]) < 0.5
    return tf.where(flip[:, None, None, None], tf.reverse(crops, axis=[2]), crops)
# @save-end

# @save-begin 04_3_cifar10.ipynb c43-schedule
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

# @save-begin 04_3_cifar10.ipynb c43-train
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

# @save-begin 04_3_cifar10.ipynb c43-eval
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

# @save-begin 04_3_cifar10.ipynb c43-flops
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

def use_precision(bf16: bool | None = None) -> str:
    """전역 정밀도를 정하고 그 이름을 돌려줍니다: bf16을 지원하면 ``mixed_bfloat16``, 아니면 ``float32``."""
    bf16 = has_native_bf16() if bf16 is None else bf16
    policy = "mixed_bfloat16" if bf16 else "float32"
    tf.keras.mixed_precision.set_global_policy(policy)
    return policy


class _StepTimer(tf.keras.callbacks.Callback):
    """학습 단계마다 걸린 시간을 모읍니다."""

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
    timer.seconds = []
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

FORMAT_VERSION = 2  # 2: fast_cnn의 첫 합성곱이 32채널 (1은 24채널)
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
ACCURACY_FLOOR = 0.90  # 전체 학습 가중치가 넘어야 하는 테스트 정확도 (뒤집기 평균 없이)
PARTIAL_FLOOR = 0.20  # 일부만 학습한 가중치 (찍기 10%보다는 분명히 나아야 함)


def _floor(info: dict) -> float:
    return PARTIAL_FLOOR if info.get("partial") else ACCURACY_FLOOR


def save_cifar_weights(model, info: dict, path: Path | str | None = None) -> Path:
    """모델 가중치와 설명(처방, 정규화 통계, 테스트 정확도)을 캐시에 저장합니다.

    저장하기 전에 설명의 테스트 정확도가 기준(전체 0.90, 일부 학습 0.20)을 넘는지 확인합니다.
    """
    info = dict(info)
    accuracy_value = info.get("test_accuracy")
    require(isinstance(accuracy_value, float), "설명(info)에 테스트 정확도(test_accuracy)가 필요합니다.")
    require(
        accuracy_value >= _floor(info),
        f"테스트 정확도 {accuracy_value:.2%} 가 기준 {_floor(info):.0%} 보다 낮아 저장하지 않습니다.",
    )
    require("mean" in info and "std" in info, "설명(info)에 채널 평균(mean)과 표준편차(std)가 필요합니다.")
    info["format"] = FORMAT_VERSION
    if path is None:
        path = cache_dir() / (PARTIAL_FILE if info.get("partial") else FULL_FILE)
    return write_weights(path, model.get_weights(), info)


def load_cifar_weights(path: Path | str) -> tuple[list[np.ndarray], dict]:
    """캐시 파일을 읽어 (가중치 목록, 설명 사전)을 돌려줍니다. 문제가 있으면 한국어 BookError."""
    return read_weights(path, FORMAT_VERSION)


def _data(train_size: int | None, test_size: int | None):
    import cnnbook

    (x_train, y_train), (x_test, y_test) = cnnbook.load_cifar10()
    (x_fit, y_fit), val_xy = split_validation(x_train, y_train)
    n = len(x_fit) if train_size is None else int(train_size)
    m = len(x_test) if test_size is None else int(test_size)
    require(0 < n <= len(x_fit) and 0 < m <= len(x_test), f"이미지 수 {n}, {m} 이(가) 올바르지 않습니다.")
    test_y = np.asarray(y_test).reshape(-1).astype(np.int32)
    return (x_fit[:n], y_fit[:n]), val_xy, (x_test[:m], test_y[:m])


def train_cifar_model(epochs: int | None = None, train_size: int | None = None, verbose: bool = True):
    """4.3절 맨 위 칸의 처방으로 새로 학습해 (모델, 설명 사전)을 돌려줍니다."""
    import cnnbook
    from cnnbook.progress import keras_progress

    (x_fit, y_fit), val_xy, (x_test, y_test) = _data(train_size, None)
    recipe = dict(RECIPE, epochs=RECIPE["epochs"] if epochs is None else int(epochs))
    if len(x_fit) < 10_000:  # 일부 데이터로 짧게 학습할 때는 단계 수를 늘리려고 미니배치를 줄입니다
        recipe["batch_size"] = 64
    precision = use_precision()
    mean, std = channel_stats(x_fit)
    cnnbook.seed_everything()
    model = fast_cnn(mean, std)
    progress = keras_progress if verbose else None
    result = train(model, (x_fit, y_fit), val_xy, recipe, progress=progress, desc="CIFAR-10 모델 학습")
    info = {
        "recipe": recipe,
        "precision": precision,
        "mean": [float(v) for v in mean],
        "std": [float(v) for v in std],
        "train_images": len(x_fit),
        "seconds": round(result["seconds"], 1),
        "val_accuracy": result["val"],
        "test_accuracy": accuracy(model, x_test, y_test),
        "partial": len(x_fit) < 45_000 or recipe["epochs"] < RECIPE["epochs"],
        "trained_by": "cnnbook.cifar.train_cifar_model",
    }
    return model, info


def trained_cifar_cnn(*, retrain: bool = False, epochs: int | None = None, train_size: int | None = None,
                      verbose: bool = True):
    """학습된 4.3절 모델(케라스 모델, 출력은 로짓)을 돌려줍니다. ``model.cache_info`` 에 설명이 있습니다.

    캐시에 전체 학습 가중치가 있으면 읽은 뒤 테스트 데이터로 다시 재어 기준(0.90)을 넘는지 확인합니다.
    빠른 모드에서는 일부만 학습한 가중치도 받아들이고, 새로 학습할 때는 이미지 2,000장으로 4 에포크만 합니다.
    쓸 가중치가 없거나 손상되었으면 알리고 새로 학습해 저장합니다.
    """
    import cnnbook

    folder = cache_dir()
    candidates = [folder / FULL_FILE] + ([folder / PARTIAL_FILE] if cnnbook.is_fast() else [])
    if not retrain:
        for path in candidates:
            if not path.is_file():
                continue
            try:
                weights, info = load_cifar_weights(path)
                model = fast_cnn(np.array(info["mean"]), np.array(info["std"]))
                model.set_weights(weights)
                problem = None
            except (BookError, ValueError, KeyError) as error:
                problem = error
            if problem is None:
                # 데이터를 읽지 못한 오류는 파일 탓이 아니므로 파일을 두고 그대로 냅니다
                _, _, (x_test, y_test) = _data(None, 2000 if info.get("partial") else None)
                measured = accuracy(model, x_test, y_test)
                if measured < _floor(info) - 0.01:
                    problem = f"다시 잰 테스트 정확도 {measured:.2%} 가 기준 {_floor(info):.0%} 보다 낮습니다."
            if problem is not None:
                print(f"⚠️ 저장된 가중치를 쓸 수 없어 그 파일을 지우고 새로 학습합니다. 이유: {problem}", file=sys.stderr)
                path.unlink(missing_ok=True)
                continue
            model.cache_info = dict(info, path=str(path), measured_accuracy=measured)
            if verbose:
                print(f"저장된 가중치를 불러왔습니다: {path}, 테스트 정확도 {measured:.2%}")
            return model
    if cnnbook.is_fast():
        epochs = 4 if epochs is None else epochs
        train_size = 2000 if train_size is None else train_size
    if verbose:
        print("캐시에 학습된 가중치가 없어 새로 학습합니다.")
    model, info = train_cifar_model(epochs=epochs, train_size=train_size, verbose=verbose)
    path = save_cifar_weights(model, info)
    model.cache_info = dict(info, path=str(path))
    if verbose:
        print(f"테스트 정확도 {info['test_accuracy']:.2%}, 가중치를 저장했습니다: {path}")
    return model
