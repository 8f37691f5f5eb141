"""Colab처럼 노트북 한 개만 연 상황에서 모든 셀이 도는지, 그것도 설정 셀이 고정한 판의 패키지로 확인합니다.

Colab의 설정 셀은 git 태그 ``v<판>`` 의 cnnbook 을 설치합니다. 여기서는 그와 같게 *커밋된 트리*
(``git archive HEAD``, 다른 커밋은 ``CNNBOOK_STANDALONE_REF``)를 임시 폴더에 풀고, 그 cnnbook/ 이
``package_hashes.json`` 에 기록된 그 판의 해시와 같은지 본 뒤, 거기서 만든 휠을 Colab과 같은 판의 환경
(``.venv-colab``: TensorFlow 2.20, IPython 7.34, ipykernel 6.17.1, ipywidgets 7.7.1)에 ``--no-deps`` 로
설치합니다. 노트북도 커밋된 것을 저장소 밖의 빈 임시 폴더에 하나만 두고, 그 폴더를 작업 폴더로 삼아
``pytest --nbval-lax --nbval-current-env`` 로 실행합니다 (저장소는 sys.path 에 없음). 노트북 끝에 셀 하나를 더해
노트북이 본 ``cnnbook.__version__`` 이 설정 셀이 고정한 판과 같은지 확인합니다. 풀이 셀은 Colab의 "모두 실행"처럼
돌지 않습니다. 커밋하지 않은 변경은 들어가지 않으므로(경고로 알림) 커밋한 뒤 실행하세요.

노트북을 모두 실행하므로 오래 걸립니다. ``CNNBOOK_STANDALONE=1`` 일 때만 돌고
(``scripts/test.sh`` 가 켬), 다른 파이썬을 쓰려면 ``CNNBOOK_STANDALONE_PYTHON`` 을 정하세요.
노트북 하나만: ``CNNBOOK_STANDALONE=1 .venv/bin/python -m pytest -q tests/test_standalone.py -k 04_1``.
"""
from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PYTHON = Path(os.environ.get("CNNBOOK_STANDALONE_PYTHON", ROOT / ".venv-colab" / "bin" / "python"))
SHARED_DATA = ROOT.parent / "shared" / "data"
REF = os.environ.get("CNNBOOK_STANDALONE_REF", "HEAD")
# 휠과 노트북을 만드는 데 필요한 커밋된 파일
COMMITTED = ["cnnbook", "pyproject.toml", "README.md", "LICENSE", "notebooks", "package_hashes.json"]
PIN = re.compile(r'%pip install -q "cnnbook @ git\+\S+@v(\d+\.\d+\.\d+)"')

_spec = importlib.util.spec_from_file_location("bump_version", ROOT / "scripts" / "bump_version.py")
bump_version = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bump_version)

pytestmark = pytest.mark.skipif(
    os.environ.get("CNNBOOK_STANDALONE") != "1",
    reason="노트북을 혼자 실행하는 테스트는 CNNBOOK_STANDALONE=1 일 때만 돕니다 (scripts/test.sh)",
)


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True)


@pytest.fixture(scope="session")
def committed(tmp_path_factory) -> Path:
    """``git archive REF`` 로 푼 커밋된 트리 (저장소 밖 임시 폴더)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.fail("커밋된 트리를 설치하는 테스트라 git 저장소가 필요합니다")
    archive = _git("archive", "--format=tar", REF, "--", *COMMITTED)
    if archive.returncode != 0:
        pytest.fail(f"git archive {REF} 에 실패했습니다 (필요한 파일 {COMMITTED} 이 커밋되어 있나요?):\n"
                    f"{archive.stderr.decode()}")
    tree = tmp_path_factory.mktemp("committed")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(tree, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    dirty = _git("status", "--porcelain", "--", *COMMITTED).stdout.decode().strip()
    if dirty and REF == "HEAD":
        warnings.warn(f"커밋하지 않은 변경은 이 테스트에 들어가지 않습니다 (커밋된 {REF} 를 설치함):\n{dirty}")
    return tree


@pytest.fixture(scope="session")
def installed_version(committed, tmp_path_factory) -> str:
    """커밋된 트리에서 만든 휠을 .venv-colab 에 설치하고 그 판을 돌려줍니다."""
    if not PYTHON.is_file():
        pytest.fail(f"Colab과 같은 판의 환경이 없습니다: {PYTHON} (bash scripts/install_test_tools.sh)")
    problem = bump_version.check(committed)
    if problem:
        pytest.fail(f"커밋된 트리({REF})의 cnnbook/ 이 그 판의 기록과 다릅니다. Colab이 설치할 패키지가 책과 "
                    f"다릅니다:\n{problem}", pytrace=False)
    version = bump_version.read_version(committed)
    wheels = tmp_path_factory.mktemp("wheel")
    # 휠은 이 테스트를 돌리는 환경(.venv)의 setuptools 로 만듭니다 (pyproject.toml 의 build-system 판).
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(wheels),
         str(committed)], capture_output=True, text=True,
    )
    assert build.returncode == 0, f"커밋된 트리로 휠을 만들지 못했습니다:\n{build.stdout}\n{build.stderr}"
    found = list(wheels.glob("cnnbook-*.whl"))
    assert [w.name.split("-")[1] for w in found] == [version], f"휠의 판이 {version} 이 아닙니다: {found}"
    install = subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(found[0])],
        capture_output=True, text=True,
    )
    assert install.returncode == 0, f"휠을 설치하지 못했습니다:\n{install.stdout}\n{install.stderr}"
    return version


def standalone_env(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.pop("CNNBOOK_SOLUTIONS", None)  # Colab에서는 풀이 셀이 돌지 않습니다
    env.update(PYTHONNOUSERSITE="1", CNNBOOK_FAST="1", CNNBOOK_CACHE=str(cache))
    if "PYTHONWARNINGS" in os.environ:  # 한글 글꼴이 빠진 그림은 실패 (scripts/test.sh)
        env["PYTHONWARNINGS"] = os.environ["PYTHONWARNINGS"]
    if not env.get("CNNBOOK_DATA") and (SHARED_DATA / "mnist.npz").is_file():
        env["CNNBOOK_DATA"] = str(SHARED_DATA)
    return env


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def pinned_version(notebook: dict) -> str:
    """설정 셀(셋째 셀)이 설치하는 cnnbook 의 판."""
    found = PIN.findall("".join(notebook["cells"][2]["source"]))
    assert len(found) == 1, f"설정 셀에 고정된 설치 줄이 하나여야 합니다: {found}"
    return found[0]


def version_check_cell(version: str) -> dict:
    """노트북 끝에 더하는 셀: 노트북의 커널이 본 cnnbook 의 판이 설정 셀의 판과 같아야 합니다."""
    code = (
        "import cnnbook\n"
        f'assert cnnbook.__version__ == "{version}", '
        f'f"노트북이 본 cnnbook 판 {{cnnbook.__version__}} 이 설정 셀의 {version} 과 다릅니다"\n'
        'print("cnnbook", cnnbook.__version__, cnnbook.__file__)'
    )
    return {"cell_type": "code", "execution_count": None, "id": "standalone-version-check", "metadata": {},
            "outputs": [], "source": code.splitlines(keepends=True)}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_alone(notebook, committed, installed_version, tmp_path_factory):
    source = committed / "notebooks" / notebook.name
    if not source.is_file():
        pytest.fail(f"{notebook.name} 이 {REF} 에 커밋되어 있지 않습니다")
    nb = json.loads(source.read_text(encoding="utf-8"))
    pinned = pinned_version(nb)
    assert pinned == installed_version, f"{notebook.name} 의 설정 셀은 {pinned} 을, 커밋된 패키지는 {installed_version}"
    nb["cells"].append(version_check_cell(pinned))

    folder = Path(tempfile.mkdtemp(prefix=f"colab-{notebook.stem}-"))  # 저장소 밖, 빈 폴더
    try:
        assert ROOT not in folder.parents
        (folder / notebook.name).write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
        env = standalone_env(tmp_path_factory.mktemp("cache"))

        where = subprocess.run(
            [str(PYTHON), "-c",
             "import cnnbook, sys; print(cnnbook.__file__); print(cnnbook.__version__); print(*sys.path, sep='\\n')"],
            cwd=folder, env=env, capture_output=True, text=True, check=True,
        ).stdout.splitlines()
        venv = PYTHON.parent.parent
        module = Path(where[0])
        assert _inside(module, venv) and "site-packages" in module.parts, f"설치된 휠이 아닌 것을 불러옴: {module}"
        assert where[1] == pinned, f"설치된 cnnbook 판 {where[1]} 이 설정 셀의 {pinned} 과 다릅니다"
        entries = [Path(p) for p in where[2:] if p]
        repo = [p for p in entries if _inside(p, ROOT) and not _inside(p, venv)]
        assert not repo, f"저장소가 sys.path 에 있습니다: {repo}"

        run = subprocess.run(
            [str(PYTHON), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
             "--nbval-current-env", "--nbval-cell-timeout=1200", notebook.name],
            cwd=folder, env=env, capture_output=True, text=True, timeout=2400,  # 멈춘 노트북은 실패로
        )
        log = f"{run.stdout[-6000:]}\n{run.stderr[-2000:]}"
        assert run.returncode == 0, f"{notebook.name} 이 혼자서는 돌지 않습니다:\n{log}"
        assert "passed" in run.stdout, log
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
