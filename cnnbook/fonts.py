"""matplotlib 그림에 한글을 쓰기 위한 설정 (Windows, macOS, 리눅스, Colab).

먼저 koreanize-matplotlib 패키지가 담고 있는 나눔고딕(OFL)을 직접 등록합니다. 그 패키지를 import하지 않으므로
``distutils`` 가 없는 파이썬 3.12 이상에서도 동작하고, Colab에서 런타임을 다시 시작할 필요도 없습니다.
책의 그림(``images/``)은 이 글꼴로 만들어 바이트 단위로 비교합니다.

나눔고딕이 없으면 운영 체제의 한글 글꼴을 찾습니다: Windows의 맑은 고딕, macOS의 Apple SD Gothic Neo와
AppleGothic, 리눅스의 Noto Sans CJK와 나눔고딕. 그래도 없으면 한글 글자가 든 아무 글꼴이나 쓰고,
하나도 없으면 운영 체제에 맞는 설치 방법을 한국어로 알려 줍니다.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import matplotlib
from matplotlib import font_manager

from cnnbook.errors import BookError

FONT_FAMILY = "NanumGothic"  # koreanize-matplotlib 에 든 글꼴 (책의 그림은 이 글꼴로 만듦)
# 고른 글꼴에 없는 글자(예: 그리스 문자 일부)는 DejaVu Sans로 대신 그립니다.
FALLBACK_FAMILY = "DejaVu Sans"
# 운영 체제마다 찾아볼 한글 글꼴 (앞의 것부터)
SYSTEM_FAMILIES = {
    "windows": ("Malgun Gothic",),
    "macos": ("Apple SD Gothic Neo", "AppleGothic"),
    "linux": ("Noto Sans CJK KR", "NanumGothic", "Noto Sans KR", "Noto Sans CJK JP", "UnDotum"),
}
INSTALL_HINTS = {
    "windows": "Windows에는 맑은 고딕(Malgun Gothic)이 기본으로 들어 있습니다. 지워졌다면 설정 → 글꼴에서 다시 설치하세요.",
    "macos": "macOS에는 Apple SD Gothic Neo와 AppleGothic이 기본으로 들어 있습니다. 서체 관리자에서 켜 주세요.",
    "linux": "`sudo apt-get install fonts-noto-cjk` (또는 `fonts-nanum`)으로 한글 글꼴을 설치하세요.",
}
HANGUL = (0xAC00, 0xD55C)  # '가', '한': 한글 글꼴인지 확인하는 글자
MINUS = 0x2212  # 유니코드 빼기 기호


def platform_name(platform: str | None = None) -> str:
    """``sys.platform`` 을 ``"windows"``, ``"macos"``, ``"linux"`` 중 하나로 바꿉니다 (그 밖은 리눅스처럼)."""
    platform = sys.platform if platform is None else platform
    if platform.startswith(("win", "cygwin", "msys")):
        return "windows"
    if platform == "darwin":
        return "macos"
    return "linux"


def bundled_font_files() -> list[Path]:
    """koreanize-matplotlib 안의 나눔고딕 글꼴 파일 목록 (패키지를 실행하지 않고 찾음)."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return []
    font_dir = Path(list(spec.submodule_search_locations)[0]) / "fonts"
    return sorted(font_dir.glob("*.ttf"))


def font_characters(path: Path) -> set[int]:
    """글꼴 파일에 든 글자(유니코드 코드 포인트)들. 읽을 수 없는 파일이면 빈 집합."""
    from matplotlib.ft2font import FT2Font

    try:
        return set(FT2Font(str(path)).get_charmap())
    except (OSError, RuntimeError, ValueError):
        return set()


def installed_fonts() -> dict[str, Path]:
    """matplotlib가 아는 글꼴 이름 → 파일 (같은 이름이 여럿이면 처음 것)."""
    found: dict[str, Path] = {}
    for entry in font_manager.fontManager.ttflist:
        found.setdefault(entry.name, Path(entry.fname))
    return found


def find_system_font(platform: str | None = None) -> tuple[str, Path] | None:
    """이 운영 체제의 한글 글꼴 (이름, 파일). 정한 이름이 없으면 한글 글자가 든 아무 글꼴, 그것도 없으면 None."""
    fonts = installed_fonts()
    system = platform_name(platform)
    preferred = [*SYSTEM_FAMILIES[system], *(n for s, names in SYSTEM_FAMILIES.items() if s != system for n in names)]
    for name in preferred:
        if name in fonts and set(HANGUL) <= font_characters(fonts[name]):
            return name, fonts[name]
    for name, path in sorted(fonts.items()):
        if set(HANGUL) <= font_characters(path):
            return name, path
    return None


def missing_font_message(platform: str | None = None) -> str:
    """한글 글꼴이 하나도 없을 때의 안내 (운영 체제에 맞게)."""
    system = platform_name(platform)
    return (
        "한글 글꼴을 찾지 못했습니다. `pip install koreanize-matplotlib` 로 책이 쓰는 나눔고딕을 설치하거나, "
        f"{INSTALL_HINTS[system]} 글꼴을 새로 설치했다면 matplotlib 글꼴 캐시 폴더({matplotlib.get_cachedir()})의 "
        "fontlist 파일을 지운 뒤 노트북을 다시 시작하세요 (Colab: 런타임 → 세션 다시 시작)."
    )


def use_korean_font(platform: str | None = None) -> str:
    """한글 글꼴을 찾아 matplotlib 기본 글꼴로 정하고 그 이름을 돌려줍니다. 없으면 :class:`BookError`."""
    files = bundled_font_files()
    if files:
        for path in files:
            font_manager.fontManager.addfont(str(path))
        family, path = FONT_FAMILY, files[0]
    else:
        found = find_system_font(platform)
        if found is None:
            raise BookError(missing_font_message(platform))
        family, path = found
    matplotlib.rcParams["font.family"] = [family, FALLBACK_FAMILY]
    # 유니코드 빼기 기호(U+2212)가 없는 글꼴(나눔고딕 등)에서는 ASCII 하이픈으로 음수를 씁니다.
    matplotlib.rcParams["axes.unicode_minus"] = MINUS in font_characters(path)
    return family
