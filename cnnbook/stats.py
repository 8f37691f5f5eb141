"""두 모델을 같은 이미지로 비교하기: 차이와 그 95% 구간, 시드 사이의 흩어짐.

두 모델의 정확도 차이는 같은 이미지에서 잰 정답 여부(이미지마다 참/거짓)를 짝지어 봅니다.
:func:`paired_difference` 는 차이, 이미지를 다시 뽑는 부트스트랩 95% 구간, 정확한 McNemar p값을 돌려줍니다.
:func:`seed_spread` 는 시드 몇 개로 잰 값의 평균과 흩어짐입니다. 넘파이만 씁니다.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cnnbook.errors import BookError, require

VERDICTS = ("better", "worse", "same")


def _signed(fraction: float) -> str:
    """0.012 -> "+1.2" (퍼센트 포인트, 소수 한 자리, -0.0 없음)."""
    value = round(fraction * 100, 1) + 0.0
    return f"{value:+.1f}"


@dataclass(frozen=True)
class PairedDiff:
    """같은 이미지에서 잰 정확도(b) - 정확도(a)."""

    diff: float
    low: float
    high: float
    n: int
    b_only: int
    a_only: int
    p_value: float

    @property
    def verdict(self) -> str:
        """구간이 0보다 위면 "better", 아래면 "worse", 0을 품으면 "same"."""
        if self.low > 0:
            return "better"
        if self.high < 0:
            return "worse"
        return "same"

    def korean(self) -> str:
        """예: "+1.2%p (95% 구간 +0.4 – +2.0%p)"."""
        return f"{_signed(self.diff)}%p (95% 구간 {_signed(self.low)} – {_signed(self.high)}%p)"

    def verdict_korean(self, better="나아졌습니다", worse="나빠졌습니다", same="오차 범위 안입니다") -> str:
        """측정 결과에 맞는 결론 문장."""
        return {"better": better, "worse": worse, "same": same}[self.verdict]


def _as_mask(values, name: str) -> np.ndarray:
    array = np.asarray(values)
    require(array.ndim == 1, f"{name}은(는) 이미지마다 하나씩인 1차원 배열이어야 합니다 (모양 {array.shape}).")
    require(array.size > 0, f"{name}이(가) 비어 있습니다. 이미지가 한 장 이상 있어야 비교할 수 있습니다.")
    if array.dtype != bool:
        require(
            np.issubdtype(array.dtype, np.number) and np.isin(array, (0, 1)).all(),
            f"{name}에는 정답 여부(참/거짓 또는 1/0)만 들어 있어야 합니다.",
        )
    return array.astype(bool)


def mcnemar_p(b_only: int, a_only: int) -> float:
    """정확한 McNemar 검정: 엇갈린 이미지 수에 대한 양쪽 이항 검정 (p = 1/2)."""
    total = b_only + a_only
    if total == 0:
        return 1.0
    tail = sum(math.comb(total, i) for i in range(min(b_only, a_only) + 1))
    return min(1.0, 2 * tail / 2**total)


def paired_difference(correct_a, correct_b, n_boot: int = 2000, seed: int = 0) -> PairedDiff:
    """두 모델이 같은 이미지(같은 순서)를 맞혔는지로 정확도 차이(b - a)와 95% 구간을 잽니다.

    부트스트랩은 이미지를 복원 추출합니다. 이미지마다의 차이는 +1(b만 맞힘), -1(a만 맞힘), 0뿐이므로
    n장을 다시 뽑는 것은 세 칸의 다항 분포에서 개수를 뽑는 것과 같습니다.
    """
    a = _as_mask(correct_a, "correct_a")
    b = _as_mask(correct_b, "correct_b")
    require(len(a) == len(b), f"두 모델의 이미지 수가 다릅니다 ({len(a)}장, {len(b)}장). 같은 이미지로 재야 합니다.")
    require(int(n_boot) >= 100, f"n_boot는 100 이상이어야 합니다 ({n_boot}).")
    n = len(a)
    b_only = int(np.sum(b & ~a))
    a_only = int(np.sum(a & ~b))
    shares = np.array([b_only, a_only, n - b_only - a_only]) / n
    counts = np.random.default_rng(seed).multinomial(n, shares, size=int(n_boot))
    diffs = (counts[:, 0] - counts[:, 1]) / n
    low, high = np.percentile(diffs, [2.5, 97.5])
    return PairedDiff(
        diff=(b_only - a_only) / n,
        low=float(low),
        high=float(high),
        n=n,
        b_only=b_only,
        a_only=a_only,
        p_value=mcnemar_p(b_only, a_only),
    )


def correct_mask(probs_or_logits, labels) -> np.ndarray:
    """이미지마다 가장 큰 점수의 클래스가 정답인지 (bool 배열). 정답은 정수 또는 원-핫."""
    scores = np.asarray(probs_or_logits)
    labels = np.asarray(labels)
    require(scores.ndim == 2, f"점수는 (이미지 수, 클래스 수) 모양이어야 합니다 (모양 {scores.shape}).")
    if labels.ndim == 2:
        labels = labels.argmax(axis=1)
    labels = labels.reshape(-1)
    require(
        len(labels) == len(scores),
        f"점수({len(scores)}개)와 정답({len(labels)}개)의 이미지 수가 다릅니다.",
    )
    return scores.argmax(axis=1) == labels


@dataclass(frozen=True)
class Spread:
    """시드 여러 개로 잰 값: 평균, 표준편차(ddof=1), 가장 작은 값과 큰 값."""

    values: tuple
    mean: float
    std: float
    low: float
    high: float

    def korean(self, percent: bool = True) -> str:
        """예: "98.9% ± 0.1 (시드 3개, 98.8–99.0%)". ``percent=False`` 면 값 그대로 (소수 세 자리)."""
        scale, unit, digits = (100, "%", 1) if percent else (1, "", 3)
        mean, std, low, high = (f"{v * scale:.{digits}f}" for v in (self.mean, self.std, self.low, self.high))
        return f"{mean}{unit} ± {std} (시드 {len(self.values)}개, {low}–{high}{unit})"


def seed_spread(values) -> Spread:
    """시드마다 잰 값(정확도 등)의 평균과 흩어짐."""
    try:
        numbers = tuple(float(v) for v in np.asarray(values, dtype=float).reshape(-1))
    except (TypeError, ValueError) as exc:
        raise BookError(f"시드별 값은 숫자여야 합니다 ({values!r}).") from exc
    require(len(numbers) > 0, "시드별 값이 없습니다. 한 번 이상 잰 값이 있어야 합니다.")
    require(all(math.isfinite(v) for v in numbers), f"시드별 값에 NaN이나 무한대가 있습니다 ({numbers}).")
    array = np.array(numbers)
    std = float(array.std(ddof=1)) if len(array) > 1 else 0.0
    return Spread(values=numbers, mean=float(array.mean()), std=std, low=float(array.min()), high=float(array.max()))
