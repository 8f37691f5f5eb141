"""images/ 의 그림을 모두 코드로 다시 만듭니다.

    python scripts/make_figures.py            # 전부
    python scripts/make_figures.py conv       # 이름에 conv 가 든 것만
"""
from __future__ import annotations

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


def main(patterns: list[str]) -> int:
    cnnbook.use_korean_font()
    IMAGES.mkdir(exist_ok=True)
    for file_name, make in sorted(all_figures().items()):
        if patterns and not any(p in file_name for p in patterns):
            continue
        cnnbook.seed_everything()
        save(make(), IMAGES / file_name)
        print(f"images/{file_name}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except cnnbook.BookError as error:
        print(f"오류: {error}", file=sys.stderr)
        sys.exit(1)
