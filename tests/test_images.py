"""images/ 의 그림: 책이 쓰는 것만 두고, 모두 코드(scripts/make_figures.py)로 바이트 하나 다르지 않게 다시 만들어집니다.

다시 만들기는 임시 폴더에 한 번만 합니다 (텐서플로를 불러오므로 30초쯤 걸립니다).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import find_real_data

ROOT = Path(__file__).resolve().parents[1]
IMAGES = sorted(p for p in (ROOT / "images").iterdir() if p.is_file() and not p.name.startswith("."))


def readers_text() -> str:
    """독자가 보는 원본: book/ 의 페이지와 노트북의 모든 셀."""
    parts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "book").glob("*.md"))]
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            source = cell["source"]
            parts.append("".join(source) if isinstance(source, list) else source)
    return "\n".join(parts)


@pytest.mark.parametrize("image", IMAGES, ids=lambda p: p.name)
def test_every_image_is_used_by_a_page(image):
    assert image.name in readers_text(), (
        f"images/{image.name} 을(를) 쓰는 페이지나 노트북이 없습니다 (쓰거나 지우세요)"
    )


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """scripts/make_figures.py --out <임시 폴더> 를 따로 된 프로세스로 실행합니다."""
    out = tmp_path_factory.mktemp("figures")
    env = dict(os.environ, CNNBOOK_DATA=str(find_real_data()), MPLBACKEND="Agg")
    env.setdefault("CNNBOOK_CACHE", str(tmp_path_factory.mktemp("cache")))
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_figures.py"), "--out", str(out)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600,
    )
    assert result.returncode == 0, f"make_figures.py 실패:\n{result.stderr[-2000:]}"
    return out


@pytest.mark.slow
@pytest.mark.parametrize("image", IMAGES, ids=lambda p: p.name)
def test_every_image_is_regenerated_byte_for_byte(regenerated, image):
    fresh = regenerated / image.name
    assert fresh.is_file(), f"images/{image.name} 을(를) 만드는 그림 함수가 없습니다 (cnnbook/figures/*.py 의 FIGURES)"
    assert fresh.read_bytes() == image.read_bytes(), (
        f"images/{image.name} 이(가) 코드로 다시 만든 것과 다릅니다: python scripts/make_figures.py 를 실행하세요"
    )


@pytest.mark.slow
def test_every_figure_is_committed(regenerated):
    missing = sorted(p.name for p in regenerated.iterdir() if not (ROOT / "images" / p.name).is_file())
    assert not missing, f"만들어지지만 images/ 에 없는 그림: {missing} (python scripts/make_figures.py)"
