"""4.2.2 풀링의 연습 문제."""
from __future__ import annotations

from cnnbook.exercises import Exercise, read_integers, register

MAX = [[4, 5], [3, 6]]
AVERAGE = [[2, 2], [1, 6]]


def _hand_pooling(answer):
    import numpy as np

    try:
        max_part, average_part = answer
        max_part = np.asarray(max_part, dtype=float)
        average_part = np.asarray(average_part, dtype=float)
    except (TypeError, ValueError):
        return "(최대 풀링 결과, 평균 풀링 결과) 꼴로, 각각 2×2 목록을 적어 주세요."
    if max_part.shape != (2, 2) or average_part.shape != (2, 2):
        return "4×4 특징 맵에 2×2 창을 스트라이드 2로 대면 결과는 몇×몇일까요?"
    if np.allclose(max_part, AVERAGE) and np.allclose(average_part, MAX):
        return "두 결과의 순서가 바뀌었습니다. 앞이 최대 풀링입니다."
    if not np.allclose(max_part, MAX):
        return "최대 풀링은 겹치지 않는 2×2 창마다 가장 큰 값 하나를 남깁니다. 창 네 개를 먼저 나눠 보세요."
    if not np.allclose(average_part, AVERAGE):
        return "평균 풀링은 창 안의 네 값을 더해 4로 나눕니다."
    return None


register(Exercise(
    key="4.2.2-1",
    check=_hand_pooling,
    solution=(MAX, AVERAGE),
    wrong=((AVERAGE, MAX), ([[4, 5], [3, 6]], [[8, 8], [4, 24]]), ([[6, 6], [6, 6]], AVERAGE), [[4, 5], [3, 6]]),
    done="맞습니다. 값이 고른 오른쪽 아래 창에서는 두 풀링의 결과가 같습니다.",
))


def _overlapping(answer):
    values, hint = read_integers(answer, 2)
    if hint:
        return hint + " (SAME 높이, VALID 높이) 꼴입니다."
    same, valid = values
    if same == valid:
        return "창(3)이 스트라이드(2)보다 커서 창이 겹치면 SAME은 늘 가장자리를 채웁니다. 두 식을 따로 계산해 보세요."
    if same != 14:
        return "SAME의 출력 높이는 창 크기와 상관없이 ⌈n / 스트라이드⌉ 입니다."
    if valid != 13:
        return "VALID는 창이 다 들어가는 자리만 셉니다: ⌊(n − 창) / 스트라이드⌋ + 1."
    return None


register(Exercise(
    key="4.2.2-2",
    check=_overlapping,
    solution=(14, 13),
    wrong=((14, 14), (13, 13), (14, 12), (9, 9), "14", (14, 13.5)),
    also_right=([14, 13], (14.0, 13.0), ("14", "13")),
    done="맞습니다. 창이 겹치면 28×28에서도 SAME(14)과 VALID(13)가 다릅니다.",
))
