"""4.1 CNN 소개의 연습 문제."""
from __future__ import annotations

from cnnbook.exercises import Exercise, read_integers, register


def _parameter_counts(answer):
    pair, hint = read_integers(answer, 2)
    if hint:
        return hint + " (합성곱 계층, 완전 연결 계층) 꼴입니다."
    conv, dense = pair
    if conv == 3 * 3 * 64 + 64 or conv == 3 * 3 * 64:
        return "합성곱 필터 한 장은 입력 채널 32개 전부를 봅니다. 필터 한 장의 가중치는 3×3이 아니라 몇 개일까요?"
    if conv == 3 * 3 * 32 * 64:
        return "합성곱 계층에도 필터마다 편향이 하나씩 있습니다."
    if conv != 3 * 3 * 32 * 64 + 64:
        return "합성곱 계층의 매개변수 = (필터 높이 × 너비 × 입력 채널) × 필터 수 + 편향입니다."
    if dense == 14 * 14 * 32 * 1024:
        return "완전 연결 계층도 출력 뉴런마다 편향이 하나씩 있습니다."
    if dense != 14 * 14 * 32 * 1024 + 1024:
        return "완전 연결 계층은 펼친 입력 값 하나하나가 출력 뉴런 1024개 모두와 연결됩니다. 입력은 몇 개일까요?"
    return None


register(Exercise(
    key="4.1-1",
    check=_parameter_counts,
    solution=(18_496, 6_423_552),
    wrong=((640, 6_423_552), (18_432, 6_423_552), (18_496, 6_422_528), (18_496, 802_816), "18496",
           (18_496.5, 6_423_552)),
    also_right=([18_496, 6_423_552], ("18,496", "6,423,552"), (18_496.0, 6_423_552.0)),
    done="맞습니다. 같은 입력인데 완전 연결 계층의 매개변수가 300배 넘게 많습니다.",
))


def _pooled_moves(answer):
    if isinstance(answer, str) and answer.strip() in ("True", "False"):
        answer = answer.strip() == "True"
    if not isinstance(answer, bool):
        return "True 또는 False 로 적어 주세요."
    if answer is False:
        return "2픽셀 이동이면 모든 값이 정확히 한 풀링 칸씩 옆으로 넘어갑니다. 그러면 각 칸의 최댓값은 어떻게 될까요?"
    return None


register(Exercise(
    key="4.1-3",
    check=_pooled_moves,
    solution=True,
    wrong=(False, "False", 1),
    also_right=("True",),
    done="맞습니다. 풀링 크기의 배수만큼 옮기면 풀링 결과도 통째로 옮겨 갈 뿐입니다(등변성).",
))
