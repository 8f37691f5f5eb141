"""수업 전에 한 번: 데이터를 내려받아 검증한 뒤 오프라인용 폴더에 저장합니다.

    python -m cnnbook.prepare_data data            # MNIST와 CIFAR-10
    python -m cnnbook.prepare_data data --only mnist

그다음 그 폴더를 교실 컴퓨터로 복사하고 ``CNNBOOK_DATA`` 로 가리키면 인터넷 없이 실행됩니다.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

from cnnbook.data import SPECS, load_arrays
from cnnbook.errors import BookError


def save_atomically(target: Path, arrays: dict) -> None:
    """임시 파일에 다 쓴 뒤 이름을 바꿉니다: 중간에 끊겨도 반쯤 쓴 파일이 target 으로 남지 않습니다."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            np.savez_compressed(handle, **arrays)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        raise BookError(f"{target} 에 저장하지 못했습니다 ({exc.__class__.__name__}: {exc}).") from exc
    finally:
        if temporary.exists():
            temporary.unlink()


def prepare(folder: Path, names: list[str]) -> list[Path]:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BookError(f"폴더 {folder} 을(를) 만들지 못했습니다 ({exc.__class__.__name__}: {exc}).") from exc
    written = []
    for name in names:
        spec = SPECS[name]
        target = folder / spec.file_name
        arrays = load_arrays(spec)  # 검증까지 끝난 배열
        save_atomically(target, arrays)
        print(f"{spec.title}: {target} 저장 (체크섬 확인 완료)")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="오프라인 수업용 데이터 폴더를 준비합니다.")
    parser.add_argument("folder", type=Path, help="데이터를 저장할 폴더 (예: data)")
    parser.add_argument("--only", choices=sorted(SPECS), action="append", help="이 데이터셋만 준비")
    args = parser.parse_args(argv)
    try:
        prepare(args.folder, args.only or sorted(SPECS))
    except BookError as error:
        print(f"오류: {error}", file=sys.stderr)
        return 1
    print(f"끝났습니다. 이제 CNNBOOK_DATA={args.folder.resolve()} 로 지정하세요.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
