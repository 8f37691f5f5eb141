"""MNIST와 CIFAR-10 불러오기: 오프라인 폴더를 먼저 보고, 없으면 케라스로 내려받습니다.

찾는 순서 (README의 "데이터" 절과 같습니다)
1. 환경 변수 ``CNNBOOK_DATA`` 가 가리키는 폴더 (지정했는데 없거나 파일이 틀리면 오류)
2. 이 패키지가 든 저장소의 ``data/`` 폴더 (저장소를 받아 설치했을 때만; 현재 폴더는 보지 않습니다)
3. ``tf.keras.datasets.<이름>.load_data()`` (케라스 캐시, 그다음 인터넷)

어느 경로로 읽든 배열의 SHA-256을 확인하므로 손상된 파일을 조용히 쓰지 않습니다.
오류는 원래 예외를 원인으로 이어 붙이고(``raise ... from``) 그 메시지도 함께 보여 줍니다.
"""
from __future__ import annotations

import hashlib
import os
import socket
import urllib.error
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cnnbook.errors import BookError

DATA_ENV = "CNNBOOK_DATA"
REPOSITORY = Path(__file__).resolve().parents[1]  # 저장소에서 설치했다면 저장소 폴더
ARRAY_NAMES = ("x_train", "y_train", "x_test", "y_test")
PREPARE_HINT = (
    "인터넷이 되는 컴퓨터에서 `python -m cnnbook.prepare_data data` 로 data/ 폴더를 한 번 만든 뒤, "
    f"그 폴더를 복사하고 환경 변수 {DATA_ENV} 로 가리키세요."
)


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    title: str
    file_name: str
    shapes: dict
    sha256: dict


MNIST = DatasetSpec(
    name="mnist",
    title="MNIST",
    file_name="mnist.npz",
    shapes={"x_train": (60000, 28, 28), "y_train": (60000,), "x_test": (10000, 28, 28), "y_test": (10000,)},
    sha256={
        "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
        "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
        "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
        "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
    },
)
CIFAR10 = DatasetSpec(
    name="cifar10",
    title="CIFAR-10",
    file_name="cifar10.npz",
    shapes={
        "x_train": (50000, 32, 32, 3),
        "y_train": (50000, 1),
        "x_test": (10000, 32, 32, 3),
        "y_test": (10000, 1),
    },
    sha256={
        "x_train": "47af8b02cfcfb6cdf3dbbd1969ad7f1b70f4413f6f80f437b020ee4e5bc8304a",
        "y_train": "2b7cd2f24487317614016b72ffd53071c3062f592f0eb300c18a770d41ae1253",
        "x_test": "f9b1e2130bab680db56eb06d886f7f1ad0f1183907ceff4659d1735c890f5b04",
        "y_test": "cec8a24a1e92aa2ecaa0bbd3dbfa86bf6cd8759fbd209a832824c8cf0afca9d5",
    },
)
SPECS = {spec.name: spec for spec in (MNIST, CIFAR10)}
CIFAR10_CLASSES_KO = ("비행기", "자동차", "새", "고양이", "사슴", "개", "개구리", "말", "배", "트럭")

Arrays = dict  # 이름 -> np.ndarray


def array_sha256(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def verify(arrays: Arrays, spec: DatasetSpec, source: str) -> None:
    """배열 이름, 모양, 체크섬을 확인하고 다르면 무엇이 다른지 한국어로 알립니다."""
    for key in ARRAY_NAMES:
        if key not in arrays:
            raise BookError(f"{source} 에 {spec.title}의 '{key}' 배열이 없습니다. {PREPARE_HINT}")
        if tuple(arrays[key].shape) != spec.shapes[key]:
            raise BookError(
                f"{source} 의 '{key}' 모양이 {tuple(arrays[key].shape)} 입니다 "
                f"({spec.shapes[key]} 이어야 함). {PREPARE_HINT}"
            )
        if array_sha256(arrays[key]) != spec.sha256[key]:
            raise BookError(
                f"{source} 의 '{key}' 체크섬이 맞지 않습니다. 파일이 손상되었거나 다른 데이터입니다. "
                f"파일을 지우고 다시 준비하세요. {PREPARE_HINT}"
            )


def describe(exc: BaseException) -> str:
    """예외를 '종류: 메시지' 한 줄로 (메시지가 없으면 종류만)."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def read_npz(path: Path, spec: DatasetSpec) -> Arrays:
    if not path.is_file():
        raise BookError(f"{spec.title} 파일 {path} 이(가) 없습니다. {PREPARE_HINT}")
    try:
        with np.load(path) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except Exception as exc:  # zip 손상, 잘린 파일, 권한 등
        raise BookError(f"{path} 을(를) 읽지 못했습니다 ({describe(exc)}). {PREPARE_HINT}") from exc
    verify(arrays, spec, str(path))
    return arrays


def folder_from_env() -> Path | None:
    value = os.environ.get(DATA_ENV, "").strip()
    if not value:
        return None
    folder = Path(value).expanduser()
    if not folder.is_dir():
        raise BookError(f"환경 변수 {DATA_ENV} 가 가리키는 폴더 {folder} 이(가) 없습니다. {PREPARE_HINT}")
    return folder


def repository_folders() -> list[Path]:
    """git에서 제외된 ``data/`` 폴더가 있을 수 있는 곳: 이 패키지가 든 저장소의 ``data/`` 하나.

    pip으로 설치한 패키지(Colab)는 저장소 안에 있지 않으므로 (``pyproject.toml`` 이 옆에 없음) 빈 목록입니다.
    """
    if (REPOSITORY / "pyproject.toml").is_file():
        return [REPOSITORY / "data"]
    return []


def is_network_error(exc: BaseException) -> bool:
    """예외나 그 원인 가운데 네트워크 오류(URLError, HTTPError, 소켓, 시간 초과, 연결)가 있으면 참."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        network = (urllib.error.URLError, socket.timeout, socket.gaierror, TimeoutError, ConnectionError)
        if isinstance(exc, network) or "URL fetch failure" in str(exc):  # 케라스는 URLError를 이렇게 감쌉니다
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def download(spec: DatasetSpec) -> Arrays:
    """케라스의 원래 불러오기 코드: 캐시에 있으면 그것을, 없으면 인터넷에서 받습니다."""
    import tensorflow as tf

    loader = getattr(tf.keras.datasets, spec.name)
    try:
        (x_train, y_train), (x_test, y_test) = loader.load_data()
    except Exception as exc:
        reason = "인터넷 연결을 확인하세요. " if is_network_error(exc) else ""
        raise BookError(
            f"{spec.title}을(를) 내려받지 못했습니다 ({describe(exc)}). {reason}{PREPARE_HINT}"
        ) from exc
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    verify(arrays, spec, "케라스에서 내려받은 데이터")
    return arrays


def load_arrays(spec: DatasetSpec) -> Arrays:
    """찾는 순서(모듈 설명 참고)대로 데이터를 찾아 검증된 배열 사전을 돌려줍니다."""
    env_folder = folder_from_env()
    if env_folder is not None:
        return read_npz(env_folder / spec.file_name, spec)
    for folder in repository_folders():
        if (folder / spec.file_name).is_file():
            return read_npz(folder / spec.file_name, spec)
    return download(spec)


def as_keras_tuple(arrays: Arrays):
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def load_mnist():
    """``tf.keras.datasets.mnist.load_data()`` 와 같은 모양의 MNIST를 돌려줍니다."""
    return as_keras_tuple(load_arrays(MNIST))


def load_cifar10():
    """``tf.keras.datasets.cifar10.load_data()`` 와 같은 모양의 CIFAR-10을 돌려줍니다."""
    return as_keras_tuple(load_arrays(CIFAR10))
