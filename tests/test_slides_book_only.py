"""슬라이드에서만 빼는 그림 셀(scripts/slides.py 의 BOOK_ONLY)이 실제로 있는 셀을 가리키고, 정말 빠지는지."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("slides", ROOT / "scripts" / "slides.py")
slides = importlib.util.module_from_spec(spec)
spec.loader.exec_module(slides)


def test_book_only_cells_exist():
    for name, ids in slides.BOOK_ONLY.items():
        cells = {c.get("id") for c in json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]}
        assert ids <= cells, f"{name}: 없는 셀 {sorted(ids - cells)}"


def test_book_only_cells_are_left_out_of_that_deck_only():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 제목"),
        nbformat.v4.new_code_cell("x = 1", id="data-load"),
        nbformat.v4.new_code_cell("y = 2", id="other"),
    ])
    kept = [c.source for c in slides.slide_notebook(nb, "04_2_4_mnist_cnn").cells]
    assert "x = 1" not in "\n".join(kept) and "y = 2" in "\n".join(kept)
    kept = [c.source for c in slides.slide_notebook(nb, "04_1_cnn_intro").cells]
    assert "x = 1" in "\n".join(kept)
