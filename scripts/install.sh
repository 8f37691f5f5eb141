#!/usr/bin/env bash
# 책을 만드는 데 필요한 파이썬 패키지를 .venv 에 설치합니다. 여러 번 실행해도 안전합니다.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv || { echo "가상 환경을 만들지 못했습니다. python3-venv 패키지를 설치하세요." >&2; exit 1; }
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements.txt
