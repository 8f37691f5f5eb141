"""4.2.4절 연습 문제: MNIST 합성곱 신경망의 매개변수 세기, 필터를 3×3으로 바꾼 모델 만들기."""
from __future__ import annotations

import numpy as np

from cnnbook.exercises import EMPTY_MESSAGE, Exercise, read_integer, register

FC1_INPUTS = 7 * 7 * 64  # 두 번 풀링한 7×7×64 특징 맵을 펼친 길이
FC1 = FC1_INPUTS * 1024 + 1024
FC1_WITHOUT_POOL2 = 14 * 14 * 64 * 1024 + 1024
CONV_3X3 = (3 * 3 * 1 * 32 + 32) + (3 * 3 * 32 * 64 + 64)
TOTAL_3X3 = CONV_3X3 + FC1 + (1024 * 10 + 10)


def check_fc1(answer):
    value, hint = read_integer(answer)
    if hint:
        return hint
    if value == FC1:
        return None
    if value == FC1_INPUTS * 1024:
        return "가중치는 맞게 셌습니다. 뉴런마다 하나씩 있는 매개변수가 하나 더 있습니다."
    if value in (28 * 28 * 1024 + 1024, 28 * 28 * 1024, 14 * 14 * 64 * 1024 + 1024):
        return "이 계층에 들어오는 벡터는 풀링을 몇 번 거친 특징 맵을 펼친 것인지 생각해 보세요."
    return "입력 벡터의 길이(높이 × 너비 × 채널)와 뉴런 수를 곱하고, 편향도 더하세요."


def check_without_pool2(answer):
    value, hint = read_integer(answer)
    if hint:
        return hint
    if value == FC1_WITHOUT_POOL2:
        return None
    if value == FC1:
        return "그것은 풀링이 두 번일 때의 값입니다. 풀링 하나를 빼면 특징 맵의 높이와 너비가 어떻게 되나요?"
    if value == 14 * 14 * 64 * 1024:
        return "가중치는 맞게 셌습니다. 편향을 잊지 마세요."
    return "두 번째 풀링이 없으면 특징 맵의 높이와 너비가 어떻게 되는지 먼저 구하고, 펼친 길이에 뉴런 수를 곱한 뒤 편향을 더하세요."


def _shapes(model) -> list[tuple]:
    return sorted(tuple(int(d) for d in v.shape) for v in model.trainable_variables)


WANT_3X3 = sorted([(3, 3, 1, 32), (32,), (3, 3, 32, 64), (64,), (3136, 1024), (1024,), (1024, 10), (10,)])


def check_3x3(answer):
    """학생이 만든 모델(함수가 돌려준 것)의 구조와 매개변수 수를 봅니다."""
    if not callable(answer):
        return "my_model 함수 자체를 넘기세요 (괄호 없이)."
    model = answer()
    if model is None:
        return EMPTY_MESSAGE + ": my_model이 아직 모델을 돌려주지 않습니다 (return 줄을 채우세요)."
    if not hasattr(model, "trainable_variables") or not callable(model):
        return "MnistCNN처럼 학습할 변수가 있고 이미지를 넣어 부를 수 있는 모델을 돌려주세요."
    shapes = _shapes(model)
    total = sum(int(np.prod(s)) for s in shapes)
    if shapes == WANT_3X3 and total == TOTAL_3X3:
        return None
    if total == CONV_3X3 + FC1 + (1024 * 10 + 10) and shapes != WANT_3X3:
        return "매개변수 수는 맞지만 변수의 모양이 다릅니다. 필터 두 장의 모양을 확인하세요."
    if total == 3_274_634:
        return "그것은 5×5 필터 모델입니다. MnistCNN의 kernel_size 인자를 보세요."
    return (f"매개변수가 {total:,}개입니다. 필터 크기만 3×3으로 바꾸고 나머지(채널 수, 풀링, 완전 연결 계층)는 "
            "그대로 두세요.")


def _solution_model():
    from cnnbook.mnist_lessons import MnistCNN

    return MnistCNN(kernel_size=3)


def _five_by_five():
    from cnnbook.mnist_lessons import MnistCNN

    return MnistCNN()


def _seven_by_seven():
    from cnnbook.mnist_lessons import MnistCNN

    return MnistCNN(kernel_size=7)


register(Exercise(
    key="4.2.4-1", check=check_fc1, solution=FC1,
    wrong=(FC1_INPUTS * 1024, 28 * 28 * 1024 + 1024, 3_274_634, FC1 + 0.5),
    also_right=("3,212,288", float(FC1)),
    done="첫 완전 연결 계층 하나가 모델 매개변수의 대부분을 차지합니다.",
))
register(Exercise(
    key="4.2.4-2", check=check_without_pool2, solution=FC1_WITHOUT_POOL2,
    wrong=(FC1, 14 * 14 * 64 * 1024, 7 * 7 * 64),
    also_right=(str(FC1_WITHOUT_POOL2),),
    done="풀링 하나를 빼면 이 계층의 매개변수가 약 네 배가 됩니다.",
))
register(Exercise(
    key="4.2.4-3", check=check_3x3, solution=_solution_model, wrong=(_five_by_five, _seven_by_seven, 3_241_354),
    done="필터를 줄여도 전체 매개변수는 조금만 줄어듭니다. 대부분이 완전 연결 계층에 있기 때문입니다. "
         "이제 아래 셀이 두 모델을 학습해 비교합니다.",
))
