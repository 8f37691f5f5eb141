"""4.3절 연습 문제: 합성곱의 FLOP, 증강이 만드는 경우의 수, 전역 평균 풀링으로 바꾼 신경망.

정답은 모델을 재지 않고 공식으로 따로 계산합니다. 테스트(tests/unit/test_cifar.py)가 그 값이
``flops_per_image`` 와 ``random_crop_flip`` 에서 센 값과 같은지 확인합니다.
"""
from __future__ import annotations

import math
import numbers

from cnnbook.exercises import Exercise, register

# 4.3-1: fast_cnn 첫 묶음의 합성곱. 풀링이 뒤에 오므로 출력은 32×32, 칸마다 3×3×32번 곱하고 더함
HEIGHT = WIDTH = 32
IN_CHANNELS, OUT_CHANNELS, KERNEL = 32, 64, 3
CONV_FLOPS = 2 * HEIGHT * WIDTH * OUT_CHANNELS * KERNEL * KERNEL * IN_CHANNELS
# 4.3-2: 반사 패딩 4픽셀이면 창의 왼쪽 위 모서리는 가로, 세로로 2×4+1곳씩, 뒤집기는 2가지
PAD = 4
CROPS = (2 * PAD + 1) ** 2 * 2
NOT_A_NUMBER = '답은 수 하나로 적으세요 (예: 1234, 1234.0 또는 "1,234").'
NOT_AN_INTEGER = "개수나 연산 횟수는 정수입니다. 소수점 없이 적으세요."


def _integer(answer) -> tuple[int | None, str | None]:
    """답을 정수로 읽습니다: 1234, 1234.0, "1234", "1,234", "1 234", "1.234e3". 못 읽으면 (None, 힌트)."""
    if isinstance(answer, str):
        text = answer.strip().replace(",", "").replace("_", "").replace(" ", "")
        try:
            answer = int(text)
        except ValueError:
            try:
                answer = float(text)
            except ValueError:
                return None, NOT_A_NUMBER
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return None, NOT_A_NUMBER
    if isinstance(answer, numbers.Integral):
        return int(answer), None
    if not math.isfinite(answer):
        return None, NOT_A_NUMBER
    if not float(answer).is_integer():
        return None, NOT_AN_INTEGER
    return int(answer), None


def check_conv_flops(answer):
    value, hint = _integer(answer)
    if hint:
        return hint
    if value == CONV_FLOPS:
        return None
    if value == CONV_FLOPS // 2:
        return "곱셈만 세었습니다. 곱할 때마다 덧셈도 한 번씩 합니다."
    if value in (CONV_FLOPS // 4, CONV_FLOPS // 8):
        return "풀링은 합성곱 뒤에 옵니다. 합성곱이 내는 특징 맵의 크기는 얼마인가요?"
    return "출력 칸 수(높이 × 너비 × 출력 채널)에 칸마다의 곱셈 수(3 × 3 × 입력 채널)를 곱하고, 덧셈도 세세요."


def check_crops(answer):
    value, hint = _integer(answer)
    if hint:
        return hint
    if value == CROPS:
        return None
    if value == CROPS // 2:
        return "자를 위치는 맞게 셌습니다. 뒤집기도 결과를 바꿉니다."
    if value in (8 * 8 * 2, 8 * 8):
        return "40 - 32 = 8이지만, 창의 왼쪽 끝은 0부터 8까지 놓일 수 있습니다."
    return "40×40 안에 32×32 창을 놓을 수 있는 위치를 가로, 세로로 세고 뒤집기 여부를 곱하세요."


def _layer_names(model) -> list[str]:
    return [type(layer).__name__ for layer in model.layers]


def check_avg_pool(answer):
    import numpy as np

    if not callable(answer):
        return "answer 에는 모델을 만드는 함수(my_cnn)를 넣으세요."
    model = answer(np.array([125.0, 123.0, 114.0]), np.array([63.0, 62.0, 67.0]))
    if model is None:
        return "함수가 아직 모델을 돌려주지 않습니다. fast_cnn 의 인자를 살펴보세요."
    names = _layer_names(model)
    if "GlobalMaxPooling2D" in names:
        return "아직 전역 최대 풀링이 남아 있습니다."
    if "GlobalAveragePooling2D" not in names:
        return "특징 맵 전체를 평균해 채널마다 값 하나를 남기는 계층을 넣으세요."
    if tuple(model.output.shape) != (None, 10):
        return f"출력 모양이 {tuple(model.output.shape)} 입니다. 클래스 10개의 로짓이 나와야 합니다."
    if names.count("Conv2D") != 7:
        return "합성곱 계층의 수가 fast_cnn 과 다릅니다. 풀링만 바꾸세요."
    return None


def _solution_cnn(mean, std):
    import tensorflow as tf

    from cnnbook.cifar import fast_cnn

    return fast_cnn(mean, std, global_pool=tf.keras.layers.GlobalAveragePooling2D)


def _still_max(mean, std):
    from cnnbook.cifar import fast_cnn

    return fast_cnn(mean, std)


def _empty(mean, std):
    return None


register(Exercise(
    key="4.3-1", check=check_conv_flops, solution=CONV_FLOPS,
    wrong=(CONV_FLOPS // 2, CONV_FLOPS // 4, 1000, "3천만"),
    done="32×32 해상도의 합성곱이 비싸므로 빠른 신경망은 여기서 채널을 적게 둡니다.",
))
register(Exercise(
    key="4.3-2", check=check_crops, solution=CROPS, wrong=(81, 128, 64, 162.5),
    done="같은 사진이라도 에포크마다 다른 모습으로 보입니다.",
))
register(Exercise(
    key="4.3-3", check=check_avg_pool, solution=_solution_cnn, wrong=(_empty, _still_max, 3),
    done="이제 두 모델을 같은 처방으로 학습해 검증 정확도를 비교해 보세요.",
))
