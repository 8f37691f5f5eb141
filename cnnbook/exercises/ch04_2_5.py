"""4.2.5절 연습 문제: He 초깃값, 전역 평균 풀링 모델의 매개변수."""
from __future__ import annotations

import math

from cnnbook.exercises import Exercise, register

FC1_INPUTS = 7 * 7 * 64
HE_FC1 = math.sqrt(2 / FC1_INPUTS)
GAP_PARAMS = (5 * 5 * 1 * 32 + 32) + (5 * 5 * 32 * 64 + 64) + (64 * 10 + 10)


def check_he(answer):
    value = float(answer)
    if math.isclose(value, HE_FC1, rel_tol=1e-2):
        return None
    if math.isclose(value, math.sqrt(1 / FC1_INPUTS), rel_tol=1e-2):
        return "ReLU 계층에 맞춘 He 초깃값은 분자가 1이 아닙니다."
    if math.isclose(value, 2 / FC1_INPUTS, rel_tol=1e-2):
        return "분산과 표준편차를 구분하세요. 표준편차는 분산의 제곱근입니다."
    if math.isclose(value, math.sqrt(2 / 25), rel_tol=1e-2) or value == 0.1:
        return "입력 수는 계층마다 다릅니다. fc1에 들어오는 벡터의 길이를 쓰세요."
    return "σ = √(2 / 입력 수)이고, fc1의 입력 수는 펼친 특징 맵의 길이입니다."


def check_gap(answer):
    value = int(answer)
    if value == GAP_PARAMS:
        return None
    if value == GAP_PARAMS - 640 - 10 + 1024 * 10 + 10:
        return "fc2의 입력은 이제 1,024개가 아니라 전역 평균 풀링이 낸 값의 개수입니다."
    if value == 3_274_634:
        return "첫 완전 연결 계층이 빠졌습니다. 그 계층의 매개변수는 더 이상 없습니다."
    return "합성곱 계층 두 개는 그대로이고, 풀링은 매개변수가 없으며, fc2는 64 → 10입니다."


register(Exercise(
    key="4.2.5-1", check=check_he, solution=HE_FC1,
    wrong=(0.1, math.sqrt(1 / FC1_INPUTS), 2 / FC1_INPUTS, math.sqrt(2 / 25)),
    done="입력이 3,136개이면 He 표준편차는 0.1보다 훨씬 작습니다.",
))
register(Exercise(
    key="4.2.5-2", check=check_gap, solution=GAP_PARAMS,
    wrong=(3_274_634, GAP_PARAMS - 650 + 10250, 0),
    done="완전 연결 계층 하나를 빼자 매개변수가 수십 분의 일로 줄었습니다.",
))
