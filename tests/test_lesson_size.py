"""수업 하나(75분)에 맞는 크기: 노트북마다 셀 45개, 글 1,500단어 이하.

글은 마크다운 셀의 낱말(빈칸으로 나눈 것) 수이고, 코드 블록(```)은 세지 않습니다. 연습 문제의 접힌 풀이도 셉니다.
이 한도를 넘는 장은 수업 둘로 나누거나, 엔지니어링 이야기를 부록으로 옮깁니다 (교사용 안내의 강의 계획 참고).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MAX_CELLS = 45
MAX_WORDS = 1500
FENCE = re.compile(r"```.*?```", re.S)


def lesson_size(nb: dict) -> tuple[int, int]:
    """(셀 수, 마크다운 글의 낱말 수)."""
    words = 0
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            words += len(FENCE.sub(" ", text).split())
    return len(nb["cells"]), words


def test_size_counter_counts_cells_and_prose_words():
    nb = {"cells": [
        {"cell_type": "markdown", "source": ["## 제목\n", "합성곱은 곱해서 더합니다.\n", "```python\nx = 1 + 2\n```"]},
        {"cell_type": "code", "source": ["print('코드의 낱말은 세지 않습니다')"]},
    ]}
    assert lesson_size(nb) == (2, 5)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_lesson_fits_one_lecture(path):
    cells, words = lesson_size(json.loads(path.read_text(encoding="utf-8")))
    assert cells <= MAX_CELLS and words <= MAX_WORDS, (
        f"{path.name}: 셀 {cells}개(한도 {MAX_CELLS}), 글 {words:,}단어(한도 {MAX_WORDS:,}). "
        "수업 둘로 나누거나 엔지니어링 이야기를 부록으로 옮기세요.")
