"""검증 데이터가 정하고 테스트 데이터는 보고만 합니다 (issue 15).

노트북의 코드 셀과 ``cnnbook/`` 의 파이썬 파일을 읽어, 테스트 정확도(테스트 데이터로 잰 점수)가 결정에 쓰이면
실패합니다. 결정이란 ``assert``, 크기 비교(기준·바닥과의 비교, 캐시를 둘지 버릴지), 최댓값·최솟값·정렬로 고르기,
``paired_difference`` 로 "어느 쪽이 나은가" 정하기, ``fit(validation_data=테스트 데이터)`` 입니다.

방법: 작은 오염 분석(taint analysis). 값마다 네 등급이 있습니다.

- DATA: 테스트 이미지 (``x_test``, ``test_images``, 그것을 바꾼 값, 모델이 그것에 낸 예측).
- LABELS: 테스트 레이블 (``y_test``, ``test_xy``, 그것을 자른 값).
- SCORE: 테스트 데이터로 잰 점수 (``test_acc``, ``info["test_accuracy"]``, ``top["test"]``, 테스트 데이터를 넣은
  ``accuracy(...)``/``evaluate(...)``/``correct_mask(...)``, 예측과 테스트 레이블을 ``==`` 로 비교한 값, 그런 값을
  돌려주는 함수의 결과).
- 그 밖: 상관없음. ``len(x_test)`` 와 ``x_test.shape`` 는 점수가 아니므로 결정에 써도 됩니다. 두 모델의 예측이
  같은지(레이블 없이)도 점수가 아닙니다.

노트북(셀을 차례로)과 모듈은 위에서 아래로 읽어 이름을 다시 쓰면 등급도 바꾸고, 함수는 ``return`` 의 등급(튜플이면
칸마다)을 요약해 부르는 곳에 넘깁니다(``cnnbook`` 의 함수는 노트북에서도 보임). 결정하는 자리에 SCORE가 있으면
실패입니다. ``==`` 로 쓴 assert(개수, 모양 확인)는 결정이 아니므로 보지 않습니다.
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NONE, DATA, LABELS, SCORE = 0, 1, 2, 3

# 이름 조각(밑줄로 나눔)에 test가 있을 때: 개수·경로면 상관없음, 레이블·데이터 조각이 있으면 LABELS·DATA, 아니면 SCORE
SIZE_PARTS = {"size", "n", "count", "num", "len", "length", "steps", "file", "path", "dir", "name", "shape",
              "seconds", "secs", "time", "minutes", "bytes", "mb", "flops"}
LABEL_PARTS = {"y", "labels", "label", "targets", "target", "xy", "set", "split", "data", "dataset", "ds"}
DATA_PARTS = {"x", "images", "image", "batch", "batches", "loader", "inputs", "probs", "logits", "pred", "preds",
              "predictions", "outputs"}
NOT_SCORE_ATTRS = {"shape", "dtype", "ndim", "size", "name"}
SCORE_CALL = re.compile(r"acc|accuracy|evaluate|score|correct|error|loss|mistake|misclass", re.IGNORECASE)
CHOOSE_CALLS = {"max", "min", "sorted"}
ORDER_OPS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def name_level(identifier: str, key: bool = False) -> int:
    """이름(변수, 속성, 사전 키)만 보고 정한 등급. 사전 키 "test" 는 점수(예: ``results[name]["test"]``)."""
    parts = set(p for p in re.split(r"[^a-z0-9]+", identifier.lower()) if p)
    if not parts & {"test", "tests"}:
        return NONE
    if parts & SIZE_PARTS:
        return NONE
    if parts & LABEL_PARTS:
        return LABELS
    if parts & DATA_PARTS:
        return DATA
    if parts == {"test"}:
        return SCORE if key else LABELS
    return SCORE


def flat(shape) -> int:
    """튜플 모양의 등급을 하나로 (가장 높은 것)."""
    return max((flat(s) for s in shape), default=NONE) if isinstance(shape, tuple) else shape


def clip(shape, depth: int = 3):
    """튜플 모양을 세 겹까지만 (자기를 부르는 함수에서도 끝나게)."""
    if not isinstance(shape, tuple):
        return shape
    return tuple(clip(s, depth - 1) for s in shape) if depth > 0 else flat(shape)


def join(a, b):
    """두 모양 중 높은 등급 (같은 길이의 튜플은 칸마다, 튜플과 수는 수를 칸마다 더함)."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return tuple(join(x, y) for x, y in zip(a, b)) if len(a) == len(b) else max(flat(a), flat(b))
    if isinstance(a, tuple) or isinstance(b, tuple):
        tup, number = (a, b) if isinstance(a, tuple) else (b, a)
        return tuple(join(x, number) for x in tup)
    return max(a, b)


def call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def is_constant(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(is_constant(e) for e in node.elts)
    return isinstance(node, ast.UnaryOp) and is_constant(node.operand)


def bound_names(function) -> set:
    """함수 안에서 값을 받는 이름 (매개변수, 대입, for, with, import): 바깥 이름을 가립니다."""
    args = function.args
    names = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg] if a}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, FUNCTIONS) and node is not function:
            names.add(node.name)
    return names


def statements_only(node):
    """문장 하나의 식 노드들 (안의 문장 블록과 함수 정의로는 내려가지 않습니다)."""
    todo = [node]
    while todo:
        current = todo.pop()
        yield current
        for child in ast.iter_child_nodes(current):
            if not isinstance(child, (ast.stmt, ast.excepthandler)):
                todo.append(child)


@dataclass
class Scope:
    """이름의 등급을 담는 범위: 노트북 전체나 모듈 하나(위에서 아래로 읽음), 또는 함수 하나(순서 없이 모음)."""

    parent: "Scope | None" = None
    function: object = None
    cell: str | None = None
    env: dict = field(default_factory=dict)
    local: set = field(default_factory=set)

    def lookup(self, name: str) -> int:
        if self.parent is None or name in self.local:
            return self.env.get(name, NONE)
        return self.parent.lookup(name)


@dataclass
class Unit:
    """파일 하나(모듈, 또는 셀을 차례로 잇는 노트북)."""

    label: str
    cells: list  # (ast.Module, 셀 id 또는 None)
    functions: list = field(default_factory=list)
    summaries: dict = field(default_factory=dict)  # 이 파일에서 정의한 함수 이름 -> 돌려주는 값의 모양
    module: Scope = field(default_factory=Scope)


def make_unit(label: str, cells: list) -> Unit:
    unit = Unit(label, cells)
    for tree, cell in cells:
        for node in tree.body:
            defs = [node] if isinstance(node, FUNCTIONS) else []
            if isinstance(node, ast.ClassDef):
                defs = [n for n in node.body if isinstance(n, FUNCTIONS)]
            unit.functions += [Scope(unit.module, d, cell, local=bound_names(d)) for d in defs]
    return unit


class Analysis:
    def __init__(self, units: list[Unit]):
        self.units = units
        self.shared: dict = {}  # cnnbook 모듈의 함수 요약 (노트북에서도 보임)
        self.found: list[str] = []
        self.checking = False

    # ---- 식의 등급과 모양 ----
    def shape(self, node, scope: Scope, unit: Unit):
        if isinstance(node, (ast.Tuple, ast.List)) and not any(isinstance(e, ast.Starred) for e in node.elts):
            return tuple(self.shape(e, scope, unit) for e in node.elts)
        if isinstance(node, ast.Call):
            summary = unit.summaries.get(call_name(node.func), self.shared.get(call_name(node.func)))
            if isinstance(summary, tuple):
                return join(summary, self.arguments(node, scope, unit))
        return self.level(node, scope, unit)

    def arguments(self, node: ast.Call, scope: Scope, unit: Unit) -> int:
        receiver = self.level(node.func.value, scope, unit) if isinstance(node.func, ast.Attribute) else NONE
        inputs = [*node.args, *(k.value for k in node.keywords)]
        return max([receiver, *(self.level(a, scope, unit) for a in inputs)])

    def level(self, node, scope: Scope, unit: Unit) -> int:
        if node is None or isinstance(node, ast.Constant):
            return NONE
        if isinstance(node, ast.Name):
            return max(name_level(node.id), scope.lookup(node.id))
        if isinstance(node, ast.Attribute):
            if node.attr in NOT_SCORE_ATTRS:
                return NONE
            return max(name_level(node.attr), self.level(node.value, scope, unit))
        if isinstance(node, ast.Subscript):
            base = self.level(node.value, scope, unit)
            key = node.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                return max(base, name_level(key.value, key=True))
            return max(base, self.level(key, scope, unit))
        if isinstance(node, ast.Dict):
            if all(isinstance(k, ast.Constant) for k in node.keys):
                return NONE  # 키가 정해진 사전: 읽는 자리에서 키로 판단합니다
            return max((self.level(v, scope, unit) for v in node.values), default=NONE)
        if isinstance(node, ast.Call):
            return self.call_level(node, scope, unit)
        if isinstance(node, ast.Compare):
            return self.compare_level(node, scope, unit)
        if isinstance(node, COMPREHENSIONS):
            for generator in node.generators:
                self.bind(generator.target, self.level(generator.iter, scope, unit), scope, strong=True)
        if isinstance(node, ast.Lambda):
            return self.level(node.body, scope, unit)
        return max((self.level(c, scope, unit) for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)),
                   default=NONE)

    def call_level(self, node: ast.Call, scope: Scope, unit: Unit) -> int:
        name = call_name(node.func)
        if name == "len":
            return NONE
        if name == "get" and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            receiver = self.level(node.func.value, scope, unit) if isinstance(node.func, ast.Attribute) else NONE
            return max(receiver, name_level(node.args[0].value, key=True))
        if name == "dict":  # dict(기본, test=…): 이름 붙은 칸은 읽는 자리에서 키로 판단합니다
            return max((self.level(a, scope, unit) for a in node.args), default=NONE)
        argument = self.arguments(node, scope, unit)
        if SCORE_CALL.search(name) and argument >= LABELS:
            return SCORE
        return max(argument, flat(unit.summaries.get(name, self.shared.get(name, NONE))))

    def compare_level(self, node: ast.Compare, scope: Scope, unit: Unit) -> int:
        operands = [node.left, *node.comparators]
        levels = [self.level(o, scope, unit) for o in operands]
        if any(isinstance(op, (ast.Eq, ast.NotEq)) for op in node.ops):
            # 예측 == 테스트 레이블: 이미지마다 맞혔는지, 곧 점수
            if any(lv >= LABELS for lv in levels) and sum(not is_constant(o) for o in operands) >= 2:
                return SCORE
        return max(levels)

    # ---- 대입 ----
    def bind(self, target, shape, scope: Scope, strong: bool) -> bool:
        """이름에 등급을 줍니다. 바뀌었으면 참."""
        if isinstance(target, ast.Name):
            old = scope.env.get(target.id, NONE)
            new = flat(shape) if strong else max(old, flat(shape))
            scope.env[target.id] = new
            return new != old
        if isinstance(target, (ast.Tuple, ast.List)):
            pairs = isinstance(shape, tuple) and len(shape) == len(target.elts)
            return any([self.bind(t, shape[i] if pairs else flat(shape), scope, strong)
                        for i, t in enumerate(target.elts)])
        if isinstance(target, ast.Starred):
            return self.bind(target.value, flat(shape), scope, strong)
        if isinstance(target, ast.Subscript):
            key = target.slice
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return self.bind(target.value, flat(shape), scope, strong=False)  # accs[i] = … 는 목록을 물들임
        return False

    def assign(self, node, scope: Scope, unit: Unit, strong: bool) -> bool:
        changed = False
        if isinstance(node, ast.Assign):
            shape = self.shape(node.value, scope, unit)
            for target in node.targets:
                changed |= self.bind(target, shape, scope, strong)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            changed |= self.bind(node.target, self.shape(node.value, scope, unit), scope, strong)
        elif isinstance(node, (ast.AugAssign, ast.NamedExpr)):
            level = max(self.level(node.value, scope, unit), self.level(node.target, scope, unit))
            changed |= self.bind(node.target, level, scope, strong)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            changed |= self.bind(node.target, self.level(node.iter, scope, unit), scope, strong)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    changed |= self.bind(item.optional_vars, self.level(item.context_expr, scope, unit), scope, strong)
        return changed

    # ---- 모듈과 노트북: 위에서 아래로 ----
    def run_block(self, statements, scope: Scope, unit: Unit, cell):
        for statement in statements:
            if isinstance(statement, (*FUNCTIONS, ast.ClassDef)):
                continue
            if self.checking:
                self.check(statements_only(statement), scope, unit, cell)
            self.assign(statement, scope, unit, strong=True)
            blocks = [getattr(statement, name, []) for name in ("body", "orelse", "finalbody")]
            blocks += [h.body for h in getattr(statement, "handlers", [])]
            loops = 2 if isinstance(statement, (ast.For, ast.AsyncFor, ast.While)) else 1
            for _ in range(loops):
                for block in blocks:
                    self.run_block(block, scope, unit, cell)

    # ---- 함수: 순서 없이 고정점까지 ----
    def run_function(self, scope: Scope, unit: Unit) -> bool:
        changed = False
        nodes = list(ast.walk(scope.function))
        for node in nodes:
            changed |= self.assign(node, scope, unit, strong=False)
        returns = [self.shape(n.value, scope, unit) for n in nodes if isinstance(n, ast.Return) and n.value]
        if returns:
            summary = returns[0]
            for other in returns[1:]:
                summary = join(summary, other)
            name = scope.function.name
            merged = clip(join(summary, unit.summaries.get(name, summary)))
            if merged != unit.summaries.get(name):
                unit.summaries[name] = merged
                changed = True
        if self.checking:
            self.check(nodes, scope, unit, scope.cell)
        return changed

    def run(self) -> list[str]:
        for _ in range(50):
            changed = False
            for unit in self.units:
                unit.module.env.clear()
                for tree, cell in unit.cells:
                    self.run_block(tree.body, unit.module, unit, cell)
                for function in unit.functions:
                    changed |= self.run_function(function, unit)
                if unit.label.startswith("cnnbook/"):
                    for name, summary in unit.summaries.items():
                        merged = join(summary, self.shared.get(name, summary))
                        if merged != self.shared.get(name):
                            self.shared[name] = merged
                            changed = True
            if not changed:
                break
        self.checking = True
        for unit in self.units:
            unit.module.env.clear()
            for tree, cell in unit.cells:
                self.run_block(tree.body, unit.module, unit, cell)
            for function in unit.functions:
                self.run_function(function, unit)
        return list(dict.fromkeys(self.found))

    # ---- 결정하는 자리 ----
    def check(self, nodes, scope: Scope, unit: Unit, cell):
        for node in nodes:
            why = self.decision(node, scope, unit)
            if why:
                where = unit.label + (f" 셀 {cell}" if cell else "") + f" 줄 {node.lineno}"
                self.found.append(f"{where}: {why}: {ast.unparse(node).splitlines()[0][:120]}")

    def decision(self, node, scope: Scope, unit: Unit) -> str | None:
        if isinstance(node, ast.Assert):
            leaves = [node.test]
            while any(isinstance(n, (ast.BoolOp, ast.UnaryOp)) for n in leaves):
                leaves = [c for n in leaves for c in (
                    n.values if isinstance(n, ast.BoolOp) else [n.operand] if isinstance(n, ast.UnaryOp) else [n])]
            if any(not isinstance(n, ast.Compare) and self.level(n, scope, unit) == SCORE for n in leaves):
                return "assert가 테스트 점수를 읽습니다"
        if isinstance(node, ast.Compare) and any(isinstance(op, ORDER_OPS) for op in node.ops):
            if any(self.level(o, scope, unit) == SCORE for o in [node.left, *node.comparators]):
                return "테스트 점수를 기준과 비교합니다 (바닥, 게이트, 캐시 검사, 결론은 검증 점수로)"
        if isinstance(node, ast.Call):
            name = call_name(node.func)
            keys = [k.value for k in node.keywords if k.arg == "key"]
            if name in CHOOSE_CALLS and any(self.level(k, scope, unit) == SCORE for k in keys):
                return "테스트 점수로 고릅니다"
            inputs = [*node.args, *(k.value for k in node.keywords)]
            if name == "paired_difference" and any(self.level(a, scope, unit) >= LABELS for a in inputs):
                return "테스트 데이터로 어느 쪽이 나은지 정합니다 (비교는 검증 이미지로)"
            for keyword in node.keywords:
                if keyword.arg == "validation_data" and self.level(keyword.value, scope, unit) >= DATA:
                    return "테스트 데이터를 검증 데이터로 씁니다"
        return None


# ---- 소스 읽기 ----
def python_code(cell_source: str) -> str:
    """IPython 셀을 파이썬으로 (%매직, !명령은 같은 들여쓰기의 pass로 바꿉니다)."""
    lines = cell_source.splitlines()
    if lines and lines[0].startswith("%%"):
        return ""
    return "\n".join(
        line[: len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!")) else line
        for line in lines
    )


def notebook_unit(path: Path) -> Unit:
    nb = json.loads(path.read_text(encoding="utf-8"))
    trees = [(ast.parse(python_code("".join(c["source"]))), c.get("id", "?"))
             for c in nb["cells"] if c["cell_type"] == "code"]
    return make_unit(f"notebooks/{path.name}", trees)


def source_unit(label: str, text: str) -> Unit:
    return make_unit(label, [(ast.parse(text), None)])


def package_units() -> list[Unit]:
    return [source_unit(p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "cnnbook").rglob("*.py"))]


def violations(units: list[Unit]) -> list[str]:
    return Analysis(units).run()


def check_snippet(code: str, extra: list[Unit] = ()) -> list[str]:
    return violations([*extra, source_unit("snippet", code)])


# ---- self-test: 검사기는 나쁜 코드를 잡고 좋은 코드는 통과시킵니다 ----
BAD = {
    "assert_test_acc": "test_acc = model.evaluate(x_test, y_test)[1]\nassert test_acc >= 0.9\n",
    "floor_info_key": "def save(info):\n    if info.get('test_accuracy') < FLOOR:\n        raise ValueError()\n",
    "floor_dict_key": "results[name] = {'val': v, 'test': t}\nassert results[name]['test'] >= top_floor\n",
    "cache_unlink": (
        "def load(path):\n    (_, _), (x_test, y_test) = load_mnist()\n"
        "    measured = accuracy(model, x_test, y_test)\n"
        "    if measured < ACCURACY_FLOOR:\n        path.unlink()\n"
    ),
    "through_helpers": (
        "def _check_data():\n    _, (x_test, y_test) = load_mnist()\n    return prep(x_test[:100]), y_test[:100]\n"
        "def measure(weights):\n    images, labels = _check_data()\n    probs = model.predict(images)\n"
        "    return float(np.mean(probs.argmax(axis=1) == labels))\n"
        "def keep(w, floor):\n    checked = measure(w)\n    require(checked >= floor, 'low')\n"
    ),
    "choose_best": "best = max(results, key=lambda k: results[k]['test_accuracy'])\n",
    "paired_on_test": "d = paired_difference(correct_mask(pa, y_test), correct_mask(pb, y_test))\n",
    "fit_on_test": "model.fit(x, y, validation_data=(x_test, y_test), epochs=3)\n",
    "mask_mean": "ok = (model.predict(x_test).argmax(1) == y_test).mean()\nassert ok > 0.5\n",
}
GOOD = {
    "val_floor": "val_acc = model.evaluate(x_val, y_val)[1]\nassert val_acc >= 0.9\nprint(test_acc)\n",
    "report_test": (
        "test_acc = accuracy(model, x_test, y_test)\n"
        "Markdown(f'테스트 정확도 {test_acc:.2%}')\ninfo = {'val_accuracy': v, 'test_accuracy': test_acc}\n"
        "assert info['val_accuracy'] >= FLOOR\n"
    ),
    "shapes": "assert x_test.shape == (10000, 28, 28)\nassert len(x_test) > 0 and y_test.dtype == np.uint8\n"
              "require(0 < m <= len(x_test), 'bad')\nassert (y_test < 10).all()\n",
    "mixed_tuple": (
        "def _data():\n    return (x_fit, y_fit), (x_val, y_val), (x_test, y_test)\n"
        "(x_fit, y_fit), val_xy, (x_test, y_test) = _data()\nv = accuracy(model, *val_xy)\nassert v > 0.5\n"
    ),
    "paired_on_val": "d = paired_difference(correct_mask(pa, y_val), correct_mask(pb, y_val))\nassert d.low > -1\n",
    "count": "n_test = 10000\nassert n_test > CHECK_IMAGES\ntest_seconds = time() - t0\nif test_seconds > 60:\n    pass\n",
    "dict_keywords": (
        "results['a'] = {'val': v, 'test': accuracy(m, x_test, y_test)}\n"
        "classroom = dict(results['a'], test_tta=accuracy(m, x_test, y_test, tta=True))\n"
        "assert top['val'] - classroom['val'] > -TOLERANCE\n"
    ),
    "agreement": "same = np.mean(q.predict(x_test).argmax(1) == model.predict(x_test).argmax(1))\nassert same >= 0.99\n",
    "equality_checks": "assert matrix.sum() == 10000 and np.trace(matrix) == np.sum(y_pred == y_test)\n",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_checker_flags_bad_snippets(name):
    assert check_snippet(BAD[name]), f"{name}: 잡아야 하는데 통과했습니다"


@pytest.mark.parametrize("name", sorted(GOOD))
def test_checker_passes_good_snippets(name):
    assert check_snippet(GOOD[name]) == [], f"{name}: 괜찮은 코드를 잡았습니다"


def test_checker_follows_package_functions_into_notebooks():
    package = source_unit("cnnbook/m.py", "def test_score(model):\n    return accuracy(model, x_test, y_test)\n")
    notebook = make_unit("notebooks/n.ipynb", [(ast.parse("s = m.test_score(net)\nassert s > 0.5\n"), "c1")])
    assert violations([package, notebook]) == [
        "notebooks/n.ipynb 셀 c1 줄 2: 테스트 점수를 기준과 비교합니다 (바닥, 게이트, 캐시 검사, 결론은 검증 점수로): s > 0.5"
    ]


def test_magics_are_ignored():
    assert python_code("%env CNNBOOK_FAST=1\nif a:\n    %pip install x\n!ls") == "pass\nif a:\n    pass\npass"
    assert python_code("%%bash\nls") == ""


# ---- 실제 책 ----
def test_no_decision_reads_test_data():
    units = package_units() + [notebook_unit(p) for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    found = violations(units)
    assert not found, "테스트 데이터로 결정하는 곳 (검증 데이터로 바꾸세요):\n" + "\n".join(found)
