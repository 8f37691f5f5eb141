"""4.2.4절 연습 문제: MNIST 합성곱 신경망의 매개변수 세기."""
from __future__ import annotations

from cnnbook.exercises import Exercise, register

FC1_INPUTS = 7 * 7 * 64  # 두 번 풀링한 7×7×64 특징 맵을 펼친 길이
FC1 = FC1_INPUTS * 1024 + 1024
FC1_WITHOUT_POOL2 = 14 * 14 * 64 * 1024 + 1024
CONV_3X3 = (3 * 3 * 1 * 32 + 32) + (3 * 3 * 32 * 64 + 64)
TOTAL_3X3 = CONV_3X3 + FC1 + (1024 * 10 + 10)


def _integer(answer) -> int:
    value = int(answer)
    if value != answer:
        raise ValueError("정수가 아닙니다")
    return value


def check_fc1(answer):
    value = _integer(answer)
    if value == FC1:
        return None
    if value == FC1_INPUTS * 1024:
        return "가중치는 맞게 셌습니다. 뉴런마다 하나씩 있는 매개변수가 하나 더 있습니다."
    if value in (28 * 28 * 1024 + 1024, 28 * 28 * 1024, 14 * 14 * 64 * 1024 + 1024):
        return "이 계층에 들어오는 벡터는 풀링을 몇 번 거친 특징 맵을 펼친 것인지 생각해 보세요."
    return "입력 벡터의 길이(높이 × 너비 × 채널)와 뉴런 수를 곱하고, 편향도 더하세요."


def check_without_pool2(answer):
    value = _integer(answer)
    if value == FC1_WITHOUT_POOL2:
        return None
    if value == FC1:
        return "그것은 풀링이 두 번일 때의 값입니다. 풀링 하나를 빼면 특징 맵의 높이와 너비가 어떻게 되나요?"
    if value == 14 * 14 * 64 * 1024:
        return "가중치는 맞게 셌습니다. 편향을 잊지 마세요."
    return "두 번째 풀링이 없으면 펼친 벡터의 길이는 14 × 14 × 64입니다. 여기에 뉴런 수를 곱하고 편향을 더하세요."


def check_3x3(answer):
    value = _integer(answer)
    if value == TOTAL_3X3:
        return None
    if value == CONV_3X3:
        return "합성곱 계층만 세었습니다. 완전 연결 계층 두 개의 매개변수도 모델에 들어 있습니다."
    if value == 3_274_634:
        return "그것은 5×5 필터 모델의 값입니다. 필터 하나의 가중치 수가 5×5×채널에서 3×3×채널로 바뀝니다."
    return "필터 크기만 바뀌고 특징 맵의 크기(SAME 패딩)는 그대로이므로 완전 연결 계층은 변하지 않습니다."


register(Exercise(
    key="4.2.4-1", check=check_fc1, solution=FC1,
    wrong=(FC1_INPUTS * 1024, 28 * 28 * 1024 + 1024, 3_274_634),
    done="첫 완전 연결 계층 하나가 모델 매개변수의 대부분을 차지합니다.",
))
register(Exercise(
    key="4.2.4-2", check=check_without_pool2, solution=FC1_WITHOUT_POOL2,
    wrong=(FC1, 14 * 14 * 64 * 1024, 7 * 7 * 64),
    done="풀링 하나를 빼면 이 계층의 매개변수가 약 네 배가 됩니다.",
))
register(Exercise(
    key="4.2.4-3", check=check_3x3, solution=TOTAL_3X3,
    wrong=(CONV_3X3, 3_274_634, 0),
    done="필터를 줄여도 전체 매개변수는 조금만 줄어듭니다. 대부분이 완전 연결 계층에 있기 때문입니다.",
))
