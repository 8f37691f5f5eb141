"""노트북 파일 자체의 규칙: 출력 없음, 제목 하나, Colab 링크와 설치 셀이 _config.yml 과 일치."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = (ROOT / "_toc.yml").read_text(encoding="utf-8")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def repository() -> tuple[str, str]:
    url = CONFIG["repository"]["url"].rstrip("/")
    return url, CONFIG["repository"]["branch"]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 5


def test_every_notebook_is_in_the_toc_and_back():
    listed = set(re.findall(r"file:\s*(notebooks/\S+)", TOC))
    assert listed == {f"notebooks/{p.stem}" for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = load(path)
    dirty = [i for i, c in enumerate(nb["cells"], 1) if c["cell_type"] == "code" and (c["outputs"] or c["execution_count"])]
    assert not dirty, f"{path.name}: 출력이 남은 셀 {dirty} — python scripts/strip_notebooks.py 를 실행하세요"
    assert "widgets" not in nb["metadata"], f"{path.name}: 위젯 상태가 저장되어 있습니다"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_title_and_a_colab_link(path):
    nb = load(path)
    first = source(nb["cells"][0])
    url, branch = repository()
    slug = url.removeprefix("https://github.com/")
    link = f"https://colab.research.google.com/github/{slug}/blob/{branch}/notebooks/{path.name}"
    assert first.startswith("# "), f"{path.name}: 첫 셀이 H1 제목으로 시작해야 합니다"
    assert link in first, f"{path.name}: 첫 셀에 Colab 링크 {link} 가 필요합니다"
    titles = [line for c in nb["cells"] if c["cell_type"] == "markdown" for line in source(c).splitlines() if re.match(r"#\s", line)]
    assert len(titles) == 1, f"{path.name}: H1 제목이 {len(titles)}개입니다"


def project_version() -> str:
    """판은 cnnbook/__init__.py 의 __version__ 한 곳에 있습니다 (pyproject.toml 은 dynamic 으로 그것을 읽음)."""
    return package_version()


def package_version() -> str:
    text = (ROOT / "cnnbook" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.M).group(1)


def expected_setup_cell() -> list[str]:
    """모든 노트북의 셋째 셀 (팀 규칙의 고정된 설정 셀). `import cnnbook` 뒤에는 import 줄을 더할 수 있습니다."""
    url, _ = repository()
    return [
        "import sys",
        "",
        'if "google.colab" in sys.modules:  # Colab: 이 책의 공용 패키지(고정된 판)만 설치합니다',
        f'    %pip install -q "cnnbook @ git+{url}@v{project_version()}"',
        "# 빠른 모드(짧은 학습): 이 셀보다 먼저 `%env CNNBOOK_FAST=1`을 실행하세요.",
        "",
        "import matplotlib.pyplot as plt",
        "import numpy as np",
        "import tensorflow as tf",
        "",
        "import cnnbook",
        "",
        "cnnbook.setup()",
    ]


IMPORT_LINE = re.compile(r"^(import [\w.]+( as \w+)?|from [\w.]+ import [\w, ]+)$")


def setup_cell_problems(text: str) -> list[str]:
    """설정 셀의 글을 고정된 꼴과 비교합니다. `import cnnbook` 바로 뒤에 더한 import 줄만 허용합니다."""
    lines = text.rstrip("\n").split("\n")
    expected = expected_setup_cell()
    anchor = expected.index("import cnnbook") + 1
    if lines[:anchor] != expected[:anchor]:
        diff = [f"{i + 1}번째 줄: {a!r} (기대: {b!r})" for i, (a, b) in enumerate(zip(lines, expected[:anchor])) if a != b]
        return diff or [f"앞부분이 {anchor}줄보다 짧습니다"]
    extra = 0
    while anchor + extra < len(lines) and IMPORT_LINE.match(lines[anchor + extra]):
        extra += 1
    rest = lines[anchor + extra:]
    if rest != expected[anchor:]:
        return [f"`import cnnbook` 과 더한 import 줄 뒤는 {expected[anchor:]!r} 이어야 합니다: {rest!r}"]
    return []


def test_versions_agree():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^dynamic\s*=\s*\["version"\]', text, re.M), "pyproject.toml 은 판을 따로 적지 않습니다"
    assert 'version = { attr = "cnnbook.__version__" }' in text, "pyproject.toml 은 cnnbook.__version__ 을 읽어야 합니다"


def test_setup_cell_checker_can_fail():
    good = "\n".join(expected_setup_cell())
    assert setup_cell_problems(good) == []
    assert setup_cell_problems(good.replace("import cnnbook\n", "import cnnbook\nfrom cnnbook.player import frames_player\n")) == []
    assert setup_cell_problems(good.replace(f"@v{project_version()}", "@v0.0.1"))
    assert setup_cell_problems(good.replace("cnnbook.setup()", "cnnbook.setup()\nx = 1"))
    assert setup_cell_problems(good.replace("import numpy as np\n", ""))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_cell_is_the_pinned_one(path):
    cells = load(path)["cells"]
    assert source(cells[1]).strip() == "## 설정"
    setup = cells[2]
    assert setup["cell_type"] == "code"
    problems = setup_cell_problems(source(setup))
    assert not problems, f"{path.name} 설정 셀:\n  " + "\n  ".join(problems)
    assert "remove-stderr" in setup["metadata"].get("tags", []), "설정 셀에 remove-stderr 태그가 필요합니다"
    assert not any("pip install" in source(c) for c in cells[3:]), "설치는 설정 셀 한 곳에서만 합니다"


# 정적인 책에서 파이썬 없이 움직이는 대역: frames_player 같은 재생기나 JavaScript 패널을 부르는 셀
STAND_IN = re.compile(r"\b\w*(player|Player|panel|Panel)\w*\(")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_removed_outputs_have_a_stand_in(path):
    """`remove-output` 과 `remove-cell` 은 파이썬이 있어야 움직이는 위젯을 책에서 숨길 때만 씁니다: 바로 뒤(코드 셀 두 개 안)에
    그 대역인 재생기나 JS 패널이 있어야 합니다. 그렇지 않으면 결과가 까닭 없이 사라집니다."""
    cells = load(path)["cells"]
    lonely = []
    for index, cell in enumerate(cells):
        if not {"remove-output", "remove-cell"} & set(cell["metadata"].get("tags", [])) or cell["cell_type"] != "code":
            continue
        following = [c for c in cells[index + 1:] if c["cell_type"] == "code"][:2]
        if not any(STAND_IN.search(source(c)) and "remove-output" not in c["metadata"].get("tags", []) for c in following):
            lonely.append(index + 1)
    assert not lonely, f"{path.name}: 대역(재생기/JS 패널)이 뒤따르지 않는 remove-output 셀 {lonely}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_files_written_by_cell_magics(path):
    """`%%writefile` 은 실행할 때마다 저장소에 파일을 남깁니다. 강의 코드는 `#@save` 로 cnnbook 에 내보냅니다."""
    bad = [i for i, c in enumerate(load(path)["cells"], 1)
           if c["cell_type"] == "code" and re.search(r"^\s*%%writefile", source(c), re.M)]
    assert not bad, f"{path.name}: %%writefile 셀 {bad}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_have_ids_and_python_kernel(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    ids = [c.get("id") for c in nb["cells"]]
    assert all(ids) and len(set(ids)) == len(ids)


FIGURE_NAMES = re.compile(r"\bdisplay\(|\bMarkdown\(")  # print 는 그림 이름을 받지 않는 stream 출력


def figure_cells_with_other_outputs(nb) -> list[str]:
    """캡션(mystnb.figure)이 붙은 셀은 그림 하나만 내야 합니다. display한 글(Markdown)도 내면 myst-nb가 그 출력에도 같은
    이름을 붙여 "Duplicate explicit target name" 경고(-W 이므로 빌드 실패)가 납니다."""
    return [c.get("id", "?") for c in nb["cells"] if c["cell_type"] == "code"
            and c.get("metadata", {}).get("mystnb", {}).get("figure") and FIGURE_NAMES.search(source(c))]


def test_figure_cell_checker_can_fail():
    cell = {"cell_type": "code", "source": "display(Markdown('x'))\nfig",
            "metadata": {"mystnb": {"figure": {"name": "fig-a", "caption": "a"}}}}
    assert figure_cells_with_other_outputs({"cells": [cell]}) == ["?"]
    cell["source"] = "fig"
    assert figure_cells_with_other_outputs({"cells": [cell]}) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_figure_cells_show_only_the_figure(path):
    bad = figure_cells_with_other_outputs(load(path))
    assert not bad, f"{path.name}: 캡션이 붙은 셀이 그림 말고 다른 출력도 냅니다 (셀을 나누세요): {bad}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_external_images(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] == "markdown":
            assert not re.search(r"!\[[^\]]*\]\(https?://|<img[^>]+src=\"https?://", source(cell)), f"{path.name}: 외부 이미지"


def test_book_images_exist():
    for page in (ROOT / "book").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        targets = re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text) + re.findall(r"```\{figure\}\s+(\S+)", text)
        for target in targets:
            assert (page.parent / target).resolve().is_file(), f"{page.name}: 그림 {target} 이(가) 없습니다"


def test_documents_name_the_current_version():
    """소개, README, CONTRIBUTING 이 말하는 고정된 판(`@v<판>`)도 cnnbook.__version__ 과 같아야 합니다."""
    version = project_version()
    stale = []
    for path in [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "book").glob("*.md"))]:
        for found in re.findall(r"@v(\d+\.\d+\.\d+)", path.read_text(encoding="utf-8")):
            if found != version:
                stale.append(f"{path.name}: @v{found}")
    assert not stale, f"판 {version} 과 다른 판이 적혀 있습니다: {stale}"


def solution_cell_problems(nb) -> list[str]:
    """풀이 셀은 모든 장에서 한 가지로 열립니다: 제목 "#@title 풀이", ``hide-cell`` 태그(코드와 출력을 함께 접음),
    ``cnnbook.exercises.run_solution(...)`` 으로만 실행 (켜는 방법은 그 함수가 한 줄로 알림), 제 나름의 안내 없음."""
    problems = []
    for cell in nb["cells"]:
        text = source(cell)
        if cell["cell_type"] != "code" or "run_solution(" not in text:
            continue
        name = cell.get("id", "?")
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "hide-cell" not in tags:
            problems.append(f"{name}: hide-cell 태그가 없습니다 (출력이 접히지 않고 보임)")
        if not text.startswith("#@title 풀이"):
            problems.append(f"{name}: 첫 줄이 '#@title 풀이'가 아닙니다")
        if re.search(r"^else:|if True|펼쳐|%env", text, re.M):
            problems.append(f"{name}: 풀이 셀이 켜는 방법을 따로 안내합니다 (run_solution 이 알립니다)")
    return problems


def test_solution_cell_checker_can_fail():
    cell = {"cell_type": "code", "metadata": {"tags": ["hide-input"]},
            "source": "if cnnbook.exercises.run_solution():\n    x = 1\nelse:\n    print('if True: 로 바꾸세요')"}
    assert len(solution_cell_problems({"cells": [cell]})) == 3
    cell = {"cell_type": "code", "metadata": {"tags": ["hide-cell"]},
            "source": "#@title 풀이\nif cnnbook.exercises.run_solution():\n    x = 1"}
    assert solution_cell_problems({"cells": [cell]}) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solutions_open_one_way(path):
    problems = solution_cell_problems(load(path))
    assert not problems, f"{path.name}: " + "; ".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_markdown_comes_from_cnnbook_prose(path):
    """계산한 글은 cnnbook.prose.Markdown 으로 보입니다: IPython의 Markdown으로는 "**99.28%**입니다"의 별표가 그대로 보입니다."""
    for cell in load(path)["cells"]:
        if cell["cell_type"] == "code":
            assert not re.search(r"from IPython\.display import[^\n]*\bMarkdown\b", source(cell)), (
                f"{path.name} {cell.get('id')}: Markdown 은 cnnbook.prose 에서 가져오세요")
