"""matplotlib 그림에 한글을 쓰기 위한 설정.

koreanize-matplotlib 패키지가 담고 있는 나눔고딕(OFL)을 직접 등록합니다.
그 패키지를 import하지 않으므로 ``distutils`` 가 없는 파이썬 3.12 이상에서도 동작하고,
Colab에서 런타임을 다시 시작할 필요도 없습니다.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib
from matplotlib import font_manager

from cnnbook.errors import BookError

FONT_FAMILY = "NanumGothic"
# 나눔고딕에 없는 글자(예: 그리스 문자 일부)는 DejaVu Sans로 대신 그립니다.
FALLBACK_FAMILY = "DejaVu Sans"


def bundled_font_files() -> list[Path]:
    """koreanize-matplotlib 안의 나눔고딕 글꼴 파일 목록 (패키지를 실행하지 않고 찾음)."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return []
    font_dir = Path(list(spec.submodule_search_locations)[0]) / "fonts"
    return sorted(font_dir.glob("*.ttf"))


def use_korean_font() -> str:
    """한글 글꼴을 등록하고 matplotlib 기본 글꼴로 정한 뒤 그 이름을 돌려줍니다."""
    files = bundled_font_files()
    if not files:
        raise BookError(
            "한글 글꼴을 찾지 못했습니다. `pip install koreanize-matplotlib` 로 "
            "글꼴 패키지를 설치한 뒤 다시 실행하세요."
        )
    for path in files:
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams["font.family"] = [FONT_FAMILY, FALLBACK_FAMILY]
    # 나눔고딕에는 유니코드 빼기 기호(U+2212)가 없으므로 ASCII 하이픈을 씁니다.
    matplotlib.rcParams["axes.unicode_minus"] = False
    return FONT_FAMILY
