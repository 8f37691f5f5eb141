"""4.2.5절 연습 문제: He 초깃값, 전역 평균 풀링 모델 만들기."""
from __future__ import annotations

import math

from cnnbook.exercises import EMPTY_MESSAGE, Exercise, read_number, register

FC1_INPUTS = 7 * 7 * 64
HE_FC1 = math.sqrt(2 / FC1_INPUTS)
GAP_PARAMS = (5 * 5 * 1 * 32 + 32) + (5 * 5 * 32 * 64 + 64) + (64 * 10 + 10)


# 본문 표처럼 유효숫자 두 자리로 반올림한 값(0.025)도 맞음: 2% 안이면 맞음으로 봅니다.
# 틀린 답들(√(1/n) 0.018, 2/n 0.00064, √(2/25) 0.28, 0.1)은 모두 25% 넘게 떨어져 있습니다.
HE_TOLERANCE = 0.02


def check_he(answer):
    value, hint = read_number(answer)
    if hint:
        return hint
    if math.isclose(value, HE_FC1, rel_tol=HE_TOLERANCE):
        return None
    if math.isclose(value, math.sqrt(1 / FC1_INPUTS), rel_tol=1e-2):
        return "ReLU 계층에 맞춘 He 초깃값은 분자가 1이 아닙니다."
    if math.isclose(value, 2 / FC1_INPUTS, rel_tol=1e-2):
        return "분산과 표준편차를 구분하세요. 표준편차는 분산의 제곱근입니다."
    if math.isclose(value, math.sqrt(2 / 25), rel_tol=1e-2) or value == 0.1:
        return "입력 수는 계층마다 다릅니다. fc1에 들어오는 벡터의 길이를 쓰세요."
    return "σ = √(2 / 입력 수)이고, fc1의 입력 수는 펼친 특징 맵의 길이입니다."


WANT_GAP = sorted([(5, 5, 1, 32), (32,), (5, 5, 32, 64), (64,), (64, 10), (10,)])


def check_gap(answer):
    """학생이 만든 케라스 모델(함수가 돌려준 것)의 구조와 매개변수 수를 봅니다."""
    if not callable(answer):
        return "my_gap_model 함수 자체를 넘기세요 (괄호 없이)."
    model = answer()
    if model is None:
        return EMPTY_MESSAGE + ": my_gap_model이 아직 모델을 돌려주지 않습니다 (return 줄을 채우세요)."
    if not hasattr(model, "count_params") or not hasattr(model, "layers"):
        return "tf.keras.Sequential이나 tf.keras.Model로 만든 케라스 모델을 돌려주세요."
    names = [type(layer).__name__ for layer in model.layers]
    if "GlobalAveragePooling2D" not in names:
        return "두 번째 풀링 뒤에 특징 맵 전체를 채널마다 평균하는 계층을 넣으세요."
    import numpy as np

    shape = tuple(model(np.zeros((2, 28, 28, 1), np.float32)).shape)
    if shape != (2, 10):
        return f"이미지 두 장에 대한 출력 모양이 {shape} 입니다. 이미지마다 클래스 10개의 로짓이 나와야 합니다."
    shapes = sorted(tuple(int(d) for d in v.shape) for v in model.trainable_variables)
    if model.count_params() == GAP_PARAMS and shapes == WANT_GAP:
        return None
    if any(s == (3136, 1024) or s == (64, 1024) for s in shapes):
        return "첫 완전 연결 계층(1,024 뉴런)을 빼고, 전역 평균 풀링 뒤에 바로 로짓 10개를 내세요."
    return (f"매개변수가 {model.count_params():,}개입니다. 합성곱 두 계층(5×5, 32개와 64개)은 그대로 두고, "
            "전역 평균 풀링 뒤에 완전 연결 계층 하나(64 → 10)만 두세요.")


def _gap_model(dense=None):
    import tensorflow as tf

    layers = tf.keras.layers
    stack = [tf.keras.Input(shape=(28, 28, 1)),
             layers.Conv2D(32, 5, padding="same", activation="relu"), layers.MaxPooling2D(2, padding="same"),
             layers.Conv2D(64, 5, padding="same", activation="relu"), layers.MaxPooling2D(2, padding="same"),
             layers.GlobalAveragePooling2D()]
    if dense:
        stack.append(layers.Dense(dense, activation="relu"))
    return tf.keras.Sequential(stack + [layers.Dense(10)])


def _still_dense():
    return _gap_model(dense=1024)


def _flatten_instead():
    import tensorflow as tf

    layers = tf.keras.layers
    return tf.keras.Sequential([tf.keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, 5, padding="same"),
                                layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(10)])


register(Exercise(
    key="4.2.5-1", check=check_he, solution=HE_FC1,
    wrong=(0.1, math.sqrt(1 / FC1_INPUTS), 2 / FC1_INPUTS, math.sqrt(2 / 25), 0.03, "σ"),
    also_right=(0.025, 0.0253, "0.025", round(HE_FC1, 4)),
    done="입력이 3,136개이면 He 표준편차는 0.1보다 훨씬 작습니다.",
))
register(Exercise(
    key="4.2.5-2", check=check_gap, solution=_gap_model, wrong=(_still_dense, _flatten_instead, GAP_PARAMS),
    done="완전 연결 계층 하나를 빼자 매개변수가 수십 분의 일로 줄었습니다. 이제 아래 셀이 학습해 비교합니다.",
))
