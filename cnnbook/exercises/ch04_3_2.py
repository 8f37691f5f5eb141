"""4.3.2 연습 문제: 증강이 만드는 경우의 수, 전역 평균 풀링으로 바꾼 신경망.

경우의 수의 정답은 공식으로 따로 계산합니다. 테스트(tests/unit/test_cifar_recipe.py)가 그 값이
``random_crop_flip`` 에서 센 값과 같은지 확인합니다.
"""
from __future__ import annotations

from cnnbook.exercises import EMPTY_MESSAGE, Exercise, read_integer, register

# 반사 패딩 4픽셀이면 창의 왼쪽 위 모서리는 가로, 세로로 2×4+1곳씩, 뒤집기는 2가지
PAD = 4
CROPS = (2 * PAD + 1) ** 2 * 2


def check_crops(answer):
    value, hint = read_integer(answer)
    if hint:
        return hint
    if value == CROPS:
        return None
    if value == CROPS // 2:
        return "자를 위치는 맞게 셌습니다. 뒤집기도 결과를 바꿉니다."
    if value in (8 * 8 * 2, 8 * 8):
        return "40 - 32 = 8이지만, 창의 왼쪽 끝은 0부터 8까지 놓일 수 있습니다."
    return "40×40 안에 32×32 창을 놓을 수 있는 위치를 가로, 세로로 세고 뒤집기 여부를 곱하세요."


def _layout(model) -> list[tuple]:
    """계층마다 (종류, 매개변수 수, 출력 모양). 전역 풀링의 종류만 "GlobalPool" 로 묶습니다."""
    rows = []
    for layer in model.layers:
        kind = type(layer).__name__
        if kind.startswith("Global") and kind.endswith("Pooling2D"):
            kind = "GlobalPool"
        rows.append((kind, layer.count_params(), tuple(layer.output.shape)))
    return rows


def check_avg_pool(answer):
    import numpy as np

    from cnnbook.cifar import fast_cnn

    if not callable(answer):
        return "answer 에는 모델을 만드는 함수(my_cnn)를 넣으세요."
    mean, std = np.array([125.0, 123.0, 114.0]), np.array([63.0, 62.0, 67.0])
    model = answer(mean, std)
    if model is None:
        return EMPTY_MESSAGE + ": 함수가 아직 모델을 돌려주지 않습니다 (return 줄을 채우세요)."
    names = [type(layer).__name__ for layer in model.layers]
    if "GlobalMaxPooling2D" in names:
        return "아직 전역 최대 풀링이 남아 있습니다."
    if "GlobalAveragePooling2D" not in names:
        return "특징 맵 전체를 평균해 채널마다 값 하나를 남기는 계층을 넣으세요."
    if tuple(model.output.shape) != (None, 10):
        return f"출력 모양이 {tuple(model.output.shape)} 입니다. 클래스 10개의 로짓이 나와야 합니다."
    reference = fast_cnn(mean, std)
    if model.count_params() != reference.count_params():
        return (f"매개변수가 {model.count_params():,}개로 fast_cnn({reference.count_params():,}개)과 다릅니다. "
                "전역 풀링에는 매개변수가 없으니, 풀링만 바꾸면 개수가 같아야 합니다.")
    if _layout(model) != _layout(reference):
        return "계층의 순서나 모양이 fast_cnn 과 다릅니다. 다른 계층은 그대로 두고 전역 풀링만 바꾸세요."
    return None


def _solution_cnn(mean, std):
    import tensorflow as tf

    from cnnbook.cifar import fast_cnn

    return fast_cnn(mean, std, global_pool=tf.keras.layers.GlobalAveragePooling2D)


def _still_max(mean, std):
    from cnnbook.cifar import fast_cnn

    return fast_cnn(mean, std)


def _other_seven_conv(mean, std):
    """합성곱 일곱 개와 전역 평균 풀링이지만 너비가 다른 신경망 (풀링만 바꾼 것이 아님)."""
    import tensorflow as tf

    from cnnbook.cifar import fast_cnn

    return fast_cnn(mean, std, widths=(32, 64, 128), global_pool=tf.keras.layers.GlobalAveragePooling2D)


register(Exercise(
    key="4.3.2-1", check=check_crops, solution=CROPS, wrong=(81, 128, 64, 162.5),
    also_right=("162", 162.0),
    done="같은 사진이라도 에포크마다 다른 모습으로 보입니다.",
))
register(Exercise(
    key="4.3.2-2", check=check_avg_pool, solution=_solution_cnn, wrong=(_still_max, _other_seven_conv, 3),
    done="이제 아래 셀이 두 모델을 같은 처방으로 학습해 검증 정확도를 짝지어 비교합니다.",
))
