#!/usr/bin/env bash
# 주 작업: 필요한 것을 설치하고 HTML 책을 전체 모드로 만듭니다 (_build/html/index.html).
# 노트북 실행 결과는 캐시되므로 바뀐 노트북만 다시 실행됩니다. 노트북이 import하는 공용 패키지(cnnbook/)나
# 설치한 판이 바뀌면 캐시로는 알 수 없으므로 모든 노트북을 다시 실행합니다.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
unset CNNBOOK_FAST

stamp=_build/.cnnbook-stamp
current=$(cat cnnbook/*.py cnnbook/figures/*.py requirements.txt | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" != "$current" ]; then
  echo "공용 패키지나 요구 판이 바뀌어 노트북 실행 캐시를 지웁니다."
  rm -rf _build/.jupyter_cache _build/jupyter_execute
fi
mkdir -p _build
.venv/bin/jupyter-book build . -W --keep-going
echo "$current" > "$stamp"
echo "책: $(pwd)/_build/html/index.html"
