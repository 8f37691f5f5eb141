"""노트북의 강의 코드 셀을 cnnbook 모듈로 내보냅니다 (d2l 방식: 강의 코드는 한 곳에만 있습니다).

첫 줄이 `#@save cnnbook/<모듈>.py` 인 코드 셀은 강의 코드입니다. 셀의 둘째 줄부터 끝까지가 그 모듈의

    # @save-begin <노트북 파일 이름> <셀 id>
    ...셀 내용 그대로...
    # @save-end

사이에 글자 하나 다르지 않게 들어 있어야 합니다. 표시 밖(모듈 설명, import, 강의가 아닌 도우미)은 건드리지 않습니다.

    .venv/bin/python scripts/export_lessons.py          # 노트북 셀로 표시 안의 내용을 다시 씁니다
    .venv/bin/python scripts/export_lessons.py --check  # 다르면 차이를 보이고 0이 아닌 값으로 끝납니다

모듈에 아직 표시가 없는 셀은 쓰기 모드에서 모듈 끝에 새 블록으로 덧붙입니다. 노트북에서 사라진 셀의 블록은
자동으로 지우지 않고 오류로 알립니다 (어느 쪽이 맞는지는 사람이 정합니다).
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAVE_LINE = re.compile(r"^#\s*@save\b(.*)$")
SAVE_TARGET = re.compile(r"^\s+(cnnbook/[A-Za-z0-9_/]+\.py)\s*$")
BEGIN = re.compile(r"^# @save-begin (\S+) (\S+)\s*$")
END = re.compile(r"^# @save-end\s*$")


@dataclass
class Cell:
    notebook: str  # 노트북 파일 이름 (예: 04_2_1_convolution.ipynb)
    cell_id: str
    module: str  # 저장소 기준 경로 (예: cnnbook/conv.py)
    body: str  # 둘째 줄부터, 끝 줄바꿈 하나로 맞춘 내용


@dataclass
class Block:
    notebook: str
    cell_id: str
    start: int  # begin 표시 줄 번호 (0부터)
    end: int  # end 표시 줄 번호
    body: str


def _normalize(text: str) -> str:
    """끝의 빈 줄만 정리합니다: 내용이 있으면 줄바꿈 하나로 끝납니다."""
    text = text.rstrip("\n")
    return text + "\n" if text else ""


def lesson_cells(notebooks_dir: Path) -> tuple[list[Cell], list[str]]:
    """노트북에서 `#@save` 셀을 모읍니다. (셀 목록, 문제 목록)"""
    cells, problems = [], []
    for path in sorted(notebooks_dir.glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for number, cell in enumerate(notebook.get("cells", []), start=1):
            if cell.get("cell_type") != "code":
                continue
            source = cell["source"]
            source = "".join(source) if isinstance(source, list) else source
            first, _, rest = source.partition("\n")
            match = SAVE_LINE.match(first.strip())
            if not match:
                continue
            target = SAVE_TARGET.match(match.group(1))
            where = f"{path.name} 셀 {number}"
            if not target:
                problems.append(f"{where}: 첫 줄은 '#@save cnnbook/<모듈>.py' 꼴이어야 합니다: {first!r}")
                continue
            if "id" not in cell:
                problems.append(f"{where}: 셀 id가 없습니다 (nbformat 4.5 노트북이어야 합니다)")
                continue
            cells.append(Cell(path.name, cell["id"], target.group(1), _normalize(rest)))
    seen: dict[tuple[str, str], int] = {}
    for cell in cells:
        key = (cell.notebook, cell.cell_id)
        seen[key] = seen.get(key, 0) + 1
    problems += [f"{nb}: 셀 id {cid}가 두 번 이상 나옵니다" for (nb, cid), n in seen.items() if n > 1]
    return cells, problems


def module_blocks(path: Path) -> tuple[list[Block], list[str]]:
    """모듈 하나의 `# @save-begin … # @save-end` 블록을 읽습니다. (블록 목록, 문제 목록)"""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    blocks, problems, open_at = [], [], None
    for index, line in enumerate(lines):
        text = line.rstrip("\n")
        if text.lstrip().startswith("# @save-begin"):
            match = BEGIN.match(text)
            if open_at is not None:
                problems.append(f"{path.name}:{index + 1}: 앞 블록이 닫히기 전에 새 블록이 열립니다")
            if not match:
                problems.append(f"{path.name}:{index + 1}: 표시는 '# @save-begin <노트북> <셀 id>' 꼴이어야 합니다")
                open_at = None
                continue
            open_at = (index, match.group(1), match.group(2))
        elif text.lstrip().startswith("# @save-end"):
            if open_at is None or not END.match(text):
                problems.append(f"{path.name}:{index + 1}: 짝이 없거나 들여 쓴 '# @save-end'")
                open_at = None
                continue
            start, notebook, cell_id = open_at
            body = _normalize("".join(lines[start + 1:index]))
            blocks.append(Block(notebook, cell_id, start, index, body))
            open_at = None
    if open_at is not None:
        problems.append(f"{path.name}:{open_at[0] + 1}: '# @save-end' 없이 파일이 끝납니다")
    return blocks, problems


def _diff(old: str, new: str, label: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True),
        fromfile=f"{label} (모듈)", tofile=f"{label} (노트북 셀)",
    )
    return "".join(lines)


def _rewrite(path: Path, blocks: list[Block], wanted: dict[tuple[str, str], str], new: list[Cell]) -> str:
    """블록 안을 노트북 셀 내용으로 바꾸고, 블록이 없던 셀은 끝에 덧붙인 글을 돌려줍니다."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True) if path.exists() else []
    for block in sorted(blocks, key=lambda b: b.start, reverse=True):
        body = wanted.get((block.notebook, block.cell_id))
        if body is not None:
            lines[block.start + 1:block.end] = body.splitlines(keepends=True)
    text = "".join(lines)
    if not text:
        text = f'"""노트북에서 내보낸 강의 코드 (scripts/export_lessons.py)."""\n'
    for cell in new:
        text = text.rstrip("\n") + "\n\n\n"
        text += f"# @save-begin {cell.notebook} {cell.cell_id}\n{cell.body}# @save-end\n"
    return text


def run(root: Path, check: bool) -> list[str]:
    """내보내거나(check=False) 검사합니다. 남은 문제(차이 포함)의 목록을 돌려줍니다."""
    cells, problems = lesson_cells(root / "notebooks")
    by_key = {(c.notebook, c.cell_id): c for c in cells}
    notebooks = {p.name for p in (root / "notebooks").glob("*.ipynb")}
    modules = sorted((root / "cnnbook").rglob("*.py"))
    found: dict[tuple[str, str], str] = {}  # 블록이 있는 셀 → 모듈 경로
    changed = []
    for path in modules:
        relative = path.relative_to(root).as_posix()
        blocks, block_problems = module_blocks(path)
        problems += [f"{relative}: {p}" for p in block_problems]
        wanted = {}
        for block in blocks:
            key = (block.notebook, block.cell_id)
            label = f"{relative} [{block.notebook} {block.cell_id}]"
            cell = by_key.get(key)
            if key in found:
                problems.append(f"{label}: 같은 셀의 블록이 두 번 있습니다 ({found[key]})")
                continue
            found[key] = relative
            if cell is None:
                why = "노트북이 없습니다" if block.notebook not in notebooks else "그 id의 #@save 셀이 없습니다"
                problems.append(f"{label}: 블록의 셀이 사라졌습니다 ({why})")
                continue
            if cell.module != relative:
                problems.append(f"{label}: 셀은 {cell.module} 로 내보내도록 되어 있습니다")
                continue
            if block.body != cell.body:
                wanted[key] = cell.body
                if check:
                    problems.append(f"{label}: 모듈과 노트북 셀이 다릅니다\n" + _diff(block.body, cell.body, label))
        new = [c for c in cells if c.module == relative and (c.notebook, c.cell_id) not in found]
        if not check and (wanted or new):
            path.write_text(_rewrite(path, blocks, wanted, new), encoding="utf-8")
            changed.append(relative)
            for cell in new:
                found[(cell.notebook, cell.cell_id)] = relative
    for cell in cells:
        key = (cell.notebook, cell.cell_id)
        if key in found:
            continue
        target = root / cell.module
        if check or target.exists():
            problems.append(f"{cell.notebook} 셀 {cell.cell_id}: {cell.module} 에 이 셀의 블록이 없습니다")
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_rewrite(target, [], {}, [cell]), encoding="utf-8")
            found[key] = cell.module
            changed.append(cell.module)
    if not check:
        for module in changed:
            print(f"다시 씀: {module}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="쓰지 않고 비교만 합니다 (다르면 실패)")
    parser.add_argument("--root", type=Path, default=ROOT, help="저장소 폴더 (테스트용)")
    args = parser.parse_args(argv)
    problems = run(args.root, check=args.check)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"강의 코드 내보내기: 문제 {len(problems)}개", file=sys.stderr)
        return 1
    print("강의 코드 내보내기: 노트북 셀과 모듈 블록이 모두 같습니다" if args.check else "강의 코드 내보내기: 끝")
    return 0


if __name__ == "__main__":
    sys.exit(main())
