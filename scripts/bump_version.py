"""공용 패키지 cnnbook 의 판을 올립니다: 판은 한 곳(cnnbook/__init__.py 의 __version__)에만 있습니다.

    .venv/bin/python scripts/bump_version.py 0.3.0          # 판을 올림
    .venv/bin/python scripts/bump_version.py --check        # 지금 cnnbook/ 이 기록된 판의 것과 같은지
    .venv/bin/python scripts/bump_version.py --rehash       # 올린 판을 커밋하기 전에 cnnbook/ 을 더 고쳤을 때

판을 올리면 다음을 한 번에 바꿉니다 (다른 글자는 바이트 하나 바꾸지 않음).

1. ``cnnbook/__init__.py`` 의 ``__version__`` (``pyproject.toml`` 은 ``dynamic = ["version"]`` 으로 이것을 읽음)
2. 모든 노트북 설정 셀의 고정된 설치 줄 ``cnnbook @ git+https://github.com/cnnbook-ko/cnn-book@v<판>``
   (노트북 JSON에서 그 글자만 바꿈), README.md, CONTRIBUTING.md, book/*.md 의 ``@v<판>``
3. ``package_hashes.json`` 에 새 판의 패키지 해시 (휠에 들어가는 cnnbook/ 아래 모든 파일)
4. ``CHANGELOG.md`` 에 새 판의 제목 (``## 미발표`` 아래에 쌓인 항목이 새 판의 것이 됨)

그다음 커밋하고 ``git tag v<판>`` 을 만들어 올립니다. Colab의 설정 셀은 그 태그를 설치합니다.
tests/unit/test_package.py 는 cnnbook/ 이 바뀌었는데 판을 올리지 않았으면 실패합니다.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPOSITORY = "https://github.com/cnnbook-ko/cnn-book"  # _config.yml 의 repository.url 과 같음 (테스트)
HASHES = "package_hashes.json"
CHANGELOG = "CHANGELOG.md"
UNRELEASED = "## 미발표"
VERSION_LINE = re.compile(r'^__version__ = "(\d+\.\d+\.\d+)"$', re.M)
VERSION = re.compile(r"^\d+\.\d+\.\d+$")
# 줄 끝(CRLF/LF)만 다를 수 있는 글 파일: Windows의 git(autocrlf)으로 받아도 해시가 같도록 LF로 맞춰 셉니다.
TEXT_SUFFIXES = {".py", ".js", ".json", ".css", ".md", ".txt", ".html", ".svg", ".toml", ".cfg"}


class BumpError(Exception):
    """판을 올릴 수 없을 때 (아무 파일도 바꾸지 않음)."""


def pin(version: str) -> str:
    """설정 셀이 설치하는 패키지 (pip 요구 사항)."""
    return f"cnnbook @ git+{REPOSITORY}@v{version}"


def read_version(root: Path = ROOT) -> str:
    """``cnnbook/__init__.py`` 의 ``__version__`` (패키지를 import하지 않고 읽음)."""
    found = VERSION_LINE.findall((root / "cnnbook" / "__init__.py").read_text(encoding="utf-8"))
    if len(found) != 1:
        raise BumpError(f"cnnbook/__init__.py 에 `__version__ = \"X.Y.Z\"` 줄이 하나여야 합니다 (찾은 것: {found})")
    return found[0]


def package_files(root: Path = ROOT) -> list[Path]:
    """휠에 들어가는 cnnbook/ 아래 파일 (``__pycache__``, 컴파일된 파일, 숨김 파일, 편집기 백업은 뺌)."""
    files = []
    for path in (root / "cnnbook").rglob("*"):
        parts = path.relative_to(root).parts
        if (not path.is_file() or "__pycache__" in parts or any(p.startswith(".") for p in parts)
                or path.suffix in {".pyc", ".pyo"} or path.name.endswith("~")):
            continue
        files.append(path)
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def package_hash(root: Path = ROOT) -> str:
    """cnnbook/ 트리의 SHA-256: 파일마다 (상대 경로, 내용의 SHA-256). 글 파일은 줄 끝을 LF로 맞춥니다."""
    total = hashlib.sha256()
    for path in package_files(root):
        data = path.read_bytes()
        if path.suffix in TEXT_SUFFIXES:
            data = data.replace(b"\r\n", b"\n")
        total.update(f"{path.relative_to(root).as_posix()}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    return total.hexdigest()


def read_hashes(root: Path = ROOT) -> dict:
    return json.loads((root / HASHES).read_text(encoding="utf-8"))


def check(root: Path = ROOT) -> str | None:
    """cnnbook/ 이 기록된 지금 판의 해시와 같으면 None, 다르면 그 설명 (한국어와 영어)."""
    version = read_version(root)
    recorded = read_hashes(root)["versions"].get(version, {}).get("sha256")
    current = package_hash(root)
    if recorded == current:
        return None
    if recorded is None:
        reason = f"판 {version} 의 해시가 {HASHES} 에 없습니다"
    else:
        reason = f"cnnbook/ 이 판 {version} 을 기록한 뒤 바뀌었습니다 (기록 {recorded[:12]}…, 지금 {current[:12]}…)"
    return (
        f"{reason}. 노트북이 설치하는 고정된 판과 책을 만든 코드가 달라집니다: "
        f"`.venv/bin/python scripts/bump_version.py <새 판>` 으로 판을 올리고 CHANGELOG.md 에 바뀐 것을 적으세요.\n"
        f"cnnbook/ changed without a version bump (version {version}): run "
        f"`python scripts/bump_version.py NEW_VERSION` and describe the change in CHANGELOG.md."
    )


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _replace_pin(text: str, old: str, new: str, where: str, expected: int | None) -> str:
    count = text.count(pin(old))
    if expected is not None and count != expected:
        raise BumpError(f"{where}: 고정된 설치 줄 `{pin(old)}` 이 {count}번 있습니다 ({expected}번이어야 함)")
    return text.replace(pin(old), pin(new))


def planned_changes(root: Path, new: str, date: str) -> dict[Path, str]:
    """바꿀 파일과 새 내용. 하나라도 문제가 있으면 :class:`BumpError` (아무것도 쓰지 않음)."""
    if not VERSION.match(new):
        raise BumpError(f"판은 X.Y.Z 꼴이어야 합니다: {new!r}")
    old = read_version(root)
    if _key(new) <= _key(old):
        raise BumpError(f"새 판 {new} 은 지금 판 {old} 보다 커야 합니다")
    hashes = read_hashes(root)
    if new in hashes["versions"]:
        raise BumpError(f"판 {new} 은 이미 {HASHES} 에 있습니다")

    changes: dict[Path, str] = {}
    init = root / "cnnbook" / "__init__.py"
    changes[init] = VERSION_LINE.sub(f'__version__ = "{new}"', init.read_text(encoding="utf-8"))

    notebooks = sorted((root / "notebooks").glob("*.ipynb"))
    if not notebooks:
        raise BumpError("notebooks/ 에 노트북이 없습니다")
    for path in notebooks:  # 설정 셀의 설치 줄 하나만: JSON의 다른 글자는 그대로
        changes[path] = _replace_pin(path.read_text(encoding="utf-8"), old, new, path.name, expected=1)
    contributing = root / "CONTRIBUTING.md"
    changes[contributing] = _replace_pin(contributing.read_text(encoding="utf-8"), old, new, contributing.name, 1)
    for path in [root / "README.md", *sorted((root / "book").glob("*.md"))]:
        if path.is_file() and f"@v{old}" in path.read_text(encoding="utf-8"):
            changes[path] = path.read_text(encoding="utf-8").replace(f"@v{old}", f"@v{new}")

    changelog = root / CHANGELOG
    text = changelog.read_text(encoding="utf-8")
    if text.count(UNRELEASED + "\n") != 1:
        raise BumpError(f"{CHANGELOG} 에 `{UNRELEASED}` 제목 줄이 하나여야 합니다")
    # 미발표 아래에 쌓인 항목은 새 판의 것이 되고, 그 위에 빈 미발표 절을 새로 둡니다.
    changes[changelog] = text.replace(UNRELEASED + "\n", f"{UNRELEASED}\n\n## {new} ({date})\n", 1)
    return changes


def bump(new: str, root: Path = ROOT, date: str | None = None) -> list[Path]:
    """판을 ``new`` 로 올리고 바꾼 파일 목록을 돌려줍니다."""
    date = date or dt.date.today().isoformat()
    changes = planned_changes(root, new, date)
    for path, text in changes.items():
        with open(path, "w", encoding="utf-8", newline="") as handle:  # 줄 끝을 그대로 둠
            handle.write(text)
    hashes = read_hashes(root)
    hashes["versions"][new] = {"sha256": package_hash(root), "date": date}
    (root / HASHES).write_text(json.dumps(hashes, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [*changes, root / HASHES]


def released(version: str, root: Path = ROOT) -> str | None:
    """판이 이미 내보낸 것이면 그 까닭, 아직 커밋하지 않은 새 기록이면 None.

    내보낸 판: 기록에 커밋이 적혀 있거나, 커밋된 ``package_hashes.json`` (HEAD)에 이미 있거나, 태그 ``v<판>`` 이 있음.
    """
    import subprocess

    if read_hashes(root)["versions"].get(version, {}).get("commit"):
        return "기록에 커밋이 적힌 지난 판입니다"
    git = ["git", "-C", str(root)]
    committed = subprocess.run([*git, "show", f"HEAD:{HASHES}"], capture_output=True, text=True)
    if committed.returncode == 0 and version in json.loads(committed.stdout).get("versions", {}):
        return f"커밋된 {HASHES} 에 이미 있습니다"
    if subprocess.run([*git, "tag", "--list", f"v{version}"], capture_output=True, text=True).stdout.strip():
        return f"태그 v{version} 이 있습니다"
    return None


def rehash(root: Path = ROOT) -> str:
    """판을 올린 뒤 커밋하기 전에 cnnbook/ 을 더 고쳤을 때: 아직 내보내지 않은 지금 판의 해시를 다시 기록합니다."""
    version = read_version(root)
    hashes = read_hashes(root)
    if version not in hashes["versions"]:
        raise BumpError(f"판 {version} 의 기록이 없습니다. 새 판으로 올리세요")
    reason = released(version, root)
    if reason:
        raise BumpError(f"판 {version} 은 이미 내보냈습니다 ({reason}). 새 판으로 올리세요")
    hashes["versions"][version]["sha256"] = package_hash(root)
    (root / HASHES).write_text(json.dumps(hashes, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return version


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="cnnbook 의 판 올리기 (판, 설정 셀, 해시 기록, CHANGELOG)")
    parser.add_argument("version", nargs="?", help="새 판 X.Y.Z")
    parser.add_argument("--check", action="store_true", help="cnnbook/ 이 기록된 지금 판의 것과 같은지만 봄")
    parser.add_argument("--rehash", action="store_true",
                        help="판을 올린 뒤 커밋 전에 cnnbook/ 을 더 고쳤을 때: 아직 커밋하지 않은 지금 판의 해시를 다시 기록")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--date", help="CHANGELOG 와 기록에 적을 날짜 (기본: 오늘)")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problem = check(args.root)
            print(problem or f"cnnbook/ 이 판 {read_version(args.root)} 의 기록과 같습니다.")
            return 1 if problem else 0
        if args.rehash:
            print(f"판 {rehash(args.root)} 의 해시를 다시 기록했습니다 ({HASHES}).")
            return 0
        if not args.version:
            parser.error("새 판을 적으세요 (예: 0.3.0) 또는 --check")
        old = read_version(args.root)
        changed = bump(args.version, args.root, args.date)
    except BumpError as error:
        print(f"판을 올리지 않았습니다: {error}", file=sys.stderr)
        return 2
    print(f"판 {old} → {args.version}: " + ", ".join(str(p.relative_to(args.root)) for p in changed))
    print(f"CHANGELOG.md 의 `## {args.version}` 아래 항목을 확인하고, 커밋한 뒤 `git tag v{args.version}` 을 만들어"
          " 올리세요 (Colab의 설정 셀이 그 태그를 설치합니다).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
