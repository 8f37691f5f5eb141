"""images/ 의 그림을 모두 코드로 다시 만듭니다 (cnnbook/figures/ 의 각 모듈이 내보내는 FIGURES).

    python scripts/make_figures.py                 # 전부
    python scripts/make_figures.py conv            # 이름에 conv 가 든 것만
    python scripts/make_figures.py --out /tmp/fig  # 다른 폴더에 (tests/test_images.py 가 images/ 와 바이트 단위로 비교)

같은 코드, 같은 판이면 같은 파일이 나옵니다 (시드 고정, 메타데이터 없음).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.animation import Animation, PillowWriter  # noqa: E402

import cnnbook  # noqa: E402
from cnnbook.figures import all_figures  # noqa: E402

IMAGES = Path(__file__).resolve().parents[1] / "images"


def save(result, target: Path) -> None:
    if isinstance(result, Animation):
        result.save(target, writer=PillowWriter(fps=2))
    else:
        # 만든 날짜나 버전 같은 메타데이터를 빼서 다시 만들어도 같은 파일이 되게 합니다.
        result.savefig(target, dpi=120, metadata={"Software": None})
    plt.close("all")


def main(patterns: list[str], out: Path = IMAGES) -> list[Path]:
    """그림을 out 폴더에 만들고 만든 파일의 목록을 돌려줍니다."""
    cnnbook.use_korean_font()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, make in sorted(all_figures().items()):
        if patterns and not any(p in file_name for p in patterns):
            continue
        cnnbook.seed_everything()
        save(make(), out / file_name)
        print(f"{out.name}/{file_name}")
        written.append(out / file_name)
    return written


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="images/ 의 그림을 코드로 다시 만듭니다.")
    parser.add_argument("patterns", nargs="*", help="이 글자가 이름에 든 그림만")
    parser.add_argument("--out", type=Path, default=IMAGES, help="저장할 폴더 (기본 images/)")
    args = parser.parse_args(argv)
    try:
        main(args.patterns, args.out)
    except cnnbook.BookError as error:
        print(f"오류: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(cli())
