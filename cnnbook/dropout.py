"""4.2.3 드롭아웃 위젯이 쓰는 얇은 함수: 입력을 확인한 뒤 :mod:`cnnbook.reference` 의 강의 코드를 부릅니다.

역 드롭아웃(``inverted_dropout``)은 4.2.3 노트북의 ``#@save`` 셀에 있습니다. 텐서플로 2의
``tf.nn.dropout(x, rate=...)`` 과 같은 규칙: 각 값은 확률 ``rate`` 로 0이 되고, 남은 값은 ``1 / (1 - rate)`` 배가 됩니다.
"""
from __future__ import annotations

import numpy as np

from cnnbook.errors import require
from cnnbook.reference import inverted_dropout


def check_rate(rate) -> float:
    """``rate`` 가 [0, 1) 안의 실수인지 확인합니다 (1이면 모든 값이 사라지므로 안 됨)."""
    require(
        isinstance(rate, (int, float, np.integer, np.floating)) and not isinstance(rate, bool),
        f"드롭아웃 비율(rate)은 숫자여야 합니다. 받은 값: {rate!r}",
    )
    require(
        0.0 <= float(rate) < 1.0,
        f"드롭아웃 비율(rate)은 0 이상 1 미만이어야 합니다. 받은 값: {rate}. "
        "텐서플로 1의 keep_prob 값을 그대로 넣지 않았는지 확인하세요 (rate = 1 - keep_prob).",
    )
    return float(rate)


def keep_prob_to_rate(keep_prob) -> float:
    """텐서플로 1의 ``keep_prob`` (남길 비율)를 텐서플로 2의 ``rate`` (버릴 비율)로 바꿉니다."""
    require(
        isinstance(keep_prob, (int, float, np.integer, np.floating)) and not isinstance(keep_prob, bool),
        f"keep_prob는 숫자여야 합니다. 받은 값: {keep_prob!r}",
    )
    require(0.0 < float(keep_prob) <= 1.0, f"keep_prob는 0 초과 1 이하여야 합니다. 받은 값: {keep_prob}")
    return check_rate(round(1.0 - float(keep_prob), 12))


def dropout_mask(shape, rate: float, seed: int = 0) -> np.ndarray:
    """남길 자리는 ``True``, 지울 자리는 ``False`` 인 불리언 마스크.

    같은 ``seed`` 로 만든 균등 난수를 ``rate`` 와 비교하므로, ``rate`` 를 키우면
    이전에 지워진 자리는 계속 지워진 채로 더 많은 자리가 지워집니다(위젯에서 보기 좋게).
    """
    rate = check_rate(rate)
    shape = tuple(int(n) for n in np.atleast_1d(shape))
    require(all(n > 0 for n in shape), f"마스크 모양의 각 길이는 1 이상이어야 합니다. 받은 모양: {shape}")
    return inverted_dropout(np.ones(shape), rate, seed)[1]


def apply_dropout(activations, rate: float, seed: int = 0, training: bool = True):
    """역 드롭아웃을 적용해 ``(출력, 마스크)`` 를 돌려줍니다.

    ``training=False`` (추론)이면 값을 그대로 두고 마스크는 모두 ``True`` 입니다.
    """
    activations = np.asarray(activations, dtype=np.float64)
    require(activations.size > 0, "활성값 배열이 비어 있습니다.")
    rate = check_rate(rate)
    if not training:
        return activations.copy(), np.ones(activations.shape, dtype=bool)
    return inverted_dropout(activations, rate, seed)


def dropout_view_data(activations, rate: float, seed: int = 0) -> dict:
    """드롭아웃 위젯의 콜백: 마스크, 출력, 남은 비율과 평균(스케일 전후)을 계산합니다."""
    activations = np.asarray(activations, dtype=np.float64)
    require(activations.ndim == 2, f"활성값은 2차원(높이×너비) 배열이어야 합니다. 받은 모양: {activations.shape}")
    output, mask = apply_dropout(activations, rate, seed)
    return {
        "activations": activations,
        "mask": mask,
        "output": output,
        "kept_fraction": float(mask.mean()),
        "mean_before": float(activations.mean()),
        "mean_unscaled": float(np.where(mask, activations, 0.0).mean()),
        "mean_after": float(output.mean()),
    }
