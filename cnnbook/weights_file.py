"""학습한 가중치의 캐시 파일(.npz): 캐시 폴더, 안전한 쓰기, 검사하며 읽기.

MNIST(:mod:`cnnbook.mnist_model`)와 CIFAR-10(:mod:`cnnbook.cifar`)이 함께 씁니다. 파일 하나에 가중치 배열
``w0, w1, …`` (케라스 ``get_weights()`` 순서)과 설명 사전(JSON) ``info`` 가 들어 있습니다.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import os
from pathlib import Path

import numpy as np

from cnnbook.errors import BookError, require

CACHE_ENV = "CNNBOOK_CACHE"


def cache_dir() -> Path:
    """가중치 캐시 폴더 (``CNNBOOK_CACHE`` 또는 ``~/.cache/cnnbook``)."""
    value = os.environ.get(CACHE_ENV, "").strip()
    return Path(value).expanduser() if value else Path.home() / ".cache" / "cnnbook"


def write_weights(path: Path | str, arrays, info: dict) -> Path:
    """가중치 배열과 설명을 ``path`` 에 씁니다. 같은 폴더의 임시 파일에 다 쓴 다음 바꿔치기하므로, 쓰다가 멈춰도
    반쯤 쓴 파일이나 임시 파일이 남지 않습니다."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    weights = {f"w{i}": np.asarray(a, dtype=np.float32) for i, a in enumerate(arrays)}
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp.npz")
    try:
        np.savez(temporary, info=np.array(json.dumps(info, ensure_ascii=False)), **weights)
        os.replace(temporary, path)
    except OSError as exc:
        raise BookError(f"가중치 파일 {path} 을(를) 쓰지 못했습니다 ({type(exc).__name__}: {exc}).") from exc
    finally:
        temporary.unlink(missing_ok=True)
    return path


def set_aside(path: Path | str, reason: str) -> Path | None:
    """다시 검사해 통과하지 못한 캐시를 지우지 않고 ``<이름>.rejected.npz`` 로 옮겨 둡니다 (전에 옮겨 둔 것은
    덮어씀). 이유를 한 줄로 알리고 새 경로를 돌려줍니다. 파일이 없으면 ``None``."""
    path = Path(path)
    if not path.is_file():
        return None
    target = path.with_name(f"{path.stem}.rejected{path.suffix or '.npz'}")
    os.replace(path, target)
    print(f"캐시 {path.name}을(를) 쓰지 않고 {target.name}(으)로 옮겨 두었습니다: {reason}")
    return target


def _source(part) -> str:
    """함수·클래스·모듈은 소스 코드, 나머지(사전, 목록, 글자, 숫자)는 정렬한 JSON."""
    if inspect.isfunction(part) or inspect.ismethod(part) or inspect.isclass(part) or inspect.ismodule(part):
        try:
            return inspect.getsource(part)
        except (OSError, TypeError) as exc:
            raise BookError(f"{part!r} 의 소스 코드를 찾을 수 없어 코드 지문을 만들 수 없습니다.") from exc
    try:
        return json.dumps(part, sort_keys=True, ensure_ascii=False, default=_plain)
    except TypeError as exc:
        raise BookError(f"코드 지문에 넣을 수 없는 값입니다: {type(part).__name__} ({exc}).") from exc


def _plain(value):
    """넘파이 수와 배열을 JSON이 아는 값으로."""
    if isinstance(value, (np.generic, np.ndarray)):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} 은(는) JSON으로 바꿀 수 없습니다")


def code_hash(*parts) -> str:
    """학습에 쓴 코드(함수, 클래스, 모듈)와 처방(사전 등)의 지문: sha256의 16진수 앞 16자리."""
    digest = hashlib.sha256()
    for part in parts:
        text = _source(part)
        digest.update(f"{len(text)}:".encode() + text.encode("utf-8"))
    return digest.hexdigest()[:16]


def read_weights(path: Path | str, format_version: int) -> tuple[list[np.ndarray], dict]:
    """캐시 파일을 읽어 (가중치 목록, 설명 사전)을 돌려줍니다. 문제가 있으면 한국어 BookError."""
    path = Path(path)
    require(path.is_file(), f"가중치 파일 {path} 이(가) 없습니다.")
    try:
        with np.load(path, allow_pickle=False) as npz:
            contents = {key: npz[key] for key in npz.files}
    except Exception as exc:  # 잘린 파일, npz가 아닌 파일 등 (원래 오류는 __cause__ 에 남깁니다)
        raise BookError(f"가중치 파일 {path} 을(를) 읽지 못했습니다. 파일이 손상되었습니다 ({type(exc).__name__}).") from exc
    try:
        info = json.loads(str(contents.pop("info")))
    except (KeyError, ValueError) as exc:
        raise BookError(f"가중치 파일 {path} 에 설명(info)이 없거나 읽을 수 없습니다. 파일이 손상되었습니다.") from exc
    require(isinstance(info, dict), f"가중치 파일 {path} 의 설명(info)이 사전이 아닙니다. 파일이 손상되었습니다.")
    require(
        info.get("format") == format_version,
        f"가중치 파일 {path} 의 형식 버전이 {info.get('format')} 입니다 ({format_version} 이어야 함).",
    )
    names = [f"w{i}" for i in range(len(contents))]
    require(sorted(contents) == sorted(names), f"가중치 파일 {path} 의 배열 이름이 예상과 다릅니다: {sorted(contents)}")
    weights = [contents[n] for n in names]
    require(all(np.all(np.isfinite(w)) for w in weights), f"가중치 파일 {path} 에 NaN이나 무한대가 있습니다.")
    return weights, info
