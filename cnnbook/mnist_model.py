"""4.2.4절의 MNIST 합성곱 신경망을 다른 장에서 다시 쓰기 위한 함수.

4.2.4절 노트북은 학습한 가중치를 캐시 폴더(환경 변수 ``CNNBOOK_CACHE``, 없으면 ``~/.cache/cnnbook``)에
저장합니다. 다른 장은 :func:`trained_mnist_cnn` 한 줄로 그 가중치를 담은 케라스 모델을 받습니다.
캐시가 없거나 손상되었으면 같은 구조를 4.2.4절의 "더 나아가기" 처방으로 새로 학습해 저장하므로
Colab에서 그 장만 열어도 동작합니다.

가중치는 ``.npz`` 파일에 아래 순서(케라스 ``get_weights()`` 의 순서)로 저장합니다. 저수준 모델과
케라스 모델의 가중치 모양이 같으므로 어느 쪽에서 저장한 것이든 서로 옮겨 쓸 수 있습니다.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from cnnbook.errors import BookError, require

CACHE_ENV = "CNNBOOK_CACHE"
FORMAT_VERSION = 1
FULL_FILE = "mnist_cnn.weights.npz"
PARTIAL_FILE = "mnist_cnn_partial.weights.npz"  # 빠른 모드나 일부 데이터로 학습한 가중치

# (이름, 모양): 합성곱 5×5×32 → 풀링 → 합성곱 5×5×64 → 풀링 → 완전 연결 1024 → 드롭아웃 → 완전 연결 10
WEIGHT_SPECS = (
    ("conv1/W", (5, 5, 1, 32)),
    ("conv1/b", (32,)),
    ("conv2/W", (5, 5, 32, 64)),
    ("conv2/b", (64,)),
    ("fc1/W", (7 * 7 * 64, 1024)),
    ("fc1/b", (1024,)),
    ("fc2/W", (1024, 10)),
    ("fc2/b", (10,)),
)
PARAMETER_COUNT = sum(int(np.prod(shape)) for _, shape in WEIGHT_SPECS)  # 3,274,634

# "더 나아가기" 처방: He 초깃값, 미니배치 128, 학습률 0 → 2e-3 (처음 10% 워밍업) → 코사인으로 0, 세 에포크
RECIPE = {"batch_size": 128, "learning_rate": 2e-3, "warmup": 0.1, "epochs": 3, "init": "he"}


def cache_dir() -> Path:
    """가중치 캐시 폴더 (``CNNBOOK_CACHE`` 또는 ``~/.cache/cnnbook``)."""
    value = os.environ.get(CACHE_ENV, "").strip()
    return Path(value).expanduser() if value else Path.home() / ".cache" / "cnnbook"


def build_keras_cnn(probabilities: bool = True):
    """4.2.4절과 같은 구조의 ``tf.keras.Sequential`` 모델 (초깃값은 "더 나아가기"처럼 He 초깃값, 편향 0.1).

    ``probabilities=True`` 이면 끝에 소프트맥스 계층을 붙여 ``predict`` 가 확률을 돌려줍니다
    (매개변수는 늘지 않습니다). ``False`` 이면 로짓을 돌려줍니다.
    """
    import tensorflow as tf

    init_w = tf.keras.initializers.HeNormal()
    init_b = tf.keras.initializers.Constant(0.1)
    layers = tf.keras.layers
    stack = [
        tf.keras.Input(shape=(28, 28, 1), name="image"),
        layers.Conv2D(32, 5, padding="same", activation="relu", kernel_initializer=init_w, bias_initializer=init_b, name="conv1"),
        layers.MaxPooling2D(2, padding="same", name="pool1"),
        layers.Conv2D(64, 5, padding="same", activation="relu", kernel_initializer=init_w, bias_initializer=init_b, name="conv2"),
        layers.MaxPooling2D(2, padding="same", name="pool2"),
        layers.Flatten(name="flatten"),
        layers.Dense(1024, activation="relu", kernel_initializer=init_w, bias_initializer=init_b, name="fc1"),
        layers.Dropout(0.5, name="dropout"),
        layers.Dense(10, kernel_initializer=init_w, bias_initializer=init_b, name="fc2"),
    ]
    if probabilities:
        stack.append(layers.Softmax(name="probabilities"))
    return tf.keras.Sequential(stack, name="mnist_cnn")


def check_weights(arrays, source: str = "가중치") -> list[np.ndarray]:
    """가중치 배열 8개의 개수와 모양을 확인해 float32 목록으로 돌려줍니다."""
    arrays = [np.asarray(a) for a in arrays]
    require(
        len(arrays) == len(WEIGHT_SPECS),
        f"{source}: 가중치 배열이 {len(WEIGHT_SPECS)}개여야 하는데 {len(arrays)}개입니다.",
    )
    for array, (name, shape) in zip(arrays, WEIGHT_SPECS):
        require(
            tuple(array.shape) == shape,
            f"{source}: '{name}' 의 모양이 {tuple(array.shape)} 입니다 ({shape} 이어야 함). "
            "다른 구조의 모델에서 저장한 가중치입니다.",
        )
        require(np.all(np.isfinite(array)), f"{source}: '{name}' 에 NaN이나 무한대가 있습니다.")
    return [a.astype(np.float32) for a in arrays]


def save_mnist_weights(arrays, path: Path | str | None = None, info: dict | None = None) -> Path:
    """가중치 8개(케라스 ``get_weights()`` 순서)를 캐시에 저장하고 파일 경로를 돌려줍니다.

    ``info`` 에는 처방, 테스트 정확도 같은 설명을 넣습니다. ``info['partial']`` 이 참이면
    (빠른 모드나 일부 데이터로 학습한 것) 전체 학습 파일과 다른 이름으로 저장합니다.
    """
    arrays = check_weights(arrays)
    info = dict(info or {})
    info["format"] = FORMAT_VERSION
    if path is None:
        path = cache_dir() / (PARTIAL_FILE if info.get("partial") else FULL_FILE)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp.npz")
    np.savez(temporary, info=np.array(json.dumps(info, ensure_ascii=False)), **{f"w{i}": a for i, a in enumerate(arrays)})
    os.replace(temporary, path)  # 쓰다가 멈춰도 반쯤 쓴 파일이 캐시에 남지 않게 합니다.
    return path


def load_mnist_weights(path: Path | str) -> tuple[list[np.ndarray], dict]:
    """캐시 파일을 읽어 (가중치 목록, 설명 사전)을 돌려줍니다. 문제가 있으면 한국어 BookError."""
    path = Path(path)
    require(path.is_file(), f"가중치 파일 {path} 이(가) 없습니다.")
    try:
        with np.load(path, allow_pickle=False) as npz:
            contents = {key: npz[key] for key in npz.files}
    except Exception as exc:  # 잘린 파일, npz가 아닌 파일 등
        raise BookError(f"가중치 파일 {path} 을(를) 읽지 못했습니다 ({type(exc).__name__}). 파일이 손상되었습니다.") from None
    try:
        info = json.loads(str(contents.pop("info")))
        require(isinstance(info, dict), "설명이 사전이 아닙니다")
    except (KeyError, ValueError) as exc:
        raise BookError(f"가중치 파일 {path} 에 설명(info)이 없거나 읽을 수 없습니다 ({exc}).") from None
    require(
        info.get("format") == FORMAT_VERSION,
        f"가중치 파일 {path} 의 형식 버전이 {info.get('format')} 입니다 ({FORMAT_VERSION} 이어야 함).",
    )
    names = [f"w{i}" for i in range(len(contents))]
    require(sorted(contents) == sorted(names), f"가중치 파일 {path} 의 배열 이름이 예상과 다릅니다: {sorted(contents)}")
    return check_weights([contents[n] for n in names], source=f"가중치 파일 {path}"), info


def _prepare(images, labels):
    images = np.asarray(images, dtype=np.float32)
    if images.max() > 1.5:  # 0–255 정수 이미지이면 0–1로
        images = images / 255.0
    return images.reshape(-1, 28, 28, 1), np.asarray(labels).astype(np.int32)


def train_mnist_weights(epochs: int | None = None, train_size: int | None = None, verbose: bool = True):
    """"더 나아가기" 처방(케라스 ``fit``)으로 새로 학습해 (가중치 목록, 설명 사전)을 돌려줍니다.

    ``train_size`` 로 학습 이미지 수를 줄이면(테스트, 빠른 모드) 설명에 ``partial=True`` 가 붙습니다.
    """
    import tensorflow as tf

    import cnnbook
    from cnnbook.progress import keras_progress

    epochs = RECIPE["epochs"] if epochs is None else int(epochs)
    (x_train, y_train), (x_test, y_test) = cnnbook.load_mnist()
    x_train, y_train = _prepare(x_train, y_train)
    x_test, y_test = _prepare(x_test, y_test)
    n = x_train.shape[0] if train_size is None else int(train_size)
    require(0 < n <= x_train.shape[0] and epochs > 0, f"학습 이미지 수 {n}, 에포크 {epochs} 이(가) 올바르지 않습니다.")
    cnnbook.seed_everything()
    batch = RECIPE["batch_size"]
    steps = epochs * (-(-n // batch))
    model = build_keras_cnn(probabilities=False)
    warmup = int(steps * RECIPE["warmup"])
    schedule = tf.keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=0.0,
        decay_steps=steps - warmup,
        warmup_target=RECIPE["learning_rate"],
        warmup_steps=warmup,
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(schedule),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    dataset = (
        tf.data.Dataset.from_tensor_slices((x_train[:n], y_train[:n]))
        .shuffle(min(n, 10_000), seed=cnnbook.SEED)
        .batch(batch)
        .prefetch(tf.data.AUTOTUNE)
    )
    callbacks = [keras_progress(steps, desc="MNIST 모델 학습")] if verbose else []
    start = time.perf_counter()
    model.fit(dataset, epochs=epochs, verbose=0, callbacks=callbacks, shuffle=False)
    seconds = time.perf_counter() - start
    _, accuracy = model.evaluate(x_test, y_test, batch_size=1000, verbose=0)
    info = {
        "recipe": dict(RECIPE, epochs=epochs),
        "train_images": n,
        "steps": steps,
        "seconds": round(seconds, 1),
        "test_accuracy": float(accuracy),
        "partial": n < x_train.shape[0] or epochs < RECIPE["epochs"],
        "trained_by": "cnnbook.mnist_model.train_mnist_weights",
    }
    return model.get_weights(), info


def trained_mnist_cnn(
    *,
    retrain: bool = False,
    epochs: int | None = None,
    train_size: int | None = None,
    verbose: bool = True,
):
    """학습된 MNIST 합성곱 신경망(케라스 모델, ``predict`` 가 확률을 돌려줌)을 돌려줍니다.

    캐시에 전체 학습 가중치가 있으면 그것을 읽습니다. 빠른 모드(``CNNBOOK_FAST=1``)에서는 일부만
    학습한 가중치도 받아들입니다. 쓸 가중치가 없거나 파일이 손상되었으면 한국어로 알리고 새로
    학습해 캐시에 저장합니다. ``retrain=True`` 이면 캐시를 무시하고 새로 학습합니다.
    빠른 모드에서 새로 학습할 때는 기본으로 1 에포크, 이미지 6,000장만 씁니다.
    """
    import cnnbook

    folder = cache_dir()
    candidates = [folder / FULL_FILE]
    if cnnbook.is_fast():
        candidates.append(folder / PARTIAL_FILE)
    model = build_keras_cnn(probabilities=True)
    if not retrain:
        for path in candidates:
            if not path.is_file():
                continue
            try:
                weights, info = load_mnist_weights(path)
            except BookError as error:
                print(f"⚠️ 저장된 가중치를 쓸 수 없어 그 파일을 지우고 새로 학습합니다. 이유: {error}", file=sys.stderr)
                path.unlink(missing_ok=True)
                continue
            model.set_weights(weights)
            model.cache_info = dict(info, path=str(path))
            if verbose:
                accuracy = info.get("test_accuracy")
                note = f", 테스트 정확도 {accuracy:.2%}" if isinstance(accuracy, float) else ""
                print(f"저장된 가중치를 불러왔습니다: {path}{note}")
            return model
    if cnnbook.is_fast():
        epochs = 1 if epochs is None else epochs
        train_size = 6000 if train_size is None else train_size
    if verbose:
        print("캐시에 학습된 가중치가 없어 새로 학습합니다 (전체 모드에서 2코어 CPU로 약 2분).")
    weights, info = train_mnist_weights(epochs=epochs, train_size=train_size, verbose=verbose)
    path = save_mnist_weights(weights, info=info)
    model.set_weights(weights)
    model.cache_info = dict(info, path=str(path))
    if verbose:
        print(f"테스트 정확도 {info['test_accuracy']:.2%}, 가중치를 저장했습니다: {path}")
    return model
