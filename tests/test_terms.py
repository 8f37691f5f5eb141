"""본문과 노트북이 용어집(book/glossary.md)의 표기만 쓰는지 검사합니다."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "book" / "glossary.md"


def forbidden_variants() -> dict[str, str]:
    """용어집 표의 '쓰지 않는 표기' 열을 읽어 {표기: 이 책의 용어} 를 만듭니다."""
    variants = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in {"이 책의 용어", ""} or set(cells[0]) <= {"-"}:
            continue
        for variant in cells[2].split(","):
            variant = variant.strip()
            if variant and variant != "—":
                variants[variant] = cells[0]
    return variants


def texts() -> list[tuple[str, str]]:
    """(위치, 글) 목록: book/ 의 마크다운 페이지와 노트북의 모든 셀."""
    found = []
    for page in sorted((ROOT / "book").glob("*.md")):
        if page != GLOSSARY:
            found.append((str(page.relative_to(ROOT)), page.read_text(encoding="utf-8")))
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for number, cell in enumerate(cells, start=1):
            found.append((f"{notebook.relative_to(ROOT)} 셀 {number}", "".join(cell["source"])))
    return found


def test_glossary_lists_variants():
    variants = forbidden_variants()
    assert variants["특징맵"] == "특징 맵"
    assert variants["컨볼루션"] == "합성곱"
    assert len(variants) > 30


def test_checker_rejects_a_variant():
    pattern = re.compile("|".join(map(re.escape, forbidden_variants())))
    assert pattern.search("이 특징맵은 컨볼루션의 결과")
    assert not pattern.search("이 특징 맵은 합성곱의 결과")


@pytest.mark.parametrize("where,text", texts(), ids=lambda v: v if len(v) < 60 else None)
def test_no_variant_spelling(where, text):
    variants = forbidden_variants()
    pattern = re.compile("|".join(map(re.escape, sorted(variants, key=len, reverse=True))))
    hits = sorted({m.group(0) for m in pattern.finditer(text)})
    assert not hits, f"{where}: " + ", ".join(f"'{h}' 대신 '{variants[h]}'" for h in hits)
