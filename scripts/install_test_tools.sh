#!/usr/bin/env bash
# 테스트에만 필요한 것: 테스트 도구, Colab과 같은 판의 두 번째 환경(.venv-colab),
# 헤드리스 Chromium과 한중일 글꼴(Debian 패키지). 여러 번 실행해도 안전합니다.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}

.venv/bin/python -m pip install -q -r tests/requirements.txt

if [ ! -x .venv-colab/bin/python ]; then
  "$python" -m venv .venv-colab
fi
.venv-colab/bin/python -m pip install -q --upgrade pip
.venv-colab/bin/python -m pip install -q -r tests/requirements-colab.txt
# 공용 패키지는 여기서 넣지 않습니다: tests/test_standalone.py 가 Colab처럼 커밋된 트리(git archive HEAD)로 만든
# 휠을 --no-deps 로 설치합니다 (의존성을 다시 풀면 Colab과 다른 판이 들어올 수 있음).

if ! command -v chromium >/dev/null || ! fc-list :lang=ko | grep -q .; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "브라우저 테스트에는 chromium 과 fonts-noto-cjk 가 필요합니다: sudo apt-get install chromium fonts-noto-cjk" >&2
    exit 1
  fi
fi
