"""4.2.4–4.2.5절에서 학습한 MNIST 합성곱 신경망을 다른 장에서 다시 쓰기 위한 캐시.

모델과 학습 코드는 노트북에서 내보낸 :mod:`cnnbook.mnist_lessons` 에 한 번만 있습니다. 이 모듈은 그 코드로
학습한 가중치를 캐시 폴더(환경 변수 ``CNNBOOK_CACHE``, 없으면 ``~/.cache/cnnbook``)에 저장하고 읽습니다.
다른 장은 :func:`trained_mnist_cnn` 한 줄로 학습된 케라스 모델을 받습니다. 캐시가 없거나, 손상되었거나,
그 가중치를 만든 학습 코드와 처방이 지금과 다르거나, **검증** 정확도가 기준에 못 미치면 4.2.5절의
"더 나은 처방"(학생이 읽는 바로 그 코드)으로 새로 학습해 저장하므로 Colab에서 그 장만 열어도 동작합니다.

결정은 검증 데이터(학습 데이터의 마지막 ``VALIDATION_SIZE`` 장)로만 합니다. 테스트 데이터는 새로 학습한
모델마다 한 번 재서 설명(info)에 보고용으로 적을 뿐, 저장하거나 버리는 데 쓰지 않습니다.
독자의 학습은 버리지 않습니다: 기준에 못 미친 새 모델도 표시를 달아 저장하고 경고와 함께 돌려주며,
다시 확인하다 탈락한 캐시 파일은 지우지 않고 옆으로 치워 둡니다(:func:`cnnbook.weights_file.set_aside`).

가중치는 ``.npz`` 파일에 케라스 ``get_weights()`` 순서로 저장합니다. 저수준 모델(``MnistCNN``)과 케라스
모델의 가중치 모양과 순서가 같으므로 어느 쪽에서 저장한 것이든 서로 옮겨 쓸 수 있습니다.
이 모듈은 ``cnnbook/__init__.py`` 가 불러오므로 텐서플로는 함수 안에서만 불러옵니다.
"""
from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

from cnnbook.errors import BookError, require
from cnnbook.machine import matmul_gflops  # noqa: F401  (다른 장과 벤치마크가 여기서도 부릅니다)
from cnnbook.weights_file import CACHE_ENV, cache_dir, read_weights, write_weights  # noqa: F401
FORMAT_VERSION = 3  # 3: 검증 정확도로 확인하고 학습 코드의 해시를 적음
FULL_FILE = "mnist_cnn.weights.npz"
PARTIAL_FILE = "mnist_cnn_partial.weights.npz"  # 빠른 모드나 일부 데이터로 학습한 가중치
VALIDATION_SIZE = 5000  # 학습 데이터의 마지막 5,000장은 검증 데이터 (4.2.5절)
CHECK_IMAGES = VALIDATION_SIZE  # 저장하거나 불러올 때 정확도를 다시 잴 검증 이미지 수
CODE_CHANGED = "학습 코드나 처방이 바뀌어 다시 학습합니다"


def accuracy_floor() -> float:
    """캐시의 가중치를 쓰려면 넘어야 하는 **검증** 정확도 (검증 이미지 ``CHECK_IMAGES`` 장으로 잼)."""
    from cnnbook.runtime import pick

    return pick(fast=0.80, full=0.985)


def build_keras_cnn(probabilities: bool = True):
    """4.2.5절의 케라스 쌍둥이 모델 (:func:`cnnbook.mnist_lessons.build_keras_cnn` 그대로)."""
    from cnnbook.mnist_lessons import build_keras_cnn as build

    return build(probabilities=probabilities)


@lru_cache(maxsize=1)
def weight_specs() -> tuple[tuple[str, tuple[int, ...]], ...]:
    """(이름, 모양) 목록: 케라스 쌍둥이 모델의 가중치에서 읽습니다 (구조를 따로 적어 두지 않음)."""
    model = build_keras_cnn(probabilities=False)
    specs = []
    for layer in model.layers:
        for weight, role in zip(layer.weights, ("W", "b")):
            specs.append((f"{layer.name}/{role}", tuple(int(d) for d in weight.shape)))
    return tuple(specs)


def parameter_count() -> int:
    return sum(int(np.prod(shape)) for _, shape in weight_specs())


def layer_table(model=None) -> list[dict]:
    """계층마다 이름, 종류, 출력 모양, 매개변수 수, 이미지 한 장의 순전파 FLOP (곱셈과 덧셈을 각각 1로 셈).

    구조도와 벤치마크가 이 표를 씁니다. 모델을 주지 않으면 케라스 쌍둥이 모델(로짓)을 씁니다.
    편향, ReLU, 풀링의 FLOP은 합성곱과 행렬 곱에 비해 아주 작아 0으로 둡니다.
    """
    import tensorflow as tf

    model = build_keras_cnn(probabilities=False) if model is None else model
    rows = []
    for layer in model.layers:
        shape = tuple(int(d) for d in layer.output.shape[1:])
        flops = 0
        if isinstance(layer, tf.keras.layers.Conv2D):
            kh, kw, cin, cout = (int(d) for d in layer.kernel.shape)
            flops = 2 * shape[0] * shape[1] * kh * kw * cin * cout
        elif isinstance(layer, tf.keras.layers.Dense):
            flops = 2 * int(np.prod(layer.kernel.shape))
        config = layer.get_config()
        rows.append({
            "name": layer.name,
            "kind": type(layer).__name__,
            "shape": shape,
            "params": int(layer.count_params()),
            "flops": int(flops),
            "kernel": tuple(config.get("kernel_size", ())) or None,
            "activation": config.get("activation"),
        })
    return rows


def train_flops(model=None) -> int:
    """이미지 한 장의 학습 FLOP: 순전파 + 가중치 기울기(순전파와 같은 양) + 입력 기울기(첫 계층은 뺌)."""
    weighted = [row["flops"] for row in layer_table(model) if row["flops"]]
    return 3 * sum(weighted) - weighted[0]


def check_weights(arrays, source: str = "가중치") -> list[np.ndarray]:
    """가중치 배열들의 개수와 모양을 확인해 float32 목록으로 돌려줍니다."""
    specs = weight_specs()
    arrays = [np.asarray(a) for a in arrays]
    require(len(arrays) == len(specs), f"{source}: 가중치 배열이 {len(specs)}개여야 하는데 {len(arrays)}개입니다.")
    for array, (name, shape) in zip(arrays, specs):
        require(
            tuple(array.shape) == shape,
            f"{source}: '{name}' 의 모양이 {tuple(array.shape)} 입니다 ({shape} 이어야 함). "
            "다른 구조의 모델에서 저장한 가중치입니다.",
        )
        require(np.all(np.isfinite(array)), f"{source}: '{name}' 에 NaN이나 무한대가 있습니다.")
    return [a.astype(np.float32) for a in arrays]


def recipe() -> dict:
    """캐시 가중치를 만든 "더 나은 처방"의 설정 (강의 코드의 상수와 기본값에서 읽음)."""
    import inspect

    from cnnbook import mnist_lessons as lessons

    warmup = inspect.signature(lessons.warmup_cosine).parameters["warmup_fraction"].default
    return {"batch_size": lessons.BETTER_BATCH, "peak_learning_rate": lessons.BETTER_PEAK_LR,
            "epochs": lessons.BETTER_EPOCHS, "warmup_fraction": warmup, "init": "he",
            "validation_size": VALIDATION_SIZE}


def training_code() -> str:
    """가중치를 만든 강의 코드(:mod:`cnnbook.mnist_lessons` 전체)와 처방의 해시 (16자리 16진수)."""
    from cnnbook import mnist_lessons as lessons
    from cnnbook.weights_file import code_hash

    return code_hash(lessons, recipe())


def validation_split():
    """((학습 이미지, 레이블), (검증 이미지, 레이블)): 학습 데이터의 마지막 VALIDATION_SIZE장이 검증 데이터."""
    from cnnbook.data import load_mnist
    from cnnbook.mnist_lessons import prepare_images, split_validation

    (x_train, y_train), _ = load_mnist()
    return split_validation(prepare_images(x_train), y_train.astype(np.int32), VALIDATION_SIZE)


def _check_data():
    """정확도 확인에 쓸 검증 이미지 CHECK_IMAGES장과 레이블 (테스트 데이터는 쓰지 않습니다)."""
    _, (x_val, y_val) = validation_split()
    return x_val[:CHECK_IMAGES], y_val[:CHECK_IMAGES]


def measure_accuracy(weights) -> float:
    """가중치를 케라스 쌍둥이 모델에 넣어 검증 이미지 CHECK_IMAGES장의 정확도를 잽니다."""
    model = build_keras_cnn(probabilities=True)
    model.set_weights(check_weights(weights))
    images, labels = _check_data()
    probs = model.predict(images, batch_size=1000, verbose=0)
    return float(np.mean(probs.argmax(axis=1) == labels))


def _warn(message: str) -> None:
    print(f"⚠️ {message}", file=sys.stderr)


def save_mnist_weights(arrays, path: Path | str | None = None, info: dict | None = None,
                       floor: float | None = None) -> Path:
    """가중치(케라스 ``get_weights()`` 순서)를 검증 정확도와 함께 캐시에 저장하고 파일 경로를 돌려줍니다.

    검증 이미지로 잰 정확도를 ``info['validation_accuracy']`` 에 적습니다. ``floor`` (기본:
    :func:`accuracy_floor`)보다 낮아도 버리지 않고 ``info['below_floor'] = True`` 를 달아 저장하며 한국어
    경고를 냅니다(다음에 불러올 때 다시 확인에서 탈락해 옆으로 치워지고 새로 학습합니다).
    ``info['code']`` 가 없으면 지금의 학습 코드 해시(:func:`training_code`)를 적습니다.
    ``info['partial']`` 이 참이면(빠른 모드나 일부 데이터로 학습한 것) 전체 학습 파일과 다른 이름으로 저장합니다.
    """
    arrays = check_weights(arrays)
    floor = accuracy_floor() if floor is None else float(floor)
    checked = measure_accuracy(arrays)
    info = dict(info or {})
    info.setdefault("code", training_code())
    info.update(format=FORMAT_VERSION, validation_accuracy=checked, floor=floor, below_floor=checked < floor)
    if path is None:
        path = cache_dir() / (PARTIAL_FILE if info.get("partial") else FULL_FILE)
    path = write_weights(path, arrays, info)
    if checked < floor:
        _warn(f"이 가중치의 검증 정확도 {checked:.2%}는 기준 {floor:.2%}보다 낮습니다. 학습이 덜 되었을 수 "
              "있습니다. 버리지 않고 '기준 미달' 표시를 달아 저장했고, 다음에 캐시를 찾을 때는 다시 학습합니다.")
    return path


def load_mnist_weights(path: Path | str) -> tuple[list[np.ndarray], dict]:
    """캐시 파일을 읽어 (가중치 목록, 설명 사전)을 돌려줍니다. 문제가 있으면 한국어 BookError."""
    weights, info = read_weights(path, FORMAT_VERSION)
    return check_weights(weights, source=f"가중치 파일 {path}"), info


def train_mnist_weights(steps: int | None = None, train_size: int | None = None, verbose: bool = True):
    """4.2.5절의 "더 나은 처방"(``cnnbook.mnist_lessons`` 의 코드)으로 새로 학습해 (가중치, 설명)을 돌려줍니다.

    학습 데이터의 마지막 5,000장(검증 데이터)은 학습에 쓰지 않고 정확도 확인에만 씁니다. 기본은 세 에포크입니다.
    테스트 정확도는 다 만든 모델의 보고용으로 한 번 재서 적기만 합니다.
    ``train_size`` 나 ``steps`` 를 줄이면(테스트, 빠른 모드) 설명에 ``partial=True`` 가 붙습니다.
    """
    import tensorflow as tf

    from cnnbook import mnist_lessons as lessons
    from cnnbook.data import load_mnist
    from cnnbook.runtime import seed_everything

    (x_fit, y_fit), (x_val, y_val) = validation_split()
    n = len(x_fit) if train_size is None else int(train_size)
    require(0 < n <= len(x_fit), f"학습 이미지 수 {n}이(가) 올바르지 않습니다 (1–{len(x_fit)}).")
    full_steps = lessons.BETTER_EPOCHS * len(x_fit) // lessons.BETTER_BATCH
    steps = full_steps if steps is None else int(steps)
    require(steps > 0, f"단계 수 {steps}이(가) 올바르지 않습니다.")
    seed_everything()
    model, _, seconds = lessons.train_better_recipe(x_fit[:n], y_fit[:n], steps, desc="MNIST 모델 학습")
    _, (x_test, y_test) = load_mnist()
    info = {
        "recipe": recipe(),
        "code": training_code(),
        "train_images": n,
        "steps": steps,
        "seconds": round(seconds, 1),
        "validation_accuracy": lessons.accuracy_of(model, x_val, y_val),
        "test_accuracy": lessons.accuracy_of(model, lessons.prepare_images(x_test), y_test.astype(np.int32)),
        "partial": n < len(x_fit) or steps < full_steps,
        "trained_by": "cnnbook.mnist_lessons.train_better_recipe",
        "tensorflow": tf.__version__,
    }
    return [v.numpy() for v in model.ordered_weights()], info


def _set_aside(path: Path, reason: str) -> None:
    """다시 확인에서 탈락한 캐시 파일을 지우지 않고 옆으로 치웁니다 (cnnbook.weights_file.set_aside)."""
    from cnnbook.weights_file import set_aside

    set_aside(path, reason)


def _load_checked(path: Path, floor: float, verbose: bool):
    """캐시 파일을 읽고 학습 코드 해시와 검증 정확도를 다시 확인합니다.

    쓸 수 없으면 이유를 알리고 파일을 옆으로 치운 뒤(지우지 않음) None을 돌려줍니다.
    검증 데이터를 읽지 못한 오류는 파일 탓이 아니므로 파일을 그대로 두고 그 오류를 그대로 냅니다.
    """
    try:
        weights, info = load_mnist_weights(path)
    except BookError as error:
        _set_aside(path, f"저장된 가중치를 쓸 수 없어 새로 학습합니다. 이유: {error}")
        return None
    if info.get("code") != training_code():
        _set_aside(path, f"{CODE_CHANGED} (이 가중치를 만든 코드 {info.get('code')}, 지금 코드 {training_code()}).")
        return None
    checked = measure_accuracy(weights)  # 데이터 오류는 여기서 그대로 나갑니다
    if checked < floor:
        _set_aside(path, f"불러온 가중치의 검증 정확도 {checked:.2%}가 기준 {floor:.2%}보다 낮아 새로 학습합니다.")
        return None
    if verbose:
        print(f"저장된 가중치를 불러왔습니다 (검증 이미지 {CHECK_IMAGES:,}장 정확도 {checked:.2%}).")
    return weights, dict(info, path=str(path), validation_accuracy=checked)


def trained_mnist_cnn(
    *,
    retrain: bool = False,
    steps: int | None = None,
    train_size: int | None = None,
    floor: float | None = None,
    verbose: bool = True,
):
    """학습된 MNIST 합성곱 신경망(케라스 모델, ``predict`` 가 확률을 돌려줌)을 돌려줍니다.

    계층 이름은 conv1, pool1, conv2, pool2, flatten, fc1, dropout, fc2, probabilities 입니다.
    캐시에 전체 학습 가중치가 있으면 읽고, 그 가중치를 만든 학습 코드가 지금과 같은지, 검증 정확도가
    기준(``floor``, 기본 :func:`accuracy_floor`)을 넘는지 다시 확인합니다. 빠른 모드(``CNNBOOK_FAST=1``)에서는
    일부만 학습한 가중치도 받아들입니다. 쓸 가중치가 없으면 새로 학습해 저장합니다. 새 모델이 기준에
    못 미쳐도 버리지 않고 경고와 함께 돌려줍니다(``model.cache_info['below_floor']``).
    ``retrain=True`` 이면 캐시를 무시합니다. 빠른 모드에서 새로 학습할 때는 이미지 6,000장으로 한 에포크만 씁니다.
    """
    from cnnbook.runtime import is_fast

    floor = accuracy_floor() if floor is None else float(floor)
    folder = cache_dir()
    candidates = [folder / FULL_FILE] + ([folder / PARTIAL_FILE] if is_fast() else [])
    model = build_keras_cnn(probabilities=True)
    if not retrain:
        for path in candidates:
            if path.is_file():
                loaded = _load_checked(path, floor, verbose)
                if loaded is not None:
                    model.set_weights(loaded[0])
                    model.cache_info = loaded[1]
                    return model
    if is_fast():
        train_size = 6000 if train_size is None else train_size
        steps = -(-train_size // 128) if steps is None else steps
    if verbose:
        print("캐시에 쓸 수 있는 가중치가 없어 새로 학습합니다.")
    weights, info = train_mnist_weights(steps=steps, train_size=train_size, verbose=verbose)
    path = save_mnist_weights(weights, info=info, floor=floor)  # 기준에 못 미쳐도 표시를 달아 저장
    model.set_weights(weights)
    model.cache_info = dict(load_mnist_weights(path)[1], path=str(path))
    if verbose:
        info = model.cache_info
        print(f"검증 정확도 {info['validation_accuracy']:.2%}(보고용 테스트 정확도 "
              f"{info['test_accuracy']:.2%}), 가중치를 캐시에 저장했습니다.")
    return model
