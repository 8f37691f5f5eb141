"""4.2.6 학습된 합성곱 신경망 들여다보기의 연습 문제."""
from __future__ import annotations

from cnnbook.exercises import Exercise, read_integer, register


def _third_conv_field(answer):
    size, hint = read_integer(answer)
    if hint:
        return hint + " (한 변의 픽셀 수)"
    if size == 20:
        return "5×5 필터의 이웃한 칸은 입력에서 1픽셀이 아니라 pool2의 점프만큼 떨어져 있습니다."
    if size == 21:
        return "수용 영역은 r + (k − 1)·j 로 늘어납니다. pool2의 r과 j를 먼저 구해 보세요."
    if size != 32:
        return "pool2의 수용 영역과 점프(이웃한 뉴런이 입력에서 떨어진 거리)를 본문의 표에서 찾아 식에 넣어 보세요."
    return None


register(Exercise(
    key="4.2.6-1",
    check=_third_conv_field,
    solution=32,
    wrong=(20, 21, 16, 28, "abc", 32.9),
    also_right=("32", 32.0),
    done="맞습니다. pool2는 16픽셀, 점프 4이므로 16 + (5 − 1) × 4 = 32픽셀입니다.",
))
