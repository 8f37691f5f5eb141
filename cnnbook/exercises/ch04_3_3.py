"""4.3.3 연습 문제: 혼동 행렬의 한 행."""
from __future__ import annotations

from cnnbook.exercises import EMPTY_MESSAGE, Exercise, read_integer, register

CAT = 3  # CIFAR-10의 고양이 클래스 번호


def check_row_sum(answer):
    import numpy as np

    try:
        value, matrix, labels = answer
    except (TypeError, ValueError):
        return "(answer, matrix, y_test) 꼴로 넘기세요."
    if value is None:
        return EMPTY_MESSAGE
    value, hint = read_integer(value)
    if hint:
        return hint
    matrix = np.asarray(matrix)
    if value == int(matrix[CAT].sum()) == int(np.sum(np.asarray(labels) == CAT)):
        return None
    if value == int(matrix[:, CAT].sum()):
        return "그것은 열의 합, 곧 모델이 고양이라고 예측한 장수입니다. 행은 무엇이었나요?"
    if value == int(matrix[CAT, CAT]):
        return "그것은 고양이를 고양이로 맞힌 장수(대각선)뿐입니다. 틀린 것도 같은 행에 있습니다."
    return "혼동 행렬의 행은 정답 클래스입니다. 고양이(클래스 3)의 행을 모두 더해 보세요."


def _example():
    import numpy as np

    matrix = np.arange(100).reshape(10, 10) % 7 + np.eye(10, dtype=int) * 20
    labels = np.repeat(np.arange(10), matrix.sum(axis=1))
    return matrix, labels


_MATRIX, _LABELS = _example()

register(Exercise(
    key="4.3.3-1", check=check_row_sum, solution=(int(_MATRIX[CAT].sum()), _MATRIX, _LABELS),
    wrong=((int(_MATRIX[:, CAT].sum()), _MATRIX, _LABELS), (int(_MATRIX[CAT, CAT]), _MATRIX, _LABELS),
           (int(_MATRIX.sum()), _MATRIX, _LABELS)),
    also_right=((str(int(_MATRIX[CAT].sum())), _MATRIX, _LABELS), (float(_MATRIX[CAT].sum()), _MATRIX, _LABELS)),
    done="행은 정답, 열은 예측입니다. 한 행의 합은 그 클래스가 정답인 이미지의 장수입니다.",
))
