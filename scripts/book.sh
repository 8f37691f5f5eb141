#!/usr/bin/env bash
# 주 작업: 필요한 것을 설치하고 HTML 책을 전체 모드로 만듭니다 (_build/html/index.html).
# 노트북 실행 결과는 캐시되므로 바뀐 노트북만 다시 실행됩니다.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
unset CNNBOOK_FAST
.venv/bin/jupyter-book build . -W --keep-going
echo "책: $(pwd)/_build/html/index.html"
