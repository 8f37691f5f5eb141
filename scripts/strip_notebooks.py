"""노트북에서 출력, 실행 번호, 위젯 상태를 지웁니다 (커밋 전에 실행).

    python scripts/strip_notebooks.py            # notebooks/ 전부
    python scripts/strip_notebooks.py a.ipynb    # 지정한 파일만
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def strip(path: Path) -> bool:
    """출력을 지우고, 바뀐 것이 있었으면 참을 돌려줍니다."""
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    after = nbformat.writes(nb)
    if after != before:
        path.write_text(after + ("" if after.endswith("\n") else "\n"), encoding="utf-8")
    return after != before


def main(args: list[str]) -> int:
    paths = [Path(a) for a in args] or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        if strip(path):
            print(f"지움: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
