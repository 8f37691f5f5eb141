#!/usr/bin/env bash
# 장마다 reveal.js 강의 슬라이드를 만듭니다: _build/html/slides/<노트북>.html (목록: _build/html/slides/index.html).
# 책을 먼저 만들었다면(bash scripts/book.sh) 그때 실행된 노트북의 출력을 그대로 쓰고, 책의 장 페이지에
# 슬라이드 링크를 넣습니다. 실행된 노트북이 없으면 빠른 모드로 한 번 실행합니다 (결과는 _build/slides/ 에 캐시).
# reveal.js와 MathJax는 _vendor/ 에 있는 것을 복사하므로 슬라이드는 인터넷 없이 열립니다.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  bash scripts/install.sh
fi
# 슬라이드 내보내기 도구 (nbconvert) 만 더 설치합니다.
.venv/bin/python -c "import nbconvert" 2>/dev/null || .venv/bin/python -m pip install -q -r scripts/slides_template/requirements.txt
if [ -z "${CNNBOOK_DATA:-}" ] && [ -d ../shared/data ]; then
  export CNNBOOK_DATA=$(cd ../shared/data && pwd)
fi
.venv/bin/python scripts/slides.py "$@"
