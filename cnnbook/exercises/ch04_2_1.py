"""4.2.1 합성곱과 활성화 함수의 연습 문제."""
from __future__ import annotations

from cnnbook.exercises import Exercise, read_integers, register


def _shapes(answer):
    values, hint = read_integers(answer, 4)
    if hint:
        return hint + " (SAME 출력 높이, VALID 출력 높이, 위 줄 수, 아래 줄 수) 꼴입니다."
    same, valid, top, bottom = values
    if same == 32:
        return "스트라이드가 2이면 SAME이라도 출력이 입력과 같은 크기가 아닙니다. 입력 길이를 스트라이드로 나눠 올림해 보세요."
    if same != 16:
        return "SAME의 출력 길이는 필터 크기와 상관없이 ⌈n / s⌉ 입니다."
    if valid == 30:
        return "VALID에서 스트라이드 2이면 필터가 두 칸씩 건너뜁니다: ⌊(n − k) / s⌋ + 1."
    if valid != 15:
        return "VALID의 출력 길이는 ⌊(n − k) / s⌋ + 1 입니다."
    if top + bottom != 1:
        return "붙이는 0의 총개수 p = (출력 길이 − 1) × s + k − n 을 먼저 구해 보세요."
    if (top, bottom) != (0, 1):
        return "p가 홀수이면 남는 한 줄은 어느 쪽에 붙는지 본문의 식을 다시 보세요."
    return None


register(Exercise(
    key="4.2.1-1",
    check=_shapes,
    solution=(16, 15, 0, 1),
    wrong=((16, 15, 1, 0), (32, 30, 1, 1), (16, 14, 0, 1), (16, 15, 1, 1), "16", (16.5, 15, 0, 1)),
    also_right=([16, 15, 0, 1], (16.0, 15.0, 0.0, 1.0)),
    done="맞습니다. SAME은 ⌈32/2⌉ = 16, VALID는 ⌊29/2⌋ + 1 = 15, 남는 0 한 줄은 아래(오른쪽)에 붙습니다.",
))


def _combine(answer):
    import numpy as np

    from cnnbook.reference import conv2d_reference

    if not callable(answer):
        return "combine 함수를 그대로 넘겨 주세요: check(\"4.2.1-2\", combine)"
    rng = np.random.default_rng(7)
    image = rng.normal(size=(1, 9, 9, 1))
    for _ in range(3):
        a, b = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
        c = answer(a.copy(), b.copy())
        if c is None:
            return "아직 답을 적지 않았습니다: combine이 5×5 배열 대신 None을 돌려줍니다."
        c = np.asarray(c, dtype=float)
        if c.shape != (5, 5):
            return f"돌려준 배열의 모양이 {c.shape} 입니다. 3×3 두 번은 5×5 한 번과 같아야 합니다."
        twice = conv2d_reference(conv2d_reference(image, a[:, :, None, None], 1, "VALID"), b[:, :, None, None], 1, "VALID")
        once = conv2d_reference(image, c[:, :, None, None], 1, "VALID")
        if not np.allclose(twice, once, atol=1e-4):
            return "a[u, v] 하나가 b 전체에 곱해져 5×5의 (u, v)에서 시작하는 3×3 자리에 더해집니다. 9개의 (u, v)를 모두 더했나요?"
    return None


def _combine_solution(a, b):
    import numpy as np

    c = np.zeros((5, 5))
    for u in range(3):
        for v in range(3):
            c[u:u + 3, v:v + 3] += a[u, v] * b
    return c


def _wrong_sum(a, b):
    import numpy as np

    return np.pad(a, 1) + np.pad(b, 1)


def _wrong_product(a, b):
    import numpy as np

    return np.pad(a * b, 1)


def _wrong_shape(a, b):
    return a @ b


register(Exercise(
    key="4.2.1-2",
    check=_combine,
    solution=_combine_solution,
    wrong=(_wrong_sum, _wrong_product, _wrong_shape, 5),
    done="맞습니다. 활성화 함수가 없으면 합성곱 두 번도 더 큰 합성곱 한 번일 뿐입니다.",
))
