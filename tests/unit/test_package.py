"""공용 패키지 cnnbook: 휠에 모든 파일, 판은 한 곳, 판마다 기록한 트리 해시, 설정 셀의 고정된 판.

Colab은 설정 셀이 적은 git 태그(``@v<판>``)에서 cnnbook 을 휠로 설치합니다. 그 판이 책을 만든 코드와 같도록
cnnbook/ 이 바뀌면 판을 올려야 합니다(``scripts/bump_version.py``).
"""
from __future__ import annotations

import importlib.util
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bump_version", ROOT / "scripts" / "bump_version.py")
bump_version = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bump_version)
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def build_wheel(source: Path, out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(source)],
        check=True, capture_output=True,
    )
    (wheel,) = out.glob("cnnbook-*.whl")
    return wheel


def test_wheel_contains_every_module_and_the_version(tmp_path):
    wheel = build_wheel(ROOT, tmp_path)
    packaged = set(zipfile.ZipFile(wheel).namelist())
    # 파이썬 모듈뿐 아니라 패키지가 읽는 다른 파일(예: draw_panel.js)도 들어가야 합니다.
    # 해시를 세는 파일(bump_version.package_files)이 곧 휠에 들어가는 파일입니다.
    source = {p.relative_to(ROOT).as_posix() for p in bump_version.package_files(ROOT)}
    assert source <= packaged, f"휠에 빠진 파일: {sorted(source - packaged)}"
    version = bump_version.read_version(ROOT)
    assert wheel.name.startswith(f"cnnbook-{version}-"), wheel.name
    metadata = zipfile.ZipFile(wheel).read(f"cnnbook-{version}.dist-info/METADATA").decode()
    assert f"\nVersion: {version}\n" in metadata


def test_importing_the_package_does_not_import_tensorflow():
    code = "import sys, cnnbook; assert 'tensorflow' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_version_lives_in_one_place():
    """판은 cnnbook/__init__.py 에만 적고, pyproject.toml 은 setuptools가 그것을 읽게 합니다."""
    import cnnbook

    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = text.split("[project]", 1)[1].split("\n[", 1)[0]
    assert not re.search(r"^version\s*=", project, re.M), "pyproject.toml 의 [project] 에 판을 따로 적지 마세요"
    assert re.search(r'^dynamic\s*=\s*\["version"\]', project, re.M)
    assert re.search(r'^version\s*=\s*\{\s*attr\s*=\s*"cnnbook\.__version__"\s*\}', text, re.M)
    assert cnnbook.__version__ == bump_version.read_version(ROOT)


def test_package_tree_matches_the_recorded_hash_of_its_version():
    """cnnbook/ 을 바꾸고 판을 올리지 않으면 실패합니다 (메시지가 scripts/bump_version.py 를 알려 줌)."""
    problem = bump_version.check(ROOT)
    if problem:
        pytest.fail(problem, pytrace=False)


def test_setup_cells_pin_exactly_the_package_version():
    version = bump_version.read_version(ROOT)
    line = f'    %pip install -q "{bump_version.pin(version)}"'
    wrong = []
    for path in NOTEBOOKS:
        setup = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][2]["source"])
        if line not in setup.splitlines():
            found = re.findall(r"cnnbook @ \S+@v[\w.]+", setup)
            wrong.append(f"{path.name}: {found or '설치 줄 없음'}")
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    if line not in contributing.splitlines():
        found = re.findall(r"cnnbook @ \S+@v[\w.]+", contributing)
        wrong.append(f"CONTRIBUTING.md: {found or '설치 줄 없음'}")
    assert not wrong, (
        f"설정 셀은 지금 판 {version} 을 설치해야 합니다 (`python scripts/bump_version.py` 가 함께 바꿈):\n  "
        + "\n  ".join(wrong)
    )


def test_repository_url_is_the_books():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert bump_version.REPOSITORY == config["repository"]["url"].rstrip("/")


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True)


def test_recorded_hashes_are_those_of_their_commits(tmp_path):
    """기록에 적힌 커밋의 cnnbook/ 트리를 다시 세면 기록한 해시가 나옵니다 (해시 함수가 그대로인지도 확인)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("git 저장소가 아니어서 커밋의 트리를 다시 셀 수 없습니다")
    records = {v: r for v, r in bump_version.read_hashes(ROOT)["versions"].items() if r.get("commit")}
    assert records, "커밋이 적힌 기록이 없습니다"
    shallow = _git("rev-parse", "--is-shallow-repository").stdout.strip() == b"true"
    for version, record in records.items():
        if shallow and _git("cat-file", "-e", f"{record['commit']}^{{commit}}").returncode != 0:
            pytest.skip(f"얕은 clone이라 커밋 {record['commit']} 이 없습니다 (git fetch --unshallow)")
        archive = _git("archive", "--format=tar", record["commit"], "cnnbook")
        assert archive.returncode == 0, archive.stderr.decode()
        tree = tmp_path / version
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tree, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
        assert bump_version.read_version(tree) == version
        assert bump_version.package_hash(tree) == record["sha256"], f"판 {version} (커밋 {record['commit']})"


def copy_of_package(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "cnnbook", root / "cnnbook", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_hash_follows_the_files_that_ship(tmp_path):
    root = copy_of_package(tmp_path)
    base = bump_version.package_hash(root)
    cache = root / "cnnbook" / "__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "data.cpython-311.pyc").write_bytes(b"\0compiled")
    (root / "cnnbook" / ".DS_Store").write_bytes(b"finder")
    assert bump_version.package_hash(root) == base, "캐시와 숨김 파일은 세지 않습니다"
    module = root / "cnnbook" / "errors.py"
    text = module.read_bytes()
    module.write_bytes(text.replace(b"\n", b"\r\n"))
    assert bump_version.package_hash(root) == base, "Windows의 줄 끝(CRLF)으로 받아도 같은 해시"
    module.write_bytes(text + b"# one more line\n")
    assert bump_version.package_hash(root) != base, "모듈 한 줄이 바뀌면 해시가 바뀝니다"
    module.write_bytes(text)
    (root / "cnnbook" / "new_module.py").write_text("X = 1\n", encoding="utf-8")
    assert bump_version.package_hash(root) != base, "새 모듈도 셉니다"
    (root / "cnnbook" / "new_module.py").unlink()
    (root / "cnnbook" / "errors.py").rename(root / "cnnbook" / "errors2.py")
    assert bump_version.package_hash(root) != base, "이름이 바뀌어도 해시가 바뀝니다"


def copy_of_repository(tmp_path: Path) -> Path:
    """판 올리기가 건드리는 파일만 임시 폴더로 복사합니다."""
    root = copy_of_package(tmp_path)
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "book", root / "book", ignore=shutil.ignore_patterns("_generated"))
    for name in ("README.md", "CONTRIBUTING.md", "CHANGELOG.md", bump_version.HASHES):
        shutil.copy(ROOT / name, root / name)
    return root


def test_bump_changes_only_the_pins_and_records_the_new_hash(tmp_path):
    root = copy_of_repository(tmp_path)
    old = bump_version.read_version(root)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    new = ".".join([str(int(old.split(".")[0]) + 1), "0", "0"])
    assert bump_version.main([new, "--root", str(root), "--date", "2026-12-04"]) == 0

    assert bump_version.read_version(root) == new
    old_pin, new_pin = bump_version.pin(old).encode(), bump_version.pin(new).encode()
    for path in sorted((root / "notebooks").glob("*.ipynb")) + [root / "CONTRIBUTING.md"]:
        assert before[path].count(old_pin) == 1
        # 설치 줄만 바뀌고 다른 바이트는 그대로입니다.
        assert path.read_bytes() == before[path].replace(old_pin, new_pin), path.name
    for path in [root / "README.md", *(root / "book").glob("*.md")]:
        assert f"@v{old}".encode() not in path.read_bytes(), path.name
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## 미발표\n\n## {new} (2026-12-04)\n" in changelog
    assert changelog.index(f"## {new}") < changelog.index(f"## {old}")
    record = bump_version.read_hashes(root)["versions"][new]
    assert record == {"sha256": bump_version.package_hash(root), "date": "2026-12-04"}
    assert bump_version.check(root) is None

    # 판을 올린 뒤 패키지를 바꾸면 다시 실패하고, 메시지가 할 일을 알려 줍니다.
    module = root / "cnnbook" / "errors.py"
    module.write_text(module.read_text(encoding="utf-8") + "# 바꿈\n", encoding="utf-8")
    problem = bump_version.check(root)
    assert problem and "scripts/bump_version.py" in problem and "without a version bump" in problem


@pytest.mark.parametrize("version", ["0.0.1", "0.2.0", "0.2", "v9.0.0"])
def test_bump_refuses_bad_versions_and_writes_nothing(tmp_path, version, capsys):
    root = copy_of_repository(tmp_path)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert bump_version.main([version, "--root", str(root)]) == 2
    assert "판을 올리지 않았습니다" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_bump_refuses_a_notebook_without_its_pin(tmp_path, capsys):
    root = copy_of_repository(tmp_path)
    notebook = sorted((root / "notebooks").glob("*.ipynb"))[0]
    old = bump_version.read_version(root)
    notebook.write_text(notebook.read_text(encoding="utf-8").replace(f"@v{old}", "@main"), encoding="utf-8")
    init = (root / "cnnbook" / "__init__.py").read_bytes()
    assert bump_version.main(["99.0.0", "--root", str(root)]) == 2
    assert notebook.name in capsys.readouterr().err
    assert (root / "cnnbook" / "__init__.py").read_bytes() == init


def test_rehash_only_for_an_unreleased_version(tmp_path, capsys):
    """판을 올린 뒤 커밋 전에 더 고쳤으면 --rehash 로 다시 기록하고, 지난 판(커밋이 적힌 기록)은 거부합니다."""
    root = copy_of_repository(tmp_path)  # git 저장소가 아님: 커밋된 기록도 태그도 없음
    old = bump_version.read_version(root)
    module = root / "cnnbook" / "errors.py"
    module.write_text(module.read_text(encoding="utf-8") + "# 고침\n", encoding="utf-8")
    if bump_version.read_hashes(root)["versions"][old].get("commit"):
        assert bump_version.main(["--rehash", "--root", str(root)]) == 2
        assert "이미 내보냈습니다" in capsys.readouterr().err
        assert bump_version.check(root) is not None, "지난 판의 기록은 그대로입니다"
    assert bump_version.main(["99.0.0", "--root", str(root), "--date", "2026-12-04"]) == 0
    module.write_text(module.read_text(encoding="utf-8") + "# 커밋 전에 더 고침\n", encoding="utf-8")
    assert bump_version.check(root) is not None
    assert bump_version.main(["--rehash", "--root", str(root)]) == 0
    assert bump_version.check(root) is None
