"""책과 노트북이 함께 쓰는 그림. 장마다 모듈 하나이며, 각 모듈은 ``FIGURES`` 를 내보냅니다.

``FIGURES`` 는 ``{"파일이름.png": 그림을 만드는 함수}`` 사전입니다. 함수는 인자 없이
matplotlib ``Figure`` (PNG로 저장) 또는 ``Animation`` (GIF로 저장)을 돌려줍니다.
``python scripts/make_figures.py`` 가 모든 모듈을 찾아 ``images/`` 에 저장합니다.
"""
from __future__ import annotations

import importlib
import pkgutil


def all_figures() -> dict:
    """모든 장의 ``FIGURES`` 를 하나로 모읍니다 (파일 이름이 겹치면 오류)."""
    found: dict = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for file_name, make in getattr(module, "FIGURES", {}).items():
            if file_name in found:
                raise ValueError(f"그림 파일 이름이 겹칩니다: {file_name}")
            found[file_name] = make
    return found
