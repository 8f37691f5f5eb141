"""책의 글이 용어집(book/glossary.md)의 표기만 쓰는지, 영어 병기와 조사의 띄어쓰기가 한 가지 꼴인지 검사합니다.

검사하는 글: 노트북의 마크다운 셀과 book/ 의 페이지(코드 블록과 인라인 코드는 빼고), 노트북 코드 셀과
cnnbook 모듈의 `#` 주석과 한글이 든 문자열(출력으로 책에 나오는 글). 대소문자를 가립니다.
"""
from __future__ import annotations

import io
import json
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "book" / "glossary.md"
HANGUL = re.compile(r"[가-힣]")
# 코드로 보아 통째로 빼는 펜스: 언어 이름만 있거나 비어 있거나 코드/수식 지시어인 것. ({note} 같은 지시어의 글은 검사)
CODE_FENCE_INFO = re.compile(r"^(|[\w+.-]+|\{(code-cell|code-block|code|sourcecode|literalinclude|math)\}.*)$")
INLINE_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
URL = re.compile(r"\]\([^)\s]*\)|<?https?://[^\s)>]+>?")
# 처음 나올 때의 영어 병기 `**케라스**(Keras)`: 괄호 안 영어는 검사하지 않습니다.
GLOSS = re.compile(r"(\*\*[^*\n]+\*\*)\(([^)\n]*)\)")
# 용어집 표로는 적을 수 없는 잘못된 꼴 (정규식, 고칠 말)
PATTERNS = {
    r"미니배치 [\d,]+ ?개씩": "'이미지 N장짜리 미니배치' ('미니배치 N개'는 미니배치 N묶음입니다)",
    # 정규화는 normalization만 뜻합니다. regularization은 규제입니다 (한국어 교재들의 용어).
    r"정규화\**\s*\(\s*regulari[sz]|(?<!배치 )정규화 방법|일종의 정규화": "'규제' (regularization; 정규화는 normalization)",
}


# ---------------------------------------------------------------- 용어집 읽기

def glossary_rows() -> list[list[str]]:
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] in {"이 책의 용어", ""} or set(cells[0]) <= {"-"}:
            continue
        rows.append(cells)
    return rows


def forbidden_variants() -> dict[str, str]:
    """용어집 표의 마지막 열('쓰지 않는 표기')을 읽어 {표기: 이 책의 용어} 를 만듭니다."""
    variants = {}
    for cells in glossary_rows():
        for variant in cells[-1].split(","):
            variant = variant.strip()
            if variant and variant != "—":
                variants[variant] = cells[0]
    return variants


def official_terms() -> set[str]:
    """이 책의 용어들 (첫 열을 쉼표와 괄호로 나눈 것). '하이퍼파라미터' 안의 '파라미터' 같은 것을 허용하는 데 씁니다."""
    terms = set()
    for cells in glossary_rows():
        for piece in re.split(r"[,()]", cells[0]):
            if piece.strip():
                terms.add(piece.strip())
    return terms


# ---------------------------------------------------------------- 글 뽑기

def strip_code(markdown: str) -> str:
    """마크다운에서 코드 펜스와 인라인 코드, 링크 주소를 빼고 글만 남깁니다 (줄 번호는 그대로)."""
    out, fence = [], None
    for line in markdown.split("\n"):
        stripped = line.strip()
        match = re.match(r"^(`{3,}|~{3,})(.*)$", stripped)
        if fence is None and match:
            is_code = bool(CODE_FENCE_INFO.match(match.group(2).strip()))
            fence = (match.group(1), is_code)
            out.append("")
            continue
        if fence is not None and stripped.startswith(fence[0]) and set(stripped) <= set(fence[0][0]):
            fence = None
            out.append("")
            continue
        out.append("" if fence is not None and fence[1] else line)
    text = "\n".join(out)
    text = INLINE_CODE.sub(" ", text)
    return URL.sub(" ", text)


# 파이썬 3.12부터 f-문자열은 FSTRING_START/MIDDLE/END 로 나뉩니다 (Colab은 3.13).
STRING_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def code_prose(source: str) -> str:
    """코드에서 `#` 주석과 한글이 든 문자열만 뽑습니다 (IPython 매직 줄은 뺍니다)."""
    lines = [("" if line.lstrip().startswith(("%", "!")) else line) for line in source.split("\n")]
    kept = [""] * len(lines)  # 줄 번호를 지키려고 뽑은 글을 원래 줄에 둡니다
    try:
        for token in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            if token.type == tokenize.COMMENT or (token.type in STRING_TOKENS and HANGUL.search(token.string)):
                row = token.start[0] - 1
                kept[row] += " " + token.string.replace("\n", " ")
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pattern = r"#[^\n]*|\"[^\"\n]*[가-힣][^\"\n]*\"|'[^'\n]*[가-힣][^'\n]*'"
        kept = [" ".join(re.findall(pattern, line)) for line in lines]
    return strip_code("\n".join(kept))


def notebook_cells(path: Path):
    for number, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"], start=1):
        source = cell["source"]
        yield number, cell["cell_type"], "".join(source) if isinstance(source, list) else source


def prose_of_file(path: Path) -> list[tuple[str, str]]:
    """(위치, 검사할 글) 목록."""
    if path.suffix == ".md":
        return [(path.name, strip_code(path.read_text(encoding="utf-8")))]
    if path.suffix == ".py":
        return [(path.relative_to(ROOT).as_posix(), code_prose(path.read_text(encoding="utf-8")))]
    found = []
    for number, kind, source in notebook_cells(path):
        text = strip_code(source) if kind == "markdown" else code_prose(source) if kind == "code" else ""
        found.append((f"셀 {number}", text))
    return found


PAGES = sorted(p for p in (ROOT / "book").glob("*.md") if p != GLOSSARY)
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MODULES = sorted((ROOT / "cnnbook").rglob("*.py"))


def _id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# ---------------------------------------------------------------- 용어 검사

def variant_hits(text: str) -> list[str]:
    """글에서 찾은 '쓰지 않는 표기'를 '표기 → 이 책의 용어' 꼴로 돌려줍니다."""
    variants = forbidden_variants()
    terms = official_terms()
    original, text = text, GLOSS.sub(r"\1", text)
    pattern = re.compile("|".join(map(re.escape, sorted(variants, key=len, reverse=True))))
    hits = []
    for match in pattern.finditer(text):
        found, start = match.group(0), match.start()
        inside_term = any(
            text[start - k:start - k + len(term)] == term
            for term in terms if found in term and term != found
            for k in [m.start() for m in re.finditer(re.escape(found), term)] if start >= k
        )
        if not inside_term:
            hits.append(f"'{found}' → '{variants[found]}' ({_context(text, match)})")
    for regex, advice in PATTERNS.items():
        # 병기한 영어까지 보아야 하는 꼴이 있으므로 원래 글에서 찾습니다
        hits += [f"'{m.group(0)}' → {advice} ({_context(original, m)})" for m in re.finditer(regex, original)]
    return hits


def _context(text: str, match: re.Match) -> str:
    """찾은 곳의 줄 번호와 앞뒤 글."""
    line = text.count("\n", 0, match.start()) + 1
    left = text[max(0, match.start() - 12):match.start()].split("\n")[-1]
    right = text[match.end():match.end() + 12].split("\n")[0]
    return f"줄 {line}: …{left}[{match.group(0)}]{right}…"


def test_glossary_lists_variants():
    variants = forbidden_variants()
    assert variants["특징맵"] == "특징 맵"
    assert variants["컨볼루션"] == "합성곱"
    assert variants["Keras"] == "케라스" and variants["훈련"] == "학습" and variants["유닛"] == "뉴런"
    assert "Jupyter 커널" in variants and "커널 없이" in variants
    assert len(variants) > 50


def test_checker_can_fail():
    assert variant_hits("이 특징맵은 컨볼루션의 결과")
    assert not variant_hits("이 특징 맵은 합성곱의 결과")
    assert variant_hits("Keras로 만든 모델을 훈련합니다")
    assert not variant_hits("**케라스**(Keras)로 만든 모델을 학습합니다")
    assert not variant_hits("keras")  # 대소문자를 가립니다 (코드 이름이 글에 섞인 것은 이 검사의 몫이 아닙니다)
    assert variant_hits("커널을 다시 시작하세요") and variant_hits("살아 있는 커널이 없으면")
    assert not variant_hits("3×3 커널을 씁니다")
    assert not variant_hits("하이퍼파라미터를 고릅니다") and variant_hits("파라미터를 고릅니다")
    assert variant_hits("미니배치 50개씩 학습합니다") and not variant_hits("이미지 50장짜리 미니배치")
    assert variant_hits("드롭아웃은 **정규화**(regularization) 방법입니다.") and variant_hits("일종의 정규화입니다")
    assert not variant_hits("**규제**(regularization) 방법인 드롭아웃과 배치 정규화")


def test_prose_extraction():
    markdown = "Keras 밖\n```python\nkeras = '훈련'\n```\n`Keras` 안\n```{note}\n훈련 메모\n```\n[링크](https://keras.io/Keras)"
    text = strip_code(markdown)
    assert "Keras 밖" in text and "keras =" not in text and "`Keras`" not in text
    assert "훈련 메모" in text and "keras.io" not in text
    code = "%pip install x\nmodel = keras.Sequential()  # Keras 모델을 훈련\nprint('시험 정확도', 'Keras')\n"
    prose = code_prose(code)
    assert "Keras 모델을 훈련" in prose and "시험 정확도" in prose and "'Keras'" not in prose
    assert "Sequential" not in prose


@pytest.mark.parametrize("path", PAGES + NOTEBOOKS + MODULES, ids=_id)
def test_no_variant_spelling(path):
    problems = [f"{where}: {hit}" for where, text in prose_of_file(path) for hit in variant_hits(text)]
    assert not problems, f"{_id(path)}:\n  " + "\n  ".join(problems)


# ---------------------------------------------------------------- 영어 병기와 조사의 띄어쓰기

PARTICLES = "으로|은|는|이|가|을|를|의|에|로|와|과|도|만"
# 굵은 용어(한글 포함, 문장 부호로 끝나지 않음)
BOLD_TERM = r"\*\*(?=[^*\n]*[가-힣])[^*\n]*[^*\n.:!?。]\*\*"
STYLE_RULES = {
    "굵은 용어와 영어 괄호 사이에 빈칸": re.compile(BOLD_TERM + r"[ \t]+\([A-Za-z][^)\n]*\)"),
    "영어 괄호와 조사 사이에 빈칸": re.compile(BOLD_TERM + r"\([A-Za-z][^)\n]*\)[ \t]+(?:" + PARTICLES + r")(?![가-힣])"),
    # '이', '가' 는 뺍니다: "**정리** 이 장에서는" 처럼 굵은 제목 뒤에 지시어로 오는 일이 많습니다.
    "굵은 용어와 조사 사이에 빈칸": re.compile(BOLD_TERM + r"[ \t]+(?:" + PARTICLES.replace("|이|가", "") + r")(?![가-힣])"),
    "영어 괄호는 굵은 글씨 밖에 (**용어**(English))": re.compile(r"\*\*[^*\n]*[가-힣][^*\n]*\([A-Za-z][^)\n]*\)\*\*"),
}


def style_hits(markdown: str) -> list[str]:
    """마크다운 글에서 병기·조사 띄어쓰기 어긋남을 찾습니다 (코드 펜스 안은 보지 않습니다)."""
    hits = []
    # 코드 펜스만 지우고 인라인 코드는 남깁니다 (닫는 백틱 뒤의 조사를 보려고).
    lines, fence = [], None
    for line in markdown.split("\n"):
        match = re.match(r"^\s*(`{3,}|~{3,})", line)
        if match and fence is None:
            fence = match.group(1)
            lines.append("")
        elif fence is not None and line.strip().startswith(fence) and set(line.strip()) <= set(fence[0]):
            fence = None
            lines.append("")
        else:
            lines.append("" if fence else line)
    for number, line in enumerate(lines, start=1):
        for span in INLINE_CODE.finditer(line):
            after = line[span.end():]
            particle = re.match(r"[ \t]+(" + PARTICLES + r")(?![가-힣])", after)
            if particle:
                hits.append(f"줄 {number}: 인라인 코드와 조사 사이에 빈칸: '{span.group(0)}{particle.group(0)}'")
        plain = INLINE_CODE.sub("CODE", line)
        for rule, regex in STYLE_RULES.items():
            hits += [f"줄 {number}: {rule}: '{m.group(0)}'" for m in regex.finditer(plain)]
    return hits


def test_style_checker_can_fail():
    assert style_hits("**합성곱** (convolution)은")
    assert style_hits("**합성곱**(convolution) 은 곱셈")
    assert style_hits("`padding` 의 값") and style_hits("`x` 으로 바꿉니다.") and style_hits("끝은 `y` 도")
    assert style_hits("**합성곱** 은 곱셈")
    assert style_hits("**풀링(pooling)**은")
    assert not style_hits("**합성곱**(convolution)은 `padding`의 값과 `x`로 바꿉니다")
    assert not style_hits("`tf.nn.conv2d` 함수의 `x` 이름과 `y` 에서는")  # 조사가 아닌 말, '에서'
    assert not style_hits("**문제 1.** (선택) 다음을 푸세요")  # 문장 부호로 끝나는 굵은 제목은 병기가 아닙니다
    assert not style_hits("**정리** 이 장에서는")  # 지시어 '이
    assert not style_hits("```python\nx = `a` 의\n```")


def markdown_sources(path: Path) -> list[tuple[str, str]]:
    if path.suffix == ".md":
        return [(path.name, path.read_text(encoding="utf-8"))]
    return [(f"셀 {n}", src) for n, kind, src in notebook_cells(path) if kind == "markdown"]


@pytest.mark.parametrize("path", PAGES + NOTEBOOKS, ids=_id)
def test_gloss_and_particle_spacing(path):
    problems = [f"{where} {hit}" for where, text in markdown_sources(path) for hit in style_hits(text)]
    assert not problems, f"{_id(path)}:\n  " + "\n  ".join(problems)


# ---------------------------------------------------------------- 받침에 맞는 조사

def _has_final(syllable: str) -> bool:
    return (ord(syllable) - 0xAC00) % 28 != 0


PARTICLE_AFTER = re.compile(r"([가-힣])(를|와|을|으로)(?=[\s.,)!?:;]|$)")


def particle_hits(text: str) -> list[str]:
    """받침과 맞지 않는 조사: 받침 뒤의 '를', '와' (예: "뉴런를"), 받침 없는 글자 뒤의 '을', '으로' (예: "필터을").

    '과', '이', '은', '는', '가' 는 낱말의 일부(결과, 사과)나 어미(먹는)와 헷갈리므로 보지 않습니다.
    """
    hits = []
    for m in PARTICLE_AFTER.finditer(text):
        before, particle = m.group(1), m.group(2)
        if _has_final(before) == (particle in ("를", "와")):
            hits.append(text[max(0, m.start() - 12):m.end()].replace("\n", " "))
    return hits


def test_particle_checker_can_fail():
    assert particle_hits("가운데 뉴런를 볼 수 있습니다")
    assert particle_hits("필터을 씁니다") and particle_hits("모델와 데이터") and particle_hits("필터으로 바꿉니다")
    assert not particle_hits("가운데 뉴런을 보고 필터를 씁니다. 모델과 데이터, 필터로 바꿉니다")


@pytest.mark.parametrize("path", PAGES + NOTEBOOKS, ids=_id)
def test_particles_agree_with_the_final_consonant(path):
    problems = [f"{where}: '{hit}'" for where, text in markdown_sources(path) for hit in particle_hits(text)]
    if path.suffix == ".ipynb":  # 코드가 만드는 한국어 문장(문자열)도
        problems += [f"셀 {n}: '{hit}'" for n, kind, src in notebook_cells(path) if kind == "code"
                     for hit in particle_hits(src)]
    assert not problems, f"{_id(path)}:\n  " + "\n  ".join(problems)
