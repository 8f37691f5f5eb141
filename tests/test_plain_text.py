"""원본은 평범한 글자만: 제어 문자가 없어야 합니다.

파이썬 문자열의 `"\text"` 는 TAB + "ext" 가, `"\frac"` 은 폼 피드 + "rac" 가, `"\right"` 는 CR + "ight" 가 됩니다.
그렇게 만든 노트북은 수식이 깨진 채로 책에 나옵니다. 노트북은 셀의 원문(JSON을 푼 글)을 검사합니다.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# TAB(\x09), 줄바꿈(\x0a), CR(\x0d)을 뺀 제어 문자와 DEL
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TAB = re.compile(r"\t")
LONE_CR = re.compile(r"\r(?!\n)")
NAMES = {"\t": "TAB (\\t)", "\x0c": "폼 피드 (\\f: \\frac?)", "\x08": "백스페이스 (\\b: \\beta?)",
         "\x07": "벨 (\\a: \\alpha?)", "\x0b": "세로 탭 (\\v: \\vec?)", "\r": "CR (\\r: \\right?)", "\x00": "NUL"}


def problems(text: str, markdown: bool) -> list[str]:
    """제어 문자마다 '줄 N: 이름 …앞뒤…' 를 돌려줍니다. markdown 이면 TAB과 홀로 선 CR도 잡습니다."""
    rules = [CONTROL, LONE_CR] + ([TAB] if markdown else [])
    found = []
    for rule in rules:
        for match in rule.finditer(text):
            char = match.group(0)
            line = text.count("\n", 0, match.start()) + 1
            around = "".join(_visible(c) for c in text[max(0, match.start() - 15):match.end() + 15])
            found.append(f"줄 {line}: {NAMES.get(char, repr(char))} …{around}…")
    return found


def _visible(char: str) -> str:
    """제어 문자를 눈에 보이는 꼴로 (한글은 그대로)."""
    if char == "\n":
        return "⏎"
    return repr(char)[1:-1] if ord(char) < 32 or ord(char) == 127 else char


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PAGES = sorted((ROOT / "book").glob("*.md")) + [ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
SOURCES = sorted((ROOT / "cnnbook").rglob("*.py")) + sorted((ROOT / "scripts").glob("*.py")) + [
    ROOT / "_config.yml", ROOT / "_toc.yml"]


def _id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_notebook_cells_are_plain_text(path):
    found = []
    for number, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"], start=1):
        source = cell["source"]
        source = "".join(source) if isinstance(source, list) else source
        found += [f"셀 {number} {p}" for p in problems(source, markdown=cell["cell_type"] == "markdown")]
    assert not found, f"{path.name}:\n  " + "\n  ".join(found)


@pytest.mark.parametrize("path", PAGES, ids=_id)
def test_pages_are_plain_text(path):
    found = problems(path.read_text(encoding="utf-8"), markdown=True)
    assert not found, f"{_id(path)}:\n  " + "\n  ".join(found)


@pytest.mark.parametrize("path", [p for p in SOURCES if p.exists()], ids=_id)
def test_sources_are_plain_text(path):
    found = problems(path.read_text(encoding="utf-8"), markdown=False)
    assert not found, f"{_id(path)}:\n  " + "\n  ".join(found)


def test_checker_can_fail():
    assert problems("$\\times 3$ 와 $" + "\t" + "ext{a}$", markdown=True)  # "\text" 가 TAB이 된 경우
    assert problems("$\\" + "\x0c" + "rac{1}{2}$", markdown=False)
    assert problems("\\left(x" + "\r" + "ight)", markdown=False)
    assert not problems("def f():\n\treturn 1\r\n", markdown=False)  # 코드의 TAB 들여쓰기와 CRLF는 허용
    assert problems("표\t칸", markdown=True)
