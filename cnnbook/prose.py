"""계산한 값을 넣어 만든 한국어 글을 노트북에 보여 주는 ``Markdown``.

IPython의 ``Markdown`` 과 같되, 굵게(``**…**``)를 HTML의 ``<strong>`` 으로 바꿔 보냅니다. 마크다운의 규칙
(CommonMark의 flanking 규칙)에서는 닫는 ``**`` 앞이 문장 부호이고 뒤가 글자이면 굵게가 닫히지 않아,
"**99.28%**입니다"처럼 한국어 조사가 바로 붙는 곳에서 별표가 그대로 보이기 때문입니다. 코드 조각(`…`) 안은
그대로 둡니다.
"""
from __future__ import annotations

import re

from IPython.display import Markdown as _IPythonMarkdown

__all__ = ["Markdown", "layer_table", "particle", "strong"]

_CODE = re.compile(r"(`+)(?:.+?)\1", re.S)
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.S)


def strong(text: str) -> str:
    """마크다운 글의 ``**굵게**`` 를 모두 ``<strong>굵게</strong>`` 으로 바꿉니다 (코드 조각 밖에서만)."""
    parts, last = [], 0
    for code in _CODE.finditer(text):
        parts.append(_BOLD.sub(r"<strong>\1</strong>", text[last:code.start()]))
        parts.append(code.group(0))
        last = code.end()
    parts.append(_BOLD.sub(r"<strong>\1</strong>", text[last:]))
    return "".join(parts)


# 조사 쌍: (받침이 있을 때, 없을 때)
_PAIRS = {"을/를": ("을", "를"), "이/가": ("이", "가"), "은/는": ("은", "는"), "과/와": ("과", "와"),
          "으로/로": ("으로", "로"), "이다/다": ("이다", "다")}
# 숫자를 읽을 때 받침: 0 영, 1 일, 3 삼, 6 육, 7 칠, 8 팔 은 받침이 있고, 1·7·8 은 받침이 ㄹ입니다.
_DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ", "9": ""}
_TRAILING_GLOSS = re.compile(r"\s*\([^()]*\)$")


def _final_consonant(word: str) -> str | None:
    """마지막으로 읽히는 글자의 받침 ("" 은 받침 없음). 끝의 영어 병기 "(cat)" 는 건너뜁니다. 모르면 None."""
    word = _TRAILING_GLOSS.sub("", word.strip())
    if not word:
        return None
    last = word[-1]
    if "가" <= last <= "힣":
        index = (ord(last) - 0xAC00) % 28
        return "" if index == 0 else ("ㄹ" if index == 8 else "받침")
    return _DIGIT_FINAL.get(last)


def particle(word: str, pair: str) -> str:
    """``word`` 뒤에 받침에 맞는 조사를 붙입니다: ``particle("고양이(cat)", "을/를")`` → ``"고양이(cat)를"``.

    "으로/로"는 받침 ㄹ 뒤에서도 "로"입니다. 받침을 알 수 없는 말(영어로 끝나는 말)이면 "을(를)"처럼 둘 다 적습니다.
    """
    if pair not in _PAIRS:
        from cnnbook.errors import BookError

        raise BookError(f"조사 쌍은 {', '.join(_PAIRS)} 가운데 하나입니다. 받은 값: {pair!r}")
    with_final, without = _PAIRS[pair]
    final = _final_consonant(word)
    if final is None:
        return f"{word}{with_final}({without})"
    if final == "" or (pair == "으로/로" and final == "ㄹ"):
        return word + without
    return word + with_final


class Markdown(_IPythonMarkdown):
    """굵게가 조사 앞에서도 굵게 보이는 ``IPython.display.Markdown``."""

    def __init__(self, data=None, url=None, filename=None, metadata=None):
        super().__init__(data=strong(data) if isinstance(data, str) else data,
                         url=url, filename=filename, metadata=metadata)


# 케라스 계층 종류의 한국어 이름 (용어집의 표기)
LAYER_KINDS = {
    "InputLayer": "입력", "Conv2D": "합성곱", "MaxPooling2D": "최대 풀링", "AveragePooling2D": "평균 풀링",
    "GlobalAveragePooling2D": "전역 평균 풀링", "GlobalMaxPooling2D": "전역 최대 풀링", "Flatten": "펼치기",
    "Dense": "완전 연결", "Dropout": "드롭아웃", "Softmax": "소프트맥스", "BatchNormalization": "배치 정규화",
    "BatchNorm": "배치 정규화", "Activation": "활성화 함수", "Normalization": "입력 정규화", "Rescaling": "배율",
}


def layer_table(model) -> str:
    """케라스 모델의 계층 표(마크다운): 이름, 종류(한국어), 출력 모양, 매개변수 수, 맨 아래 합계.

    케라스의 영어 ``summary()`` 대신 씁니다. 출력 모양의 첫 축(이미지 수)은 ``N`` 으로 적습니다.
    """
    rows = ["| 계층 | 종류 | 출력 모양 | 매개변수 |", "|---|---|---|---:|"]
    for layer in model.layers:
        kind = type(layer).__name__
        shape = tuple("N" if d is None else d for d in layer.output.shape)
        rows.append(f"| `{layer.name}` | {LAYER_KINDS.get(kind, kind)} | ({', '.join(map(str, shape))}) | "
                    f"{layer.count_params():,} |")
    rows.append(f"| 합계 | | | {model.count_params():,} |")
    return "\n".join(rows)
