"""장마다 reveal.js 강의 슬라이드를 만듭니다: ``bash scripts/slides.sh`` 가 부릅니다.

1. 실행된 노트북을 찾습니다: 책을 만들 때 Jupyter Book이 남긴 ``_build/jupyter_execute/notebooks/``
   (없거나 원본과 코드가 다르면 빠른 모드로 직접 실행해 ``_build/slides/executed/`` 에 둡니다).
2. 원본 노트북은 건드리지 않고, 임시 사본에 슬라이드 메타데이터를 자동으로 붙입니다:
   ``##`` 제목은 새 슬라이드, ``###`` 는 아래쪽 슬라이드, 그림과 재생기는 자기 슬라이드, 긴 셀은 나눔,
   설정 셀과 풀이는 건너뜀, ``remove-cell``/``remove-output``/``remove-input`` 태그를 따름.
   확인만 하는 코드(``assert``), 글을 만드는 코드(``Markdown(``), 그림만 그리는 코드, 강의 코드(``#@save``)가 아닌 긴 실험 코드는
   코드 대신 출력만 싣고, 연습 문제의 답 칸과 확인 셀은 싣지 않으며, 넘쳐서 이어지는
   슬라이드에는 절 제목을 "(이어서)"와 함께 다시 적어 모든 슬라이드에 제목이나 그림이 있게 합니다.
   본문 문단은 첫 문장만 슬라이드에 남기고 전체는 발표자 노트(``s`` 키)로 옮깁니다.
3. nbconvert의 슬라이드 내보내기로 ``_build/html/slides/<노트북>.html`` 을 만들고,
   reveal.js와 MathJax, 한글 글꼴을 ``_build/html/slides/_assets/`` 에 복사합니다 (오프라인).
4. 책이 이미 만들어져 있으면 각 장 페이지 제목 아래에 그 장의 슬라이드 링크를 넣습니다.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import html
import math
import os
import re
import shutil
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIR = ROOT / "scripts" / "slides_template"
BUDGET = 540  # 슬라이드 한 장에 넣을 내용의 높이 (px, 1280×720 슬라이드 기준, 여백 제외)
CODE_LINES = 20  # 코드 셀을 이보다 길면 나눕니다
HEADING_ONLY = 80  # 이 높이까지는 제목뿐인 슬라이드로 보고, 넘치는 내용도 그 슬라이드에 함께 둡니다
TEXT_LINES = 12  # 글 출력(print)은 이만큼만 보여 줍니다
SOLUTION = re.compile(r"^\s*#@title\s+풀이")
DETAILS = re.compile(r"<details>\s*<summary>\s*풀이", re.S)
HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
# 연습 문제의 코드 셀: 확인(check, evaluate)을 부르거나 "여기에 …" 자리표시를 둔 답 칸
EXERCISE_CODE = re.compile(r"cnnbook\.exercises\.|(= None|return None)\s*#\s*여기")
# 확인만 하는 코드(assert)나 글만 만드는 코드(Markdown(...))는 슬라이드에 코드를 싣지 않고 출력만 보입니다.
CHECK_OR_PROSE = re.compile(r"^\s*assert\b|\bMarkdown\(", re.M)
SENTENCE_END = re.compile(r"(?<=[다요죠까])\.(?=\s|$)|(?<=[.!?])\s")


# --- 실행된 노트북 찾기 ------------------------------------------------------------

def chapters() -> list[Path]:
    """``_toc.yml`` 순서의 장 노트북들."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = []
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            path = ROOT / (chapter["file"] + ".ipynb")
            if path.is_file():
                files.append(path)
    return files


def code_fingerprint(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def package_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "cnnbook").rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def find_executed(source: Path, search: list[Path]):
    """원본과 코드 셀이 같은, 이미 실행된 노트북을 찾습니다."""
    original = nbformat.read(source, as_version=4)
    for folder in search:
        candidate = folder / source.relative_to(ROOT)
        if candidate.is_file():
            executed = nbformat.read(candidate, as_version=4)
            if code_fingerprint(executed) == code_fingerprint(original):
                return executed, str(candidate)
    return None, None


def execute_fast(source: Path, cache: Path):
    """빠른 모드로 실행해 캐시에 둡니다 (원본과 공용 패키지가 같으면 다시 쓰기)."""
    from nbclient import NotebookClient

    sys.path.insert(0, str(ROOT / "_ext"))  # 책 빌드와 같은 고침: 커널의 답 알림을 놓쳐도 멈추지 않게
    from kernel_channels import patch_async_channel

    patch_async_channel()

    key = hashlib.sha256(source.read_bytes()).hexdigest()[:16] + "-" + package_hash()
    target = cache / f"{source.stem}.{key}.ipynb"
    if target.is_file():
        return nbformat.read(target, as_version=4)
    nb = nbformat.read(source, as_version=4)
    env = dict(os.environ, CNNBOOK_FAST="1", CNNBOOK_SOLUTIONS="1")
    os.environ.update(CNNBOOK_FAST="1", CNNBOOK_SOLUTIONS="1")  # 커널은 이 환경을 물려받습니다
    print(f"  {source.name}: 실행된 결과가 없어 빠른 모드로 실행합니다", flush=True)
    timeout = int(os.environ.get("CNNBOOK_SLIDES_TIMEOUT", "600"))  # 셀 하나의 한도 (초)
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(source.parent)}}).execute(env=env)
    except Exception as error:  # 시간 초과 등: 그때까지의 출력으로 슬라이드를 만들고, 캐시에는 두지 않습니다
        print(f"  경고: {source.name} 을 끝까지 실행하지 못했습니다 ({type(error).__name__})",
              file=sys.stderr, flush=True)
        return nb
    errors = sum(o.output_type == "error" for c in nb.cells for o in c.get("outputs", []))
    if errors:
        print(f"  경고: {source.name} 의 셀 {errors}개가 오류로 끝났습니다 (슬라이드에서는 빠짐)",
              file=sys.stderr, flush=True)
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob(f"{source.stem}.*.ipynb"):
        old.unlink()
    nbformat.write(nb, target)
    return nb


# --- 슬라이드 구조 만들기 ------------------------------------------------------------

def tags(cell) -> set[str]:
    return set(cell.metadata.get("tags", []))


ADMONITIONS = {"note": "참고", "warning": "주의", "tip": "도움말", "important": "중요", "caution": "주의"}


def demyst(text: str) -> str:
    """슬라이드의 마크다운(mistune)이 모르는 MyST 상자(``:::{note}``)를 굵은 머리말과 보통 문단으로 바꿉니다."""
    lines = []
    for line in text.splitlines():
        opening = re.match(r"^\s*:::+\{(\w+)\}\s*(.*)$", line)
        if opening:
            label = ADMONITIONS.get(opening.group(1), opening.group(1))
            lines += ["", f"**{label}** {opening.group(2)}".rstrip(), ""]
        elif re.match(r"^\s*:::+\s*$", line):
            lines.append("")
        else:
            lines.append(line)
    return "\n".join(lines)


def md_blocks(text: str) -> list[str]:
    """마크다운을 블록(제목, 문단, 목록, 수식, 표, 코드 펜스)으로 나눕니다."""
    blocks, current, fence = [], [], None
    for line in text.splitlines():
        stripped = line.strip()
        if fence:
            current.append(line)
            if stripped.startswith(fence):
                blocks.append("\n".join(current))
                current, fence = [], None
            continue
        if stripped.startswith(("```", "~~~", "$$")) and not (stripped.startswith("$$") and
                                                            stripped.endswith("$$") and len(stripped) > 2):
            if current:
                blocks.append("\n".join(current))
            current, fence = [line], stripped[:3] if not stripped.startswith("$$") else "$$"
            if stripped.startswith("$$") and stripped.count("$$") >= 2:
                blocks.append(line)
                current, fence = [], None
            continue
        if HEADING.match(stripped):
            if current:
                blocks.append("\n".join(current))
            blocks.append(stripped)
            current = []
            continue
        if not stripped:
            if current:
                blocks.append("\n".join(current))
            current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def block_kind(block: str) -> str:
    first = block.lstrip()
    if HEADING.match(first):
        return "h" + str(len(HEADING.match(first).group(1)))
    if first.startswith(("```", "~~~")):
        return "fence"
    if first.startswith("$$") or first.startswith("\\begin"):
        return "math"
    if first.startswith("|"):
        return "table"
    if re.match(r"^([-*+]|\d+[.)])\s", first):
        return "list"
    if first.startswith("<"):
        return "html"
    if first.startswith(">"):
        return "quote"
    return "para"


def first_sentence(paragraph: str) -> str:
    text = " ".join(line.strip() for line in paragraph.splitlines())
    # 인라인 수식이나 코드 안의 마침표에서 자르지 않도록 그 밖에서만 찾습니다.
    protected = re.sub(r"(\$[^$]*\$|`[^`]*`)", lambda m: "x" * len(m.group(0)), text)
    match = re.search(r"다\.(\s|$)|요\.(\s|$)|[?!](\s|$)", protected)
    if match and match.end() < len(text) - 1:
        return text[: match.end()].strip()
    return text


def text_height(text: str, per_line: int = 48, line_px: int = 40) -> int:
    lines = sum(max(1, math.ceil(len(line) / per_line)) for line in text.splitlines() or [""])
    return lines * line_px + 14


def block_height(block: str, kind: str) -> int:
    if kind == "h2":
        return 80
    if kind in ("h3", "h4", "h5", "h6"):
        return 62
    if kind == "math":
        return 60 + 36 * block.count("\\\\")
    if kind == "table":
        return 44 * len(block.splitlines())
    if kind == "fence":
        return 24 * len(block.splitlines()) + 20
    return text_height(block)


def output_height(output) -> tuple[int, bool]:
    """(높이, 혼자 슬라이드를 차지하는지)."""
    if output.output_type == "stream":
        return 22 * min(TEXT_LINES, len(output.text.splitlines())) + 16, False
    data = output.get("data", {})
    if "image/png" in data or "image/svg+xml" in data or "image/jpeg" in data:
        return BUDGET, True
    if "text/html" in data:
        page = data["text/html"]
        if "<table" in page and "<script" not in page:
            return 44 * page.count("<tr") + 20, False
        return BUDGET, True  # 재생기 등
    if "text/markdown" in data:
        return text_height(data["text/markdown"]), False
    if "text/latex" in data:
        return 80, False
    return 22 * min(TEXT_LINES, len(data.get("text/plain", "").splitlines())) + 16, False


def clean_outputs(cell) -> None:
    """슬라이드에 맞지 않는 출력(stderr, 위젯 객체)을 빼고 긴 글 출력은 줄입니다."""
    kept = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream" and output.name == "stderr":
            continue
        data = output.get("data", {})
        if "application/vnd.jupyter.widget-view+json" in data:
            continue  # 살아 있는 위젯은 커널이 있어야 움직입니다
        if output.output_type == "stream":
            lines = output.text.splitlines()
            if len(lines) > TEXT_LINES:
                half = TEXT_LINES // 2
                output.text = "\n".join(lines[:half] + ["…"] + lines[-half + 1:]) + "\n"
        if output.output_type == "error":
            continue
        kept.append(output)
    cell.outputs = kept


def split_code(lines: list[str]) -> list[list[str]]:
    """긴 코드를 CODE_LINES 줄 이하로 나눕니다. 되도록 빈 줄(문단 사이)에서 자릅니다."""
    pieces = []
    while len(lines) > CODE_LINES + 4:  # 끝에 몇 줄만 외따로 남지 않게
        cut = next((i for i in range(CODE_LINES, CODE_LINES // 2, -1) if not lines[i - 1].strip()),
                   CODE_LINES)
        pieces.append(lines[:cut])
        lines = lines[cut:]
        while lines and not lines[0].strip():
            lines = lines[1:]
    if lines:
        pieces.append(lines)
    return [[line for line in piece] for piece in pieces if any(line.strip() for line in piece)]


def notes_cell(paragraphs: list[str]):
    cell = nbformat.v4.new_markdown_cell("\n\n".join(paragraphs))
    cell.metadata["slideshow"] = {"slide_type": "notes"}
    return cell


class Builder:
    """셀을 차례로 받아 슬라이드 종류를 정합니다."""

    def __init__(self):
        self.cells = []
        self.used = 0  # 지금 슬라이드에 쓴 높이
        self.notes: list[str] = []
        self.started = False
        self.section_has_notes = False
        self.section_title = ""

    def flush_notes(self):
        if self.notes:
            self.cells.append(notes_cell(self.notes))
            self.notes = []
            self.section_has_notes = True

    def close_section(self):
        """글이 없는 절(코드와 출력뿐)에도 발표자 노트 한 줄을 둡니다."""
        self.flush_notes()
        if self.started and not self.section_has_notes:
            self.notes = [f"{self.section_title}: 코드를 한 줄씩 실행하며 출력을 함께 읽습니다."]
            self.flush_notes()

    def continued(self):
        """넘쳐서 새 슬라이드를 열 때, 그 슬라이드에도 제목이 있도록 절 제목을 다시 적습니다."""
        if self.section_title:
            heading = nbformat.v4.new_markdown_cell(f"### {self.section_title} (이어서)")
            heading.metadata["slideshow"] = {"slide_type": "subslide"}
            self.cells.append(heading)
            self.used = 60
            return "-"
        return "subslide"

    def add(self, cell, height: int, kind: str = "-", alone: bool = False):
        starts_with_heading = cell.cell_type == "markdown" and cell.source.lstrip().startswith("#")
        if kind == "slide":
            self.close_section()
            self.section_has_notes = False
            self.section_title = cell.source.splitlines()[0].lstrip("#").strip() if cell.source else ""
        if kind in ("slide", "subslide"):
            self.flush_notes()
            self.used = 0
        elif alone and self.used > 0:
            self.flush_notes()
            kind, self.used = "subslide", 0  # 그림은 제 슬라이드를 혼자 씁니다 (그림이 있으니 제목이 없어도 됨)
        elif self.used + height > BUDGET and self.used > HEADING_ONLY:  # 제목만 있는 슬라이드는 남기지 않습니다
            self.flush_notes()
            self.used = 0
            kind = "subslide" if starts_with_heading or alone else self.continued()
        if not self.started:
            kind, self.started = "slide", True
            self.section_title = cell.source.splitlines()[0].lstrip("#").strip() if cell.source else ""
        cell.metadata["slideshow"] = {"slide_type": kind}
        self.cells.append(cell)
        self.used += height
        if alone:
            self.used = BUDGET  # 다음 것은 새 슬라이드에

    def markdown(self, text: str, first: bool = False):
        chunk, chunk_height, kind, chunk_notes = [], 0, "-", []

        def emit():
            nonlocal chunk, chunk_height, kind, chunk_notes
            if chunk:
                self.add(nbformat.v4.new_markdown_cell("\n\n".join(chunk)), chunk_height, kind)
            self.notes += chunk_notes  # 노트는 그 글이 실린 슬라이드에 붙습니다
            chunk, chunk_height, kind, chunk_notes = [], 0, "-", []

        blocks = md_blocks(demyst(text))
        kinds = [block_kind(b) for b in blocks]
        for index, block in enumerate(blocks):
            k = kinds[index]
            # 수식 바로 앞뒤의 문단은 수식과 한 문장을 이루므로 줄이지 않습니다.
            near_math = "math" in kinds[max(index - 1, 0):index] + kinds[index + 1:index + 2]
            if k == "h1" or (first and "colab.research.google.com" in block):
                chunk.append(block)
                chunk_height += block_height(block, k)
                continue
            if k in ("h2", "h3"):
                emit()
                kind = "slide" if k == "h2" else "subslide"
            shown, note = block, None
            if k == "para":
                shown = block if near_math else first_sentence(block)
                note = " ".join(line.strip() for line in block.splitlines())
            elif k in ("list", "quote"):
                note = block
            height = block_height(shown, k)
            if chunk and chunk_height + height > BUDGET - self.used * (kind == "-"):
                emit()
            chunk.append(shown)
            chunk_height += height
            if note:
                chunk_notes.append(note)
        emit()

    def code(self, cell):
        """긴 코드는 나누고, 출력은 그 뒤의 (입력을 숨긴) 셀에 따로 둡니다."""
        outputs = cell.get("outputs", [])
        hidden = cell.metadata.get("transient", {}).get("remove_source", False)
        lines = [] if hidden else cell.source.splitlines()
        if lines and lines[0].startswith("#@save"):
            lines = lines[1:]  # 내보내기 표시는 수업 내용이 아닙니다
        for chunk in split_code(lines):
            self.add(nbformat.v4.new_code_cell("\n".join(chunk)), 24 * len(chunk) + 24)
        if outputs:
            holder = nbformat.v4.new_code_cell("")
            holder.outputs = outputs
            holder.metadata["transient"] = {"remove_source": True}
            sizes = [output_height(o) for o in outputs]
            self.add(holder, sum(h for h, _ in sizes), alone=any(a for _, a in sizes))
            # 코드가 만든 글(계산한 숫자가 든 마크다운)도 발표자 노트에 옮깁니다.
            self.notes += [o["data"]["text/markdown"] for o in outputs
                           if "text/markdown" in o.get("data", {})]


# 책과 노트북에는 있지만 강의 슬라이드에서는 빼는 그림 셀 (장 이름: 셀 id). 긴 글 사이에 그림을 넣어 읽기 쉽게 한
# 셀들이라, 강의 한 번(슬라이드 35장)에 맞추려고 슬라이드에서는 뺍니다. 노트북에서는 그대로 실행하고 봅니다.
BOOK_ONLY = {
    "04_2_4_mnist_cnn": {"data-load", "layers-check", "baselines-weights"},
    "A2_fast_cifar": {"a2-schedule-figure", "a2-tta-views"},
}


def slide_notebook(nb, name: str = ""):
    """실행된 노트북의 사본에 슬라이드 메타데이터를 붙여 돌려줍니다 (``name``: 장 이름, BOOK_ONLY 를 찾을 때)."""
    nb = copy.deepcopy(nb)
    book_only = BOOK_ONLY.get(name, set())
    builder = Builder()
    setup_seen = False
    for index, cell in enumerate(nb.cells):
        t = tags(cell)
        if "remove-cell" in t or cell.get("id") in book_only:
            continue
        if cell.cell_type == "markdown":
            if cell.source.strip() == "## 설정" or DETAILS.search(cell.source):
                continue
            builder.markdown(cell.source, first=index == 0)
            continue
        if cell.cell_type != "code":
            continue
        if not setup_seen and "cnnbook.setup()" in cell.source:
            setup_seen = True
            continue  # 설정 셀
        if SOLUTION.match(cell.source):
            continue  # 풀이는 슬라이드에 싣지 않습니다
        if EXERCISE_CODE.search(cell.source):
            continue  # 연습 문제의 답 칸, 확인, 실행 셀은 학생이 노트북에서 씁니다 (문제 글은 슬라이드에 남음)
        lesson = cell.source.lstrip().startswith("#@save")
        only_figures = bool(cell.get("outputs")) and all(
            "image/png" in o.get("data", {}) or o.get("output_type") == "stream" and o.get("name") == "stderr"
            for o in cell.get("outputs", []))
        if not lesson and (CHECK_OR_PROSE.search(cell.source) or len(cell.source.splitlines()) > CODE_LINES
                           or only_figures):
            # 확인과 글 만들기, 강의 코드가 아닌 긴 실험 코드는 슬라이드에 코드 대신 출력만 (코드는 노트북에서)
            t = t | {"hide-input"}
        if "remove-output" in t or "exercises.check(" in cell.source:
            cell.outputs = []  # 확인 셀의 "아직 답을 적지 않았습니다"는 슬라이드에 싣지 않습니다
        if t & {"remove-input", "hide-input"}:
            cell.metadata["transient"] = {"remove_source": True}
            if not cell.get("outputs"):
                continue
        clean_outputs(cell)
        builder.code(cell)
    builder.close_section()
    nb.cells = builder.cells
    return nb


# --- 내보내기 ---------------------------------------------------------------------

def export(nb, name: str, out: Path) -> None:
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.SlidesExporter.reveal_url_prefix = "_assets/reveal.js"
    config.SlidesExporter.reveal_theme = "white"
    config.SlidesExporter.reveal_transition = "none"
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    config.SlidesExporter.template_name = "cnnbook_reveal"
    config.SlidesExporter.exclude_input_prompt = True
    config.SlidesExporter.exclude_output_prompt = True
    exporter = SlidesExporter(config=config)
    nb.metadata.pop("widgets", None)
    title = next((HEADING.match(l).group(2) for c in nb.cells if c.cell_type == "markdown"
                  for l in c.source.splitlines() if l.startswith("# ")), name)
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
    (out / f"{name}.html").write_text(body, encoding="utf-8")


def copy_assets(out: Path) -> None:
    assets = out / "_assets"
    if assets.exists():
        shutil.rmtree(assets)
    shutil.copytree(ROOT / "_vendor" / "slides" / "reveal.js", assets / "reveal.js")
    shutil.copy(ROOT / "_vendor" / "require.min.js", assets / "require.js")  # 책의 위젯이 쓰는 RequireJS 그대로
    shutil.copytree(ROOT / "_vendor" / "mathjax", assets / "mathjax")
    shutil.copy(TEMPLATE_DIR / "cnnbook_reveal" / "deck.css", assets / "deck.css")
    shutil.copy(TEMPLATE_DIR / "cnnbook_reveal" / "deck.js", assets / "deck.js")
    try:
        import koreanize_matplotlib

        font = Path(koreanize_matplotlib.__file__).parent / "fonts" / "NanumGothic.ttf"
        shutil.copy(font, assets / "NanumGothic.ttf")
    except (ImportError, OSError):
        print("  나눔고딕 글꼴을 찾지 못했습니다: 시스템의 한글 글꼴을 씁니다", file=sys.stderr)


def write_index(out: Path, decks: list[tuple[str, str]]) -> None:
    items = "\n".join(f'<li><a href="{n}.html">{html.escape(t)}</a></li>' for n, t in decks)
    (out / "index.html").write_text(
        "<!DOCTYPE html>\n<html lang=\"ko\"><head><meta charset=\"utf-8\"><title>강의 슬라이드</title>"
        "<link rel=\"stylesheet\" href=\"_assets/deck.css\"></head>\n"
        f"<body class=\"deck-index\"><h1>강의 슬라이드</h1><ul>\n{items}\n</ul>"
        "<p>← → 키로 넘기고, <kbd>s</kbd> 키로 발표자 노트를, <kbd>Esc</kbd> 키로 전체 보기를 엽니다.</p>"
        "</body></html>\n",
        encoding="utf-8",
    )


def link_chapter_pages(html_root: Path, decks: list[tuple[str, str]]) -> int:
    """만들어진 책의 장 페이지 제목 아래에 슬라이드 링크를 한 번 넣습니다."""
    linked = 0
    for name, _ in decks:
        page = html_root / "notebooks" / f"{name}.html"
        if not page.is_file():
            continue
        text = page.read_text(encoding="utf-8")
        if "cnnbook-slides-link" in text:
            linked += 1
            continue
        link = (f'<p class="cnnbook-slides-link"><a href="../slides/{name}.html">'
                "이 장의 강의 슬라이드 (reveal.js)</a></p>")
        new, count = re.subn(r"(</h1>)", r"\1" + link, text, count=1)
        if count:
            page.write_text(new, encoding="utf-8")
            linked += 1
    return linked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "html" / "slides")
    parser.add_argument("--executed", type=Path, action="append", default=[],
                        help="실행된 노트북이 있는 폴더 (저장소와 같은 구조, 여러 번 가능)")
    parser.add_argument("--keep", type=Path, help="슬라이드 메타데이터를 붙인 노트북 사본을 둘 폴더")
    parser.add_argument("--no-execute", action="store_true",
                        help="실행된 결과가 없는 노트북은 실행하지 않고 건너뜁니다")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args()

    search = args.executed + [ROOT / "_build" / "jupyter_execute", ROOT / "_build" / "test" / "_build" /
                              "jupyter_execute"]
    sources = [p.resolve() for p in args.notebooks] or chapters()
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    decks = []
    for source in sources:
        nb, where = find_executed(source, search)
        if nb is None and args.no_execute:
            print(f"  {source.name}: 실행된 결과가 없어 건너뜁니다", flush=True)
            continue
        if nb is None:
            nb = execute_fast(source, ROOT / "_build" / "slides" / "executed")
            where = "빠른 모드로 실행"
        slides = slide_notebook(nb, source.stem)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            nbformat.write(slides, args.keep / source.name)
        export(slides, source.stem, out)
        decks.append((source.stem, slides.metadata["title"]))
        count = sum(c.metadata.get("slideshow", {}).get("slide_type") in ("slide", "subslide")
                    for c in slides.cells)
        print(f"  {source.stem}.html: 슬라이드 {count}장 ({where})", flush=True)
    write_index(out, decks)
    if not args.notebooks:  # 목차에서 빠진 장의 옛 슬라이드(예전 빌드가 남긴 것)는 지웁니다
        current = {name for name, _ in decks} | {"index"}
        for stale in out.glob("*.html"):
            if stale.stem not in current:
                stale.unlink()
                print(f"  {stale.name}: 목차에 없는 장의 옛 슬라이드를 지웠습니다", flush=True)
    html_root = out.parent
    linked = link_chapter_pages(html_root, decks)
    print(f"슬라이드: {out}/index.html (장 페이지 링크 {linked}개)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
