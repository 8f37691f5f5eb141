"""강의 코드는 한 곳에만: 노트북의 `#@save` 셀과 cnnbook 모듈의 블록이 같은지, 그리고 패키지의 import 규칙."""
from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "export_lessons.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("export_lessons", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["export_lessons"] = module
    spec.loader.exec_module(module)
    return module


export = _load_script()


def test_lesson_cells_match_their_modules():
    """노트북의 #@save 셀마다 블록이 있고, 모든 블록의 셀이 있고, 내용이 같습니다."""
    problems = export.run(ROOT, check=True)
    assert not problems, "scripts/export_lessons.py --check:\n" + "\n".join(problems)


def test_check_command_exit_code():
    """명령줄 `--check` 도 같은 결과를 종료 코드로 알립니다."""
    result = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- 검사가 실제로 실패할 수 있다는 것을 작은 가짜 저장소로 보입니다 ---

def _notebook(cells: list[tuple[str, str]]) -> str:
    return json.dumps({
        "nbformat": 4, "nbformat_minor": 5, "metadata": {},
        "cells": [{"cell_type": "code", "id": cid, "metadata": {}, "source": src,
                   "outputs": [], "execution_count": None} for cid, src in cells],
    })


LESSON = "#@save cnnbook/tiny.py\ndef double(x):\n    # 두 배\n    return 2 * x"
MODULE = '"""작은 모듈."""\nimport numpy as np\n\n\n# @save-begin t.ipynb c1\ndef double(x):\n    # 두 배\n    return 2 * x\n# @save-end\n'


@pytest.fixture
def tiny(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "cnnbook").mkdir()
    (tmp_path / "notebooks" / "t.ipynb").write_text(_notebook([("c0", "x = 1"), ("c1", LESSON)]))
    (tmp_path / "cnnbook" / "tiny.py").write_text(MODULE)
    return tmp_path


def test_self_test_identical_passes(tiny):
    assert export.run(tiny, check=True) == []


def test_self_test_changed_cell_fails_and_export_repairs(tiny):
    (tiny / "notebooks" / "t.ipynb").write_text(_notebook([("c1", LESSON.replace("2 * x", "x + x"))]))
    problems = export.run(tiny, check=True)
    assert len(problems) == 1 and "다릅니다" in problems[0] and "+    return x + x" in problems[0]
    assert export.main(["--check", "--root", str(tiny)]) == 1
    assert export.run(tiny, check=False) == []  # 쓰기 모드가 블록을 고칩니다
    text = (tiny / "cnnbook" / "tiny.py").read_text()
    assert "return x + x\n# @save-end" in text and text.startswith('"""작은 모듈."""\nimport numpy as np\n')
    assert export.run(tiny, check=True) == []


def test_self_test_changed_module_fails(tiny):
    path = tiny / "cnnbook" / "tiny.py"
    path.write_text(path.read_text().replace("# 두 배", "# 두배"))
    assert any("다릅니다" in p for p in export.run(tiny, check=True))


def test_self_test_block_without_cell_fails(tiny):
    (tiny / "notebooks" / "t.ipynb").write_text(_notebook([("c1", "x = 2")]))
    problems = export.run(tiny, check=True)
    assert len(problems) == 1 and "사라졌습니다" in problems[0]
    assert export.run(tiny, check=False)  # 쓰기 모드도 사라진 셀의 블록은 지우지 않고 알립니다


def test_self_test_cell_without_block_fails(tiny):
    extra = "#@save cnnbook/tiny.py\nHALF = 0.5"
    (tiny / "notebooks" / "t.ipynb").write_text(_notebook([("c1", LESSON), ("c2", extra)]))
    problems = export.run(tiny, check=True)
    assert len(problems) == 1 and "블록이 없습니다" in problems[0]
    assert export.run(tiny, check=False) == []  # 쓰기 모드는 모듈 끝에 블록을 덧붙입니다
    assert "# @save-begin t.ipynb c2\nHALF = 0.5\n# @save-end\n" in (tiny / "cnnbook" / "tiny.py").read_text()
    assert export.run(tiny, check=True) == []


def test_self_test_broken_markers_fail(tiny):
    path = tiny / "cnnbook" / "tiny.py"
    path.write_text(path.read_text().replace("# @save-end\n", ""))
    assert any("save-end" in p for p in export.run(tiny, check=True))


def test_self_test_bad_save_line_fails(tiny):
    (tiny / "notebooks" / "t.ipynb").write_text(_notebook([("c1", LESSON), ("c2", "#@save tiny.py\nA = 1")]))
    assert any("첫 줄" in p for p in export.run(tiny, check=True))


# --- import 규칙 ---

def _top_level_imports(tree: ast.Module):
    """함수/클래스 몸통 밖(모듈을 import할 때 실행되는 곳)의 import 문."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                stack.extend(getattr(node, field, []))
        elif isinstance(node, ast.ExceptHandler):
            stack.extend(node.body)


def _is_submodule(name: str) -> bool:
    package = ROOT / "cnnbook"
    return (package / f"{name}.py").is_file() or (package / name / "__init__.py").is_file()


MODULES = sorted(p for p in (ROOT / "cnnbook").rglob("*.py") if p.name != "__init__.py" or p.parent.name != "cnnbook")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_top_level_import_of_the_package(path):
    """`import cnnbook` / `from cnnbook import X` 를 맨 위에서 하면 cnnbook/__init__.py 로 돌아가는 고리가 생깁니다.
    하위 모듈을 이름으로 가져오는 것(`from cnnbook.errors import BookError`)은 괜찮습니다."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in _top_level_imports(tree):
        if isinstance(node, ast.Import):
            bad += [f"{node.lineno}: import {a.name}" for a in node.names if a.name == "cnnbook"]
        elif node.module == "cnnbook" and node.level == 0:
            # 하위 모듈을 가져오는 것(from cnnbook import digit_input)은 괜찮고, __init__ 의 이름은 안 됩니다.
            names = [a.name for a in node.names if not _is_submodule(a.name)]
            if names:
                bad.append(f"{node.lineno}: from cnnbook import {', '.join(names)}")
        elif node.level > 0 and not node.module:
            bad.append(f"{node.lineno}: from . import ...")
    assert not bad, f"{path.relative_to(ROOT)}: " + "; ".join(bad)


def test_importing_cnnbook_does_not_import_tensorflow():
    code = (
        "import sys, cnnbook\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'tensorflow', 'keras'})\n"
        "print(' '.join(heavy[:5]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"import cnnbook 이 텐서플로를 불러옵니다: {result.stdout}"


def test_submodule_rule():
    assert _is_submodule("errors") and not _is_submodule("BookError")


def test_import_rule_checker_can_fail():
    tree = ast.parse("import numpy\nif True:\n    import cnnbook\ndef f():\n    import cnnbook\n")
    names = [a.name for n in _top_level_imports(tree) for a in n.names]
    assert names.count("cnnbook") == 1
