"""부록 A.2: 빠른 CIFAR-10 처방(airbench)을 한 가지씩 CPU에서 재 보기.

두 표시 줄(save-begin, save-end) 사이는 부록 A.2 노트북의 ``#@save cnnbook/speedrun.py`` 셀을 그대로 옮긴 강의
코드입니다(노트북이 원본). 처방의 사실(하이퍼파라미터, 화이트닝, 룩어헤드, 번갈아 뒤집기, TTA)은 airbench
(Jordan 2024, arXiv:2404.00498)의 공개 코드와 논문에서 가져왔고, 코드는 이 책의 것입니다. 그 밖의 부분은 장치입니다:
칸의 설정을 표로 적는 :func:`describe`, 부록의 맨 위 처방으로 학습하는 :func:`train_best_model`.
"""
from __future__ import annotations

import math
import time

import numpy as np
import tensorflow as tf

from cnnbook.cifar import BatchNorm, accuracy, input_block, logits_layer
from cnnbook.errors import require

layers = tf.keras.layers

# @save-begin A2_fast_cifar.ipynb sr-schedule
def lr_multiplier(step, total, warmup=0.23, start=0.2, end=0.07):
    """학습률 배수: 처음 23%의 단계에서 0.2 → 1로 올리고, 나머지 단계에서 1 → 0.07로 내립니다."""
    up = max(1, int(total * warmup))
    if step < up:
        return start + (1 - start) * step / up
    return 1 + (end - 1) * (step - up) / max(1, total - up)


def param_groups(model, recipe):
    """학습할 변수마다 (학습률, 가중치 감쇠 계수).

    airbench는 학습률과 감쇠를 '이미지 1,024장마다, 모멘텀이 키우는 걸음을 뺀' 값으로 적습니다. 그래서 모멘텀이
    걸음을 키우는 만큼(1 + 1/(1 − m)) 나누고, 감쇠는 학습률과 곱해서 늘 같은 양이 되도록 학습률로 나눠 둡니다.
    배치 정규화의 이동(beta)은 학습률만 ``bias_scale`` 배입니다.
    """
    unit = 1024 * (1 + 1 / (1 - recipe["momentum"]))
    lr = recipe["lr"] / unit
    decay = recipe["weight_decay"] * recipe["batch_size"] / unit
    groups = []
    for variable in model.trainable_variables:
        rate = lr * recipe["bias_scale"] if variable.name == "beta" else lr
        groups.append((rate, decay / rate))
    return groups
# @save-end

# @save-begin A2_fast_cifar.ipynb sr-augment
def epoch_images(padded, flipped, rng, pad):
    """한 에포크에 보여 줄 이미지: 반사 패딩한 이미지에서 이미지마다 다른 자리의 원래 크기 창을 잘라 내고,
    ``flipped`` 가 참인 이미지만 좌우로 뒤집습니다. uint8 그대로 NumPy로 합니다."""
    size = padded.shape[1] - 2 * pad
    dy, dx = rng.integers(0, 2 * pad + 1, size=(2, len(padded)))
    out = np.empty((len(padded), size, size, padded.shape[-1]), padded.dtype)
    for i in range(2 * pad + 1):
        for j in range(2 * pad + 1):
            chosen = (dy == i) & (dx == j)
            out[chosen] = padded[chosen, i:i + size, j:j + size]
    out[flipped] = out[flipped, :, ::-1]
    return out


def next_flips(flipped, rng, alternate):
    """다음 에포크에 뒤집을 이미지. 번갈아 뒤집기면 이번에 뒤집지 않은 이미지 전부, 아니면 새로 고른 무작위 절반."""
    return ~flipped if alternate else rng.random(len(flipped)) < 0.5
# @save-end

# @save-begin A2_fast_cifar.ipynb sr-lookahead
class Lookahead:
    """가중치의 느린 사본. 몇 단계마다 사본을 지금 가중치 쪽으로 (1 − decay)만큼 옮기고 지금 가중치를 사본으로 되돌립니다.

    decay가 0이면 아무 일도 하지 않고, 1에 가까울수록 긴 평균입니다. 배치 정규화의 이동 평균도 함께 평균합니다.
    """

    def __init__(self, model):
        self.model = model
        self.slow = [tf.Variable(w) for w in model.weights]
        self.updates = 0

    def update(self, decay):
        for slow, weight in zip(self.slow, self.model.weights):
            slow.assign(slow + (1 - decay) * (weight - slow))
            weight.assign(slow)
        self.updates += 1


def lookahead_decay(step, total):
    """airbench의 decay: 0.95⁵ × (진행 비율)³. 처음에는 거의 0(평균 없음), 끝에서 약 0.77."""
    return 0.95 ** 5 * (step / total) ** 3
# @save-end

# @save-begin A2_fast_cifar.ipynb sr-train
def make_step(model, recipe, skip=()):
    """미니배치 하나로 네스테로프 SGD 한 단계를 하는 함수. ``skip`` 의 변수는 바꾸지 않습니다."""
    variables = model.trainable_variables
    rates, decays = zip(*param_groups(model, recipe))
    velocity = [tf.Variable(tf.zeros_like(v), trainable=False) for v in variables]
    momentum = recipe["momentum"]
    loss_fn = tf.keras.losses.CategoricalCrossentropy(
        from_logits=True, label_smoothing=recipe["label_smoothing"], reduction="sum")  # 미니배치의 합
    skipped = {id(v) for v in skip}

    @tf.function
    def step(images, labels, multiplier):
        with tf.GradientTape() as tape:
            loss = loss_fn(tf.one_hot(labels, 10), model(images, training=True))
        grads = tape.gradient(loss, variables)
        for v, g, buffer, rate, decay in zip(variables, grads, velocity, rates, decays):
            if id(v) in skipped:
                continue
            g = g + decay * v  # 가중치 감쇠
            buffer.assign(momentum * buffer + g)
            v.assign_sub(rate * multiplier * (g + momentum * buffer))  # 네스테로프: 한 걸음 앞의 방향
        return loss

    return step


def train_fast(model, train_xy, val_xy, recipe, progress=None, desc="학습"):
    """airbench 방식으로 학습하고 검증 정확도와 시간을 잽니다 (``cifar.train`` 과 같은 모양의 결과).

    처방의 항목: epochs, batch_size, lr, momentum, weight_decay, bias_scale, label_smoothing,
    translate(옮기는 픽셀), alternate_flip, lookahead, whiten_bias_epochs.
    """
    from cnnbook.progress import TrainingLog

    x, y = train_xy
    batch = recipe["batch_size"]
    per_epoch = len(x) // batch
    total = math.ceil(per_epoch * recipe["epochs"])
    whiten_bias = [v for v in model.trainable_variables if v.path.startswith("whiten/")]
    steps = {"all": make_step(model, recipe), "frozen": make_step(model, recipe, skip=whiten_bias)}
    slow = Lookahead(model) if recipe["lookahead"] else None
    rng = np.random.default_rng(np.random.randint(2**31))  # seed_everything의 시드를 따르는 순서, 자르기, 뒤집기
    pad = recipe["translate"]
    padded = np.pad(x, [(0, 0), (pad, pad), (pad, pad), (0, 0)], mode="reflect")
    flipped = rng.random(len(x)) < 0.5
    log = TrainingLog(total, desc=desc)
    done, epoch, flips = 0, 0, []
    start = time.perf_counter()
    while done < total:
        images = epoch_images(padded, flipped, rng, pad)
        flips.append(flipped.copy())
        order = rng.permutation(len(x))
        step = steps["all" if epoch < recipe["whiten_bias_epochs"] else "frozen"]
        for k in range(min(per_epoch, total - done)):
            chosen = order[k * batch:(k + 1) * batch]
            loss = step(tf.cast(images[chosen], tf.float32), tf.constant(y[chosen]),
                        tf.constant(lr_multiplier(done, total), tf.float32))
            done += 1
            log.step(loss / batch)
            if slow and done % 5 == 0:
                slow.update(lookahead_decay(done, total))
        flipped = next_flips(flipped, rng, recipe["alternate_flip"])
        epoch += 1
    if slow and done % 5:
        slow.update(lookahead_decay(done, total))  # 끝: 마지막 단계까지 넣은 느린 사본을 씁니다
    log.close()
    seconds = time.perf_counter() - start
    model.fast_log = {"steps": done, "epochs_seen": epoch, "flips": np.array(flips),
                      "lookahead_updates": slow.updates if slow else 0}
    return {"seconds": seconds, "images_per_s": done * batch / seconds, "val": accuracy(model, *val_xy)}
# @save-end

# @save-begin A2_fast_cifar.ipynb sr-whiten
def image_patches(images, mean, std, size=2):
    """정규화한 이미지의 겹치는 size×size 조각을 모두 꺼내 [조각 수, size·size·채널] 행렬로 (케라스 필터의 순서)."""
    x = (np.asarray(images, np.float32) - mean) / std
    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(1, 2))  # [N, H', W', C, 세로, 가로]
    return windows.transpose(0, 1, 2, 4, 5, 3).reshape(-1, size * size * x.shape[-1])


def whitening_kernel(images, mean, std, size=2, eps=5e-4):
    """학습 이미지 조각의 공분산을 고유분해해, 고유벡터 방향마다 분산이 1이 되게 나눈 필터와 부호를 바꾼 필터.

    Conv2D 필터 [size, size, 채널, 2 × size·size·채널]을 돌려줍니다 (2×2, RGB면 24개).
    """
    covariance, count = 0.0, 0
    for start in range(0, len(images), 500):  # 조각이 많으므로 나눠서 더합니다
        patches = image_patches(images[start:start + 500], mean, std, size).astype(np.float64)
        covariance = covariance + patches.T @ patches
        count += len(patches)
    values, vectors = np.linalg.eigh(covariance / count)
    order = np.argsort(values)[::-1]  # 분산이 큰 방향부터
    scaled = vectors[:, order] / np.sqrt(values[order] + eps)
    kernel = np.concatenate([scaled, -scaled], axis=1)
    return kernel.reshape(size, size, np.shape(images)[-1], -1).astype(np.float32)
# @save-end

# @save-begin A2_fast_cifar.ipynb sr-net
class ShiftNorm(BatchNorm):
    """배율(gamma)은 1로 고정하고 이동(beta)만 학습하는 배치 정규화. 이동 평균은 빨리 따라갑니다(0.6)."""

    def __init__(self, momentum=0.6, epsilon=1e-12, **kwargs):
        super().__init__(momentum=momentum, epsilon=epsilon, **kwargs)

    def build(self, input_shape):
        super().build(input_shape)
        self.gamma.trainable = False


class IdentityStart(tf.keras.initializers.Initializer):
    """3×3 합성곱의 앞쪽 출력 채널(입력 채널 수만큼)은 입력을 그대로 넘기는 항등 필터, 나머지는 글로럿 균등."""

    def __call__(self, shape, dtype=None):
        kernel = np.array(tf.keras.initializers.GlorotUniform()(shape))
        height, width, c_in, c_out = shape
        n = min(c_in, c_out)
        kernel[:, :, :, :n] = 0.0
        kernel[height // 2, width // 2, np.arange(n), np.arange(n)] = 1.0
        return tf.constant(kernel, dtype=dtype or "float32")


def speed_cnn(mean, std, whiten=None, act="relu", norm=BatchNorm, identity=False, widths=(64, 256, 256)):
    """fast_cnn의 골격에 airbench의 선택지를 더한 신경망.

    whiten: 화이트닝 필터를 주면 첫 계층이 그 값으로 고정한 합성곱(편향만 학습), 없으면 fast_cnn처럼 3×3 합성곱 32채널.
    act: 활성화 함수, norm: 배치 정규화 계층, identity: 3×3 합성곱을 IdentityStart로 초기화.
    """
    init = IdentityStart() if identity else "glorot_uniform"
    inputs, x = input_block(mean, std)
    if whiten is None:
        x = layers.Conv2D(32, 3, padding="same", use_bias=False, name="stem")(x)
        x = norm()(x)
    else:
        stem = layers.Conv2D(whiten.shape[-1], whiten.shape[0], name="whiten")
        x = stem(x)
        stem.kernel.assign(whiten)
        stem.kernel.trainable = False  # 데이터로 정한 값 그대로
    x = layers.Activation(act)(x)
    for filters in widths:
        for pool in (True, False):  # 합성곱 → (풀링) → 정규화 → 활성화, 두 번
            x = layers.Conv2D(filters, 3, padding="same", use_bias=False, kernel_initializer=init)(x)
            if pool:
                x = layers.MaxPooling2D(2)(x)
            x = layers.Activation(act)(norm()(x))
    x = layers.GlobalMaxPooling2D()(x)
    x = layers.Rescaling(1 / 8)(x)
    return tf.keras.Model(inputs, logits_layer(x), name="speed_cnn")
# @save-end

# @save-begin A2_fast_cifar.ipynb sr-tta
def tta_logits(model, images, level=2, batch_size=1000):
    """예측할 때 평균하는 로짓. level 0: 원본, 1: 원본과 좌우 뒤집기의 평균,
    2: 1의 값과, 1픽셀씩 (왼쪽 위, 오른쪽 아래로) 옮긴 두 이미지에서 1과 같이 구한 값의 평균."""

    def mirror(x):
        return (model(x, training=False) + model(tf.reverse(x, axis=[2]), training=False)) / 2

    outputs = []
    for start in range(0, len(images), batch_size):
        x = tf.cast(images[start:start + batch_size], tf.float32)
        if level == 0:
            logits = model(x, training=False)
        elif level == 1:
            logits = mirror(x)
        else:
            padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
            shifted = (mirror(padded[:, :-2, :-2]) + mirror(padded[:, 2:, 2:])) / 2
            logits = (mirror(x) + shifted) / 2
        outputs.append(np.asarray(logits))
    return np.concatenate(outputs)
# @save-end

# ---------------------------------------------------------------- 장치: 표의 설정, 맨 위 처방


def describe(model, recipe):
    """한 칸의 설정 (``cifar.changes`` 로 앞 칸과 비교). 케라스 fit으로 학습한 칸과 ``train_fast`` 칸의 항목이 같습니다."""
    from cnnbook import cifar

    first = "화이트닝 2×2 (고정)" if any(layer.name == "whiten" for layer in model.layers) else "합성곱 3×3"
    acts = sorted({layer.get_config()["activation"] for layer in model.layers if isinstance(layer, layers.Activation)})
    norms = [layer for layer in model.layers if isinstance(layer, BatchNorm)]
    convs = [layer for layer in model.layers if isinstance(layer, layers.Conv2D) and layer.kernel_size == (3, 3)]
    # 노트북에서 정의한 같은 이름의 클래스도 알아보도록 이름으로 비교합니다
    identity = any(type(layer.kernel_initializer).__name__ == "IdentityStart" for layer in convs)
    setup = {
        "첫 계층": first,
        "활성화": ", ".join({"relu": "ReLU", "gelu": "GELU"}.get(a, a) for a in acts),
        "초기화": "항등 + 글로럿" if identity else "글로럿",
        "배치 정규화 배율": "1로 고정" if norms and not norms[-1].gamma.trainable else "학습",
    }
    if recipe.get("trainer") != "fast":
        base = cifar.describe(model, recipe)
        setup.update({key: base[key] for key in ("옵티마이저", "학습률", "가중치 감쇠", "미니배치", "에포크")})
        setup.update({"옮기기": "±4픽셀" if recipe.get("augment") else "없음",
                      "뒤집기": "무작위 절반" if recipe.get("augment") else "없음",
                      "룩어헤드": "없음", "레이블 스무딩": recipe.get("label_smoothing", 0.0)})
        return setup
    setup.update({
        "옵티마이저": f"SGD (네스테로프, 모멘텀 {recipe['momentum']:g})",
        "학습률": f"1,024장마다 {recipe['lr']:g}, 배수 0.2 → 1 → 0.07",
        "가중치 감쇠": f"1,024장마다 {recipe['weight_decay']:g}",
        "미니배치": recipe["batch_size"],
        "에포크": recipe["epochs"],
        "옮기기": f"±{recipe['translate']}픽셀" if recipe["translate"] else "없음",
        "뒤집기": "번갈아" if recipe["alternate_flip"] else "무작위 절반",
        "룩어헤드": "있음" if recipe["lookahead"] else "없음",
        "레이블 스무딩": recipe["label_smoothing"],
    })
    return setup


# 부록 A.2의 맨 위 처방 (노트북이 검증 데이터로 고른 것과 같아야 합니다; 노트북의 셀이 비교합니다)
BEST = {
    "trainer": "fast", "epochs": 16, "batch_size": 1024, "lr": 11.5, "momentum": 0.85, "weight_decay": 0.0153,
    "bias_scale": 64.0, "label_smoothing": 0.2, "translate": 2, "alternate_flip": True, "lookahead": True,
    "whiten_bias_epochs": 3,
}
BEST_TTA = 2  # 검증 데이터에서 고른 TTA 단계


def best_model(mean, std, whiten):
    """맨 위 칸의 신경망: 화이트닝 첫 계층, GELU, 배율 고정 배치 정규화, 항등 초기화."""
    require(whiten is not None, "화이트닝 필터가 필요합니다.")
    return speed_cnn(mean, std, whiten=whiten, act="gelu", norm=ShiftNorm, identity=True)


# 이 책을 만든 기계(AMD EPYC Zen 4, 2코어, mixed_bfloat16)에서 BEST로 시드 42로 학습한 모델의 검증 정확도(TTA 없이,
# 2026-12-05, benchmarks/speedrun_try2.py). 기준은 그 값에서 검증 5,000장의 표준 오차 세 배를 빼고 0.5%p 단위로
# 내린 값입니다 (cifar.VAL_FLOOR와 같은 방법).
REFERENCE_VAL = 0.936
VAL_FLOOR = math.floor(200 * (REFERENCE_VAL - 3 * math.sqrt(REFERENCE_VAL * (1 - REFERENCE_VAL) / 5000))) / 200


def training_code_hash() -> str:
    """부록 A.2의 맨 위 모델을 만든 강의 코드와 :data:`BEST` 의 지문."""
    from cnnbook import cifar
    from cnnbook.weights_file import code_hash

    return code_hash(
        cifar.split_validation, cifar.channel_stats, input_block, logits_layer, BatchNorm, lr_multiplier,
        param_groups, epoch_images, next_flips, Lookahead, lookahead_decay, make_step, train_fast, image_patches,
        whitening_kernel, ShiftNorm, IdentityStart, speed_cnn, best_model, BEST, BEST_TTA,
    )


def train_best_model(epochs: int | None = None, train_size: int | None = None, verbose: bool = True):
    """부록 A.2의 맨 위 처방으로 새로 학습해 (모델, 설명 사전)을 돌려줍니다. 테스트 정확도는 보고용으로 한 번만 잽니다."""
    import cnnbook
    from cnnbook import cifar

    (x_fit, y_fit), val_xy, (x_test, y_test) = cifar._data(train_size)
    recipe = dict(BEST, epochs=BEST["epochs"] if epochs is None else int(epochs))
    require(recipe["epochs"] > 0, f"에포크 수 {recipe['epochs']}이(가) 올바르지 않습니다.")
    if len(x_fit) < 10_000:  # 일부 데이터로 짧게 학습할 때는 단계 수를 늘리려고 미니배치를 줄입니다
        recipe["batch_size"] = 256
    precision = cifar.use_precision(verbose=verbose)
    mean, std = cifar.channel_stats(x_fit)
    cnnbook.seed_everything()
    model = best_model(mean, std, whitening_kernel(x_fit[:5000], mean, std))
    result = train_fast(model, (x_fit, y_fit), val_xy, recipe, desc="부록 A.2 모델 학습" if verbose else "학습")
    info = {
        "recipe": recipe, "precision": precision, "mean": [float(v) for v in mean], "std": [float(v) for v in std],
        "train_images": len(x_fit), "seconds": round(result["seconds"], 1), "val_accuracy": result["val"],
        "val_images": len(val_xy[0]),
        "val_tta_accuracy": float(np.mean(tta_logits(model, val_xy[0], BEST_TTA).argmax(1) == val_xy[1])),
        "test_accuracy": float(np.mean(tta_logits(model, x_test, BEST_TTA).argmax(1) == y_test)),  # 보고용
        "partial": len(x_fit) < 45_000 or recipe["epochs"] < BEST["epochs"],
        "trained_by": "cnnbook.speedrun.train_best_model",
    }
    return model, info


def _build_for_cache(info):
    whiten = np.zeros((2, 2, 3, 24), np.float32)  # 값은 저장된 가중치가 채웁니다
    return best_model(np.array(info["mean"]), np.array(info["std"]), whiten)


def _choice():
    from cnnbook.cifar import Choice

    return Choice("speedrun", "부록 A.2의 맨 위 칸", "cifar_speedrun.weights.npz", "cifar_speedrun_partial.weights.npz",
                  _build_for_cache, lambda **kw: train_best_model(**kw), training_code_hash, VAL_FLOOR)
