"""짝지은 비교와 시드 흩어짐(cnnbook.stats): 손으로 계산한 경우와 맞는지, 결론과 한국어 문장, 잘못된 입력."""
from __future__ import annotations

from math import comb

import numpy as np
import pytest

from cnnbook.errors import BookError
from cnnbook.stats import correct_mask, mcnemar_p, paired_difference, seed_spread


def masks(b_only, a_only, both, neither):
    """b만 맞힌, a만 맞힌, 둘 다 맞힌, 둘 다 틀린 이미지 수로 정답 여부 두 줄을 만듭니다."""
    a = [False] * b_only + [True] * a_only + [True] * both + [False] * neither
    b = [True] * b_only + [False] * a_only + [True] * both + [False] * neither
    return np.array(a), np.array(b)


def test_mcnemar_matches_hand_computed_binomial():
    # 엇갈린 이미지 10장 중 b만 맞힌 것 8장: p = 2 * P(X <= 2), X ~ B(10, 1/2) = 2 * 56/1024
    assert mcnemar_p(8, 2) == pytest.approx(2 * (1 + 10 + 45) / 1024)
    assert mcnemar_p(2, 8) == mcnemar_p(8, 2)
    assert mcnemar_p(0, 0) == 1.0
    assert mcnemar_p(5, 5) == 1.0  # 2 * P(X <= 5) 는 1을 넘으므로 1로 자릅니다
    assert mcnemar_p(0, 20) == pytest.approx(2 / 2**20)
    # 큰 수에서도 넘치지 않습니다
    assert 0 < mcnemar_p(1200, 1000) < 0.01


def test_paired_difference_counts_and_p_value():
    a, b = masks(b_only=8, a_only=2, both=80, neither=10)
    result = paired_difference(a, b)
    assert (result.n, result.b_only, result.a_only) == (100, 8, 2)
    assert result.diff == pytest.approx(0.06)
    assert result.p_value == pytest.approx(2 * sum(comb(10, i) for i in range(3)) / 2**10)


def sample_pair(rng, n):
    """참 정확도 0.800(a)과 0.824(b)인 두 모델: b는 a가 맞힌 것의 98%, a가 틀린 것의 20%를 맞힙니다."""
    a = rng.random(n) < 0.80
    flip = rng.random(n)
    return a, np.where(a, flip < 0.98, flip < 0.20)


TRUE_DIFF = 0.80 * 0.98 + 0.20 * 0.20 - 0.80  # = 0.024


def test_interval_contains_true_difference():
    result = paired_difference(*sample_pair(np.random.default_rng(1), 4000), seed=3)
    assert result.low < TRUE_DIFF < result.high
    assert result.low > 0 and result.verdict == "better"  # b가 분명히 나으면 구간이 0을 품지 않습니다
    assert 0.005 < result.high - result.low < 0.03


def test_interval_covers_about_95_percent():
    rng = np.random.default_rng(7)
    hits = [
        (r.low <= TRUE_DIFF <= r.high)
        for r in (paired_difference(*sample_pair(rng, 1000), n_boot=500, seed=i) for i in range(200))
    ]
    assert 0.90 <= np.mean(hits) <= 0.99


def test_verdicts_and_korean_sentences():
    better = paired_difference(*masks(b_only=60, a_only=10, both=900, neither=30))
    worse = paired_difference(*masks(b_only=10, a_only=60, both=900, neither=30))
    same = paired_difference(*masks(b_only=12, a_only=10, both=948, neither=30))
    assert better.low > 0 and better.verdict == "better"
    assert worse.high < 0 and worse.verdict == "worse"
    assert same.low < 0 < same.high and same.verdict == "same"
    assert better.verdict_korean() == "나아졌습니다"
    assert worse.verdict_korean() == "나빠졌습니다"
    assert same.verdict_korean() == "오차 범위 안입니다"
    assert same.verdict_korean(same="차이가 없다고 할 수 없습니다") == "차이가 없다고 할 수 없습니다"
    assert better.korean().startswith("+5.0%p (95% 구간 +")
    assert worse.korean().startswith("-5.0%p (95% 구간 -")
    identical = paired_difference(*masks(b_only=0, a_only=0, both=5, neither=5))
    assert identical.korean() == "+0.0%p (95% 구간 +0.0 – +0.0%p)"
    assert identical.verdict == "same" and identical.p_value == 1.0


def test_same_seed_same_interval():
    a, b = masks(b_only=30, a_only=20, both=400, neither=50)
    assert paired_difference(a, b, seed=5) == paired_difference(a, b, seed=5)


@pytest.mark.parametrize(
    "a, b, message",
    [
        ([True, False], [True], "이미지 수가 다릅니다"),
        ([], [], "비어"),
        ([0, 2], [1, 1], "정답 여부"),
        ([[True]], [[True]], "1차원"),
    ],
)
def test_bad_input_gets_korean_error(a, b, message):
    with pytest.raises(BookError, match=message):
        paired_difference(a, b)


def test_correct_mask():
    scores = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    assert correct_mask(scores, [1, 1, 1]).tolist() == [True, False, True]
    assert correct_mask(scores, np.eye(2)[[1, 0, 0]]).tolist() == [True, True, False]
    with pytest.raises(BookError, match="이미지 수가 다릅니다"):
        correct_mask(scores, [1, 0])


def test_seed_spread():
    spread = seed_spread([0.988, 0.990, 0.989])
    assert spread.mean == pytest.approx(0.989)
    assert spread.std == pytest.approx(0.001)
    assert (spread.low, spread.high) == (0.988, 0.990)
    assert spread.korean() == "98.9% ± 0.1 (시드 3개, 98.8–99.0%)"
    assert spread.korean(percent=False) == "0.989 ± 0.001 (시드 3개, 0.988–0.990)"
    assert seed_spread([0.5]).std == 0.0
    for bad in ([], [0.5, float("nan")], ["a"]):
        with pytest.raises(BookError):
            seed_spread(bad)
