"""부록 A.3 연습 문제: decay 0.999인 지수 이동 평균이 담는 단계 수.

옛 값의 무게가 단계마다 decay배가 되므로, 무게가 1/e로 줄어드는 단계 수는 −1/ln(decay) ≈ 1/(1 − decay)입니다.
두 값(999.5와 1000) 모두 맞는 답으로 받습니다.
"""
from __future__ import annotations

import math

from cnnbook.exercises import Exercise, read_number, register

DECAY = 0.999
STEPS = 1 / (1 - DECAY)  # 1000
EXACT = -1 / math.log(DECAY)  # 999.5


def check_average_steps(answer):
    value, hint = read_number(answer)
    if hint:
        return hint
    if abs(value - STEPS) <= 0.01 * STEPS:
        return None
    if abs(value - DECAY) < 0.01 or abs(value - (1 - DECAY)) < 1e-4:
        return "decay 값 자체가 아니라 단계 수를 묻습니다. 옛 값의 무게가 1/e가 될 때까지 몇 번 곱해야 하나요?"
    return "단계마다 옛 값에 decay를 곱합니다. decayⁿ = 1/e가 되는 n을 어림해 보세요 (1 − decay가 작을 때)."


register(Exercise(
    key="A.3-1", check=check_average_steps, solution=int(STEPS),
    wrong=(DECAY, 1 - DECAY, 100, 10_000, "천"),
    also_right=("1000", "1,000", round(EXACT, 1), float(STEPS), " 1000 "),
    done="decay를 0.9999로 올리면 평균이 만 단계를 담으므로, 학습이 짧으면 초깃값이 평균에 남습니다.",
))
