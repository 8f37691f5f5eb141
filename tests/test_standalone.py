"""Colab처럼 노트북 한 개만 연 상황에서 모든 셀이 도는지 확인합니다.

노트북마다 저장소 밖의 빈 임시 폴더에 그 파일 하나만 복사하고, 그 폴더를 작업 폴더로 삼아
Colab과 같은 판의 환경(``.venv-colab``: TensorFlow 2.20, IPython 7.34, ipykernel 6.17.1,
ipywidgets 7.7.1)에서
``pytest --nbval-lax --nbval-current-env`` 로 실행합니다. 공용 패키지는 지금 저장소에서 만든 휠을
임시 폴더에 *설치한 것*만 보입니다 (저장소는 sys.path 에 없음). 풀이 셀은 Colab의 "모두 실행"처럼 돌지 않습니다.

노트북을 모두 실행하므로 오래 걸립니다. ``CNNBOOK_STANDALONE=1`` 일 때만 돌고
(``scripts/test.sh`` 가 켬), 다른 파이썬을 쓰려면 ``CNNBOOK_STANDALONE_PYTHON`` 을 정하세요.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PYTHON = Path(os.environ.get("CNNBOOK_STANDALONE_PYTHON", ROOT / ".venv-colab" / "bin" / "python"))
SHARED_DATA = ROOT.parent / "shared" / "data"

pytestmark = pytest.mark.skipif(
    os.environ.get("CNNBOOK_STANDALONE") != "1",
    reason="노트북을 혼자 실행하는 테스트는 CNNBOOK_STANDALONE=1 일 때만 돕니다 (scripts/test.sh)",
)


@pytest.fixture(scope="session")
def installed_package():
    """저장소의 cnnbook 을 휠로 만들어 저장소 밖 폴더에 설치하고 그 폴더를 돌려줍니다."""
    if not PYTHON.is_file():
        pytest.fail(f"Colab과 같은 판의 환경이 없습니다: {PYTHON} (bash scripts/install_test_tools.sh)")
    work = Path(tempfile.mkdtemp(prefix="cnnbook-site-"))
    source = work / "src"  # 저장소에 build/ 를 남기지 않도록 복사본에서 만듭니다
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "cnnbook", source / "cnnbook", ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--target", str(work / "site"), str(source)],
        check=True, capture_output=True, cwd=work,
    )
    yield work / "site"
    shutil.rmtree(work, ignore_errors=True)


def standalone_env(site: Path, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.pop("CNNBOOK_SOLUTIONS", None)  # Colab에서는 풀이 셀이 돌지 않습니다
    env.update(PYTHONPATH=str(site), PYTHONNOUSERSITE="1", CNNBOOK_FAST="1", CNNBOOK_CACHE=str(cache))
    if "PYTHONWARNINGS" in os.environ:  # 한글 글꼴이 빠진 그림은 실패 (scripts/test.sh)
        env["PYTHONWARNINGS"] = os.environ["PYTHONWARNINGS"]
    if not env.get("CNNBOOK_DATA") and (SHARED_DATA / "mnist.npz").is_file():
        env["CNNBOOK_DATA"] = str(SHARED_DATA)
    return env


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_alone(notebook, installed_package, tmp_path_factory):
    folder = Path(tempfile.mkdtemp(prefix=f"colab-{notebook.stem}-"))  # 저장소 밖, 빈 폴더
    try:
        assert ROOT not in folder.parents
        shutil.copy(notebook, folder / notebook.name)
        env = standalone_env(installed_package, tmp_path_factory.mktemp("cache"))

        where = subprocess.run(
            [str(PYTHON), "-c", "import cnnbook, sys; print(cnnbook.__file__); print(*sys.path, sep='\\n')"],
            cwd=folder, env=env, capture_output=True, text=True, check=True,
        ).stdout
        first = where.splitlines()[0]
        assert str(installed_package) in first, f"설치된 패키지가 아닌 것을 불러옴: {where}"
        venv = PYTHON.parent.parent
        entries = [Path(p) for p in where.splitlines()[1:] if p]
        repo = [p for p in entries if _inside(p, ROOT) and not _inside(p, venv)]
        assert not repo, f"저장소가 sys.path 에 있습니다: {repo}"

        run = subprocess.run(
            [str(PYTHON), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
             "--nbval-current-env", "--nbval-cell-timeout=1200", notebook.name],
            cwd=folder, env=env, capture_output=True, text=True, timeout=2400,  # 멈춘 노트북은 실패로
        )
        log = f"{run.stdout[-6000:]}\n{run.stderr[-2000:]}"
        assert run.returncode == 0, f"{notebook.name} 이 혼자서는 돌지 않습니다:\n{log}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_colab_like_environment_has_the_pinned_versions():
    """``.venv-colab`` 가 tests/requirements-colab.txt 의 판(IPython 7.34 등)을 그대로 갖고 있어야 합니다."""
    pins = {}
    for line in (ROOT / "tests" / "requirements-colab.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pins[name.strip()] = version.strip()
    assert pins.get("ipython", "").startswith("7.34"), "Colab처럼 IPython 7.34를 고정해야 합니다"
    code = ("import json, importlib.metadata as m, sys; "
            "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))")
    out = subprocess.run([str(PYTHON), "-c", code, *pins], capture_output=True, text=True, check=True)
    installed = json.loads(out.stdout)
    wrong = {n: (v, installed[n]) for n, v in pins.items() if installed[n] != v}
    assert not wrong, f"고정한 판과 다르게 설치됨 (고정, 설치): {wrong}"
