"""4.2.3 드롭아웃의 연습 문제."""
from __future__ import annotations

from cnnbook.exercises import Exercise, read_number, register


def _port_rate(answer):
    value, hint = read_number(answer)
    if hint:
        return hint + " (rate 값)"
    if abs(value - 0.75) < 1e-9:
        return "keep_prob는 남길 비율이고 rate는 지울 비율입니다. 75%를 남기려면 몇 %를 지워야 할까요?"
    if abs(value - 0.25) > 1e-9:
        return "rate = 1 − keep_prob 입니다."
    return None


register(Exercise(
    key="4.2.3-1",
    check=_port_rate,
    solution=0.25,
    wrong=(0.75, 1.0, 25, "rate"),
    also_right=("0.25", 1 / 4),
    done="맞습니다. Dropout(0.25)는 값의 25%를 지우고 75%를 남깁니다.",
))


def _variance(answer):
    value, hint = read_number(answer)
    if hint:
        return hint + " (분산)"
    if abs(value - 0.25) < 1e-6 or abs(value - 0.5) < 1e-6:
        return "남은 값은 1이 아니라 1/(1 − rate) = 2배가 됩니다. 출력은 0 또는 2이고 평균은 1입니다."
    if abs(value) < 1e-9:
        return "출력은 0 또는 2로 흩어집니다. 평균 1에서 얼마나 떨어져 있는지 제곱해 평균을 내 보세요."
    if abs(value - 1.0) > 0.02:  # 직접 뽑아 잰 분산(예: 1.0004)도 맞음
        return "분산 = 평균((값 − 평균)²) 입니다. 값 0과 2가 각각 확률 0.5로 나옵니다."
    return None


register(Exercise(
    key="4.2.3-2",
    check=_variance,
    solution=1.0,
    wrong=(0.25, 0.5, 0, 2.0, "분산"),
    also_right=(1, "1", 1.0004),
    done="맞습니다. 일반적으로 분산은 rate / (1 − rate) 이므로 rate가 클수록 출력이 크게 흩어집니다.",
))
