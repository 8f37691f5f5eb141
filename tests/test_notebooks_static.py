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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_cell_installs_from_this_repository(path):
    cells = load(path)["cells"]
    assert source(cells[1]).strip() == "## 설정"
    setup = cells[2]
    url, _ = repository()
    assert setup["cell_type"] == "code"
    assert f'%pip install -q "cnnbook @ git+{url}"' in source(setup)
    assert "cnnbook.setup()" in source(setup)
    assert "remove-stderr" in setup["metadata"].get("tags", []), "설정 셀에 remove-stderr 태그가 필요합니다"
    assert not any("pip install" in source(c) for c in cells[3:]), "설치는 설정 셀 한 곳에서만 합니다"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_have_ids_and_python_kernel(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    ids = [c.get("id") for c in nb["cells"]]
    assert all(ids) and len(set(ids)) == len(ids)


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
