#!/usr/bin/env bash
# 모든 테스트: 단위 테스트, 두 환경(현재 판, Colab 판)에서 모든 노트북의 모든 셀(nbval),
# 빠른 모드로 만든 책을 헤드리스 Chromium으로 열어 보기. 실패하면 0이 아닌 값으로 끝납니다.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
bash scripts/install.sh
bash scripts/install_test_tools.sh

export CNNBOOK_FAST=1
# 연습 문제의 풀이 셀도 실행합니다 (cnnbook.exercises.run_solution() 이 참).
export CNNBOOK_SOLUTIONS=1
# 텐서플로 C++ 로그(W, I)를 끕니다: 일부러 낸 오류(4.2.4의 reshape)의 로그가 늦게 도착해 다음 셀의 stderr로
# 찍히면 책 빌드(-W)가 실패합니다. cnnbook의 경고는 파이썬에서 ⚠️ 로 찍으므로 그대로 보입니다.
export TF_CPP_MIN_LOG_LEVEL=2
# 실제 데이터: CNNBOOK_DATA 가 없으면 저장소 옆의 ../shared/data 를 씁니다.
if [ -z "${CNNBOOK_DATA:-}" ] && [ -d ../shared/data ]; then
  export CNNBOOK_DATA=$(cd ../shared/data && pwd)
fi
# 빠른 모드로 학습한 가중치가 사용자의 캐시를 덮어쓰지 않도록 테스트 전용 캐시를 씁니다.
export CNNBOOK_CACHE=$(pwd)/_build/test/cache
# 그림에 한글 글꼴이 빠지면(matplotlib의 "Glyph ... missing" 경고) 그 셀을 실패로 만듭니다.
export PYTHONWARNINGS="error:Glyph"
mkdir -p "$CNNBOOK_CACHE"

echo "== 1/5 단위 테스트와 파일 규칙"
.venv/bin/python -m pytest -q -rfEs -p no:cacheprovider tests --ignore=tests/browser
# 노트북 실행이 저장소에 파일(%%writefile, 임시 폴더 등)을 남기지 않는지 보려고 시각을 적어 둡니다.
run_started=$(mktemp)
echo "== 2/5 노트북 (TensorFlow $(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("tensorflow"))'))"
.venv/bin/python -m pytest -q -rfEs -p no:cacheprovider --nbval-lax --nbval-cell-timeout=1200 notebooks
echo "== 3/5 노트북, Colab과 같은 판 (TensorFlow $(.venv-colab/bin/python -c 'import importlib.metadata as m; print(m.version("tensorflow"))'), ipywidgets 7)"
rm -rf "$CNNBOOK_CACHE"/*
# Colab처럼 노트북 하나만 저장소 밖 빈 폴더에 두고, 설치한 cnnbook 만으로 (IPython 7.34, --nbval-current-env)
CNNBOOK_STANDALONE=1 .venv/bin/python -m pytest -q -rfEs -p no:cacheprovider tests/test_standalone.py
left=$(find . -newer "$run_started" -type f -not -path './.venv*' -not -path './_build/*' -not -path './.git/*' \
  -not -path '*/__pycache__/*' -not -path '*/.ipynb_checkpoints/*' -not -path './.pytest_cache/*' \
  -not -path './build/*' -not -path './*.egg-info/*' | sort)
rm -f "$run_started"
if [ -n "$left" ]; then
  echo "노트북 실행이 저장소에 파일을 남겼습니다 (임시 파일은 tempfile 이나 CNNBOOK_CACHE 에 두세요):" >&2
  echo "$left" >&2
  exit 1
fi
echo "== 4/5 빠른 모드로 책 만들기 (경고도 실패)"
rm -rf _build/test/_build
# 커널이 죽은 뒤 빌드 프로세스가 끝나지 않고 멈추는 일이 있어(CI에서 본 적 있음) 시간 제한을 둡니다.
# 빠른 모드 책은 2코어에서 몇 분이면 만들어지므로 40분은 멈춤으로 보고 실패로 끝냅니다.
if ! timeout --kill-after=60 2400 .venv/bin/jupyter-book build . --path-output _build/test -W --keep-going; then
  echo "빠른 모드 책 만들기가 실패했거나 40분 안에 끝나지 않았습니다 (위의 출력을 보세요)." >&2
  exit 1
fi
echo "== 5/5 헤드리스 Chromium으로 책 열기 (스크린샷: _build/test/_build/screenshots/)"
.venv/bin/python -m pytest -q -rfEs -p no:cacheprovider tests/browser
# 이 명령이 걸린 시간을 남깁니다 (scripts/timings.py --commands 가 README로 옮김)
mkdir -p _build
printf '{"seconds": %s, "date": "%s", "cpu": "%s", "cores": %s}\n' "$(( $(date +%s) - started ))" \
  "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | xargs || uname -m)" \
  "$(nproc 2>/dev/null || echo 2)" > _build/test-time.json
