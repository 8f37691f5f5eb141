#!/usr/bin/env bash
# 주 작업: 필요한 것을 설치하고 HTML 책을 전체 모드로 만듭니다 (_build/html/index.html).
# 노트북 실행 결과는 캐시되므로 바뀐 노트북만 다시 실행됩니다. 노트북이 import하는 공용 패키지(cnnbook/)나
# 설치한 판, 노트북이 읽는 벤치마크 결과 파일이 바뀌면 캐시로는 알 수 없으므로 모든 노트북을 다시 실행합니다.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
bash scripts/install.sh
unset CNNBOOK_FAST
# 연습 문제의 풀이 셀도 실행해 책에 그 결과를 싣습니다 (cnnbook.exercises.run_solution() 이 참).
export CNNBOOK_SOLUTIONS=1
# 텐서플로 C++ 로그(W, I)를 끕니다: 일부러 낸 오류(4.2.4의 reshape)의 로그가 늦게 도착해 다음 셀의 stderr로
# 찍히면 책 빌드(-W)가 실패합니다. cnnbook의 경고는 파이썬에서 ⚠️ 로 찍으므로 그대로 보입니다.
export TF_CPP_MIN_LOG_LEVEL=2
# 실제 데이터: CNNBOOK_DATA 가 없으면 저장소 옆의 ../shared/data 를 씁니다 (없으면 cnnbook 의 찾는 순서대로).
if [ -z "${CNNBOOK_DATA:-}" ] && [ -d ../shared/data ]; then
  export CNNBOOK_DATA=$(cd ../shared/data && pwd)
fi

stamp=_build/.cnnbook-stamp
# cnnbook/ 아래 모든 파일(하위 패키지 cnnbook/exercises/, cnnbook/figures/ 와 JS 등 포함)과 요구 판,
# 노트북이 읽는 손으로 돌린 벤치마크 결과(benchmarks/*_seeds.json: 4.3.3과 부록 A.2가 읽음)
# 와 실행 방식(풀이 실행 여부). 도장이 없으면(예전 캐시) 캐시를 믿지 않습니다.
current=$( (find cnnbook -type f -not -path '*/__pycache__/*' | LC_ALL=C sort | xargs cat; cat requirements.txt; \
  cat benchmarks/*_seeds.json 2>/dev/null || true; echo "CNNBOOK_SOLUTIONS=$CNNBOOK_SOLUTIONS") | sha256sum | cut -d' ' -f1)
if [ -d _build/.jupyter_cache ] && { [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$current" ]; }; then
  echo "공용 패키지, 요구 판이나 벤치마크 결과가 바뀌어 노트북 실행 캐시를 지웁니다."
  rm -rf _build/.jupyter_cache _build/jupyter_execute
fi
mkdir -p _build
# 캐시는 이제 지금의 코드와 맞습니다. 빌드가 중간에 실패해도 이미 실행한 노트북의 캐시는 그대로 쓸 수 있습니다.
echo "$current" > "$stamp"
# 시작하기 전에 이 기계에서 걸릴 시간을 어림해 알립니다 (전에 잰 노트북 시간 × 그 기계의 천장 ÷ 여기서 잰 천장).
# 어림에 실패해도 빌드는 계속합니다. 텐서플로의 시작 로그는 파일로 보냅니다.
if ! .venv/bin/python scripts/timings.py --estimate 2>_build/estimate.log; then
  echo "예상 시간을 어림하지 못했습니다 (_build/estimate.log). 빌드는 계속합니다."
fi
# 노트북 커널의 최대 메모리를 뒤에서 기록합니다 (scripts/timings.py --from-book 이 실행 시간과 함께 읽음)
.venv/bin/python scripts/kernel_memory.py _build/kernel-memory.json &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT
.venv/bin/jupyter-book build . -W --keep-going
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
trap - EXIT
# 방금 실행한 노트북의 출력으로 장마다 강의 슬라이드를 만들고, 장 페이지에 슬라이드 링크를 넣습니다.
bash scripts/slides.sh
echo "책: $(pwd)/_build/html/index.html (슬라이드: _build/html/slides/index.html)"
# 이 명령이 걸린 시간을 남깁니다 (scripts/timings.py --commands 가 README로 옮김)
mkdir -p _build
printf '{"seconds": %s, "date": "%s", "cpu": "%s", "cores": %s}\n' "$(( $(date +%s) - started ))" \
  "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | xargs || uname -m)" \
  "$(nproc 2>/dev/null || echo 2)" > _build/book-time.json
