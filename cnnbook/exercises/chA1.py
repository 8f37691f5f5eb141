"""부록 A 연습 문제: 합성곱 계층 하나의 FLOP.

정답은 모델을 재지 않고 공식으로 따로 계산합니다. 테스트(tests/unit/test_cifar.py)가 그 값이
``flops_per_image`` 에서 센 값과 같은지 확인합니다.
"""
from __future__ import annotations

from cnnbook.exercises import Exercise, read_integer, register

# fast_cnn 첫 묶음의 합성곱. 풀링이 뒤에 오므로 출력은 32×32, 칸마다 3×3×32번 곱하고 더함
HEIGHT = WIDTH = 32
IN_CHANNELS, OUT_CHANNELS, KERNEL = 32, 64, 3
CONV_FLOPS = 2 * HEIGHT * WIDTH * OUT_CHANNELS * KERNEL * KERNEL * IN_CHANNELS


def check_conv_flops(answer):
    value, hint = read_integer(answer)
    if hint:
        return hint
    if value == CONV_FLOPS:
        return None
    if value == CONV_FLOPS // 2:
        return "곱셈만 세었습니다. 곱할 때마다 덧셈도 한 번씩 합니다."
    if value in (CONV_FLOPS // 4, CONV_FLOPS // 8):
        return "풀링은 합성곱 뒤에 옵니다. 합성곱이 내는 특징 맵의 크기는 얼마인가요?"
    return "출력 칸 수(높이 × 너비 × 출력 채널)에 칸마다의 곱셈 수(3 × 3 × 입력 채널)를 곱하고, 덧셈도 세세요."


register(Exercise(
    key="A.1-1", check=check_conv_flops, solution=CONV_FLOPS,
    wrong=(CONV_FLOPS // 2, CONV_FLOPS // 4, 1000, "3천만", CONV_FLOPS + 0.9),
    also_right=(f"{CONV_FLOPS:,}", str(CONV_FLOPS), float(CONV_FLOPS)),
    done="32×32 해상도의 합성곱이 비싸므로 빠른 신경망은 여기서 채널을 적게 둡니다.",
))
