"""부록 A.2 연습 문제: 3×3 조각으로 만든 화이트닝 첫 계층의 출력 채널 수.

정답은 공식(조각 하나의 수 × 2)으로 계산합니다. 테스트(tests/unit/test_speedrun.py)가 ``whitening_kernel`` 이
실제로 그만큼의 필터를 만드는지 확인합니다.
"""
from __future__ import annotations

from cnnbook.exercises import Exercise, read_integer, register

SIZE, CHANNELS = 3, 3
PATCH_NUMBERS = SIZE * SIZE * CHANNELS  # 고유벡터의 수
WHITEN_CHANNELS = 2 * PATCH_NUMBERS  # 부호를 바꾼 필터까지


def check_whiten_channels(answer):
    value, hint = read_integer(answer)
    if hint:
        return hint
    if value == WHITEN_CHANNELS:
        return None
    if value == PATCH_NUMBERS:
        return "고유벡터 하나마다 필터가 몇 개였는지 다시 보세요 (2×2일 때 12개의 고유벡터로 24채널)."
    if value == 2 * SIZE * SIZE:
        return "조각에는 색 채널도 있습니다. 3×3 조각 하나에는 수가 몇 개인가요?"
    return "조각 하나의 수(높이 × 너비 × 색 채널)만큼 고유벡터가 있고, 필터는 고유벡터마다 몇 개인지 세어 보세요."


register(Exercise(
    key="A.2-1", check=check_whiten_channels, solution=WHITEN_CHANNELS,
    wrong=(PATCH_NUMBERS, 2 * SIZE * SIZE, 24, "오십사", WHITEN_CHANNELS + 0.5),
    also_right=(str(WHITEN_CHANNELS), float(WHITEN_CHANNELS), f" {WHITEN_CHANNELS} "),
    done="채널이 많아지면 다음 합성곱의 계산도 늘어나므로 airbench는 2×2 조각을 씁니다.",
))
