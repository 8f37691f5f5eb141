"""코드를 실행할 수 없는 웹 책에서 숫자를 그려 보는 판 (4.2.7절).

학습된 가중치를 줄여(conv2는 int8, fc1은 늘 0인 입력의 행과 켜지지 않는 뉴런을 빼고 int8 또는 int4, 나머지는
float32) base64로 셀의 HTML 출력에 넣고,
``draw_panel.js`` 의 작은 순전파가 브라우저에서 계산합니다. 인터넷이 없어도 동작합니다.

숫자로 보기 어려운 그림에는 예측 대신 안내가 나옵니다 (``draw_panel.js`` 의 ``judge``):

- 획 상자의 긴 변이 붓 굵기(18픽셀) × 20 / 6.5 ≈ 55.4픽셀보다 짧으면 (점, 짧은 획) "조금 더 크게".
  긴 변이 20픽셀로 줄어들므로 28×28 입력에서 획 굵기가 6.5픽셀을 넘는다는 뜻입니다.
- 획이 칸의 네 가장자리에 모두 닿으면 "칸 가운데에 조금 작게" (숫자가 잘렸을 수 있음).
- 28×28 입력에서 0.5보다 진한 칸이 35%를 넘으면 (빽빽한 낙서) "가는 획으로".

문턱값은 MNIST 학습 이미지 20,000장을 판 크기로 키워(28×28 → 280×280) 같은 전처리를 거쳐 잰 값에 여유를 둔
것입니다: 획 굵기(2 × 넓이 / 둘레, 28×28 픽셀, :func:`stroke_thickness`)의 최댓값은 6.4, 칠한 비율의 최댓값은
0.327이었고 (가장자리에 닿은 변은 많아야 1개), 테스트 숫자 10,000장은 하나도 거절되지 않았습니다.
테스트 이미지에서 거절되는 비율은 tests/unit/test_draw_panel_js.py 가 헤드리스 Chromium으로 잽니다.
"""
from __future__ import annotations

import base64
import json
import uuid
from importlib import resources

import numpy as np

from cnnbook.errors import require
from cnnbook.mnist_model import check_weights

# 숫자로 보기 어려운 그림의 문턱값 (draw_panel.js 의 judge 와 같은 값; 테스트가 두 쪽을 비교합니다)
MAX_THICKNESS = 6.5  # 28×28 입력에서 획 굵기(픽셀)의 상한: 판 위 획 상자의 긴 변 ≥ 붓 굵기 × 20 / 6.5
MAX_COVER = 0.35  # 28×28 입력에서 0.5보다 진한 칸의 비율 상한
SEEN = 0.5  # 판에서 밝기가 이보다 어두우면 획으로 봅니다
LINE_WIDTH = 18  # 판의 붓 굵기 (판 픽셀)
FC1_CLIP = 2.5  # int4 일 때 fc1 배율: 뉴런마다 표준편차의 2.5배를 7에 맞춥니다 (넘는 값은 잘림)
FC1_BUDGET = 2_300_000  # fc1 에 쓸 바이트: 살아 있는 행이 int8로 이 안에 들면 int8, 아니면 int4


def stroke_thickness(x: np.ndarray) -> float:
    """28×28 입력에서 0.5보다 진한 칸의 획 굵기 어림(픽셀): 2 × 넓이 / 둘레 (가늘고 긴 획이면 그 폭)."""
    solid = np.pad(np.asarray(x) > 0.5, 1)
    perimeter = (solid[1:] != solid[:-1]).sum() + (solid[:, 1:] != solid[:, :-1]).sum()
    return float(2 * solid.sum() / max(perimeter, 1))


def board_of(digit: np.ndarray, side: int = 280) -> np.ndarray:
    """MNIST 숫자(28×28, 0–1, 획이 1)를 그리기 판 크기로 키운 밝기 배열(1이 흰색). 판정 문턱값을 잴 때 씁니다."""
    from PIL import Image

    small = Image.fromarray(np.round(255 * (1 - np.asarray(digit, np.float32))).astype(np.uint8))
    return np.asarray(small.resize((side, side), Image.Resampling.BILINEAR), np.float32) / 255.0


def judge(gray: np.ndarray, x: np.ndarray, line_width: float = LINE_WIDTH) -> str | None:
    """판(밝기, 1이 흰색)과 그 28×28 입력이 숫자로 보기 어려우면 이유('small', 'edges', 'dense'), 아니면 None.

    draw_panel.js 의 ``judge`` 와 같은 규칙입니다.
    """
    dark = np.asarray(gray) < SEEN
    rows, cols = np.flatnonzero(dark.any(axis=1)), np.flatnonzero(dark.any(axis=0))
    if rows.size == 0:
        return "small"
    long_side = max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1)
    if long_side * MAX_THICKNESS < line_width * 20:
        return "small"
    if rows[0] == 0 and cols[0] == 0 and rows[-1] == dark.shape[0] - 1 and cols[-1] == dark.shape[1] - 1:
        return "edges"
    if float(np.mean(np.asarray(x) > 0.5)) > MAX_COVER:
        return "dense"
    return None


def judge_mnist(digit: np.ndarray) -> str | None:
    """MNIST 숫자(28×28, 0–1)를 판 크기로 키워 그리기 판과 같은 전처리와 판정을 거친 결과 (:func:`judge`)."""
    from cnnbook.digit_input import ink_to_mnist

    digit = np.asarray(digit, np.float32)
    require(digit.shape == (28, 28), f"MNIST 숫자는 28×28이어야 하는데 모양이 {digit.shape} 입니다.")
    require(0.0 <= digit.min() and digit.max() <= 1.0, "MNIST 숫자의 값은 0–1이어야 합니다 (255로 나눠 주세요).")
    gray = board_of(digit)
    require(float(gray.max() - gray.min()) >= 0.1, "숫자 이미지가 비어 있습니다.")
    ink = (gray.max() - gray) / (gray.max() - gray.min())  # 판의 전처리처럼 뒤집어 0–1로 늘림
    return judge(gray, ink_to_mnist(ink))


def quantise_int8(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """마지막 축(출력 채널)마다 배율을 둔 int8 (최댓값이 127)."""
    flat = w.reshape(-1, w.shape[-1])
    scales = np.abs(flat).max(axis=0) / 127.0
    scales[scales == 0] = 1.0
    return np.clip(np.round(w / scales), -127, 127).astype(np.int8), scales.astype(np.float32)


def quantise_int4(w: np.ndarray, clip: float = FC1_CLIP) -> tuple[np.ndarray, np.ndarray]:
    """마지막 축마다 배율을 둔 int4 (−8–7). 두 값을 한 바이트에 담아(낮은 4비트가 앞) 돌려줍니다."""
    scales = clip * w.std(axis=0) / 7.0
    scales[scales == 0] = 1.0
    q = (np.clip(np.round(w / scales), -8, 7).astype(np.int16) + 8).astype(np.uint8).ravel()
    if q.size % 2:
        q = np.append(q, np.uint8(8))
    return (q[0::2] | (q[1::2] << 4)).astype(np.uint8), scales.astype(np.float32)


def unpack_int4(packed: np.ndarray, count: int) -> np.ndarray:
    return np.stack([packed & 15, packed >> 4], axis=1).ravel()[:count].astype(np.float32) - 8


def active_inputs(pool2_acts) -> np.ndarray:
    """fc1 입력(펼친 pool2, 3,136개) 가운데 한 번이라도 0보다 컸던 것 (불리언 [3136]).

    ReLU와 최대 풀링 뒤라 학습 이미지에서 늘 0인 입력이 많습니다. 그 행은 fc1 계산에 보태는 것이 없으므로
    그리기 판에 싣지 않습니다 (무손실 가지치기; 학습 데이터에서 본 적 없는 입력에서만 달라질 수 있음).
    """
    acts = np.asarray(pool2_acts).reshape(len(pool2_acts), -1)
    require(acts.shape[1] == 7 * 7 * 64, f"pool2 출력은 이미지마다 3136개여야 하는데 {acts.shape[1]}개입니다.")
    return acts.max(axis=0) > 0


def active_units(fc1_acts) -> np.ndarray:
    """fc1 뉴런 1,024개 가운데 한 번이라도 0보다 컸던 것 (불리언 [1024]).

    ReLU 뒤에 학습 이미지에서 한 번도 켜지지 않은 뉴런은 fc2 에 보태는 것이 없으므로 그 열을 싣지 않습니다
    (:func:`active_inputs` 와 같은 무손실 가지치기).
    """
    acts = np.asarray(fc1_acts).reshape(len(fc1_acts), -1)
    require(acts.shape[1] == 1024, f"fc1 출력은 이미지마다 1024개여야 하는데 {acts.shape[1]}개입니다.")
    return acts.max(axis=0) > 0


def _mask(mask, size: int, what: str) -> np.ndarray:
    mask = np.ones(size, bool) if mask is None else np.asarray(mask, bool)
    require(mask.shape == (size,), f"{what} 표시의 모양이 {mask.shape} 입니다 ({size},) 이어야 함.")
    require(mask.any(), f"{what} 표시에 남는 것이 하나도 없습니다.")
    return mask


def fc1_encoding(w: np.ndarray, keep: np.ndarray | None, units: np.ndarray | None = None):
    """fc1 [3136, 1024] → (살아 있는 행 표시, 형식 'i8' 또는 'i4', 양자화 값, 배율). ``units``: 남길 뉴런(열)."""
    keep = _mask(keep, w.shape[0], "살아 있는 행")
    units = _mask(units, w.shape[1], "살아 있는 뉴런")
    rows = w[keep][:, units]
    if rows.size <= FC1_BUDGET:
        q, scales = quantise_int8(rows)
        return keep, "i8", q, scales
    q, scales = quantise_int4(rows)
    return keep, "i4", q, scales


def dequantised(weights, keep=None, units=None) -> list[np.ndarray]:
    """브라우저가 실제로 쓰는 가중치 (양자화 후 다시 실수로). 파이썬 쪽 비교에 씁니다.

    뺀 뉴런은 fc1 의 열과 편향을 0으로 두어 늘 0을 내게 합니다 (브라우저에서 뺀 것과 같은 계산).
    """
    w = check_weights(weights)
    q8, s8 = quantise_int8(w[2])
    units = _mask(units, w[4].shape[1], "살아 있는 뉴런")
    keep, kind, q, scales = fc1_encoding(w[4], keep, units)
    width = int(units.sum())
    rows = q.astype(np.float32) if kind == "i8" else unpack_int4(q, int(keep.sum()) * width).reshape(-1, width)
    fc1 = np.zeros_like(w[4])
    fc1[np.ix_(keep, units)] = rows * scales
    fc1_bias = np.where(units, w[5], 0).astype(np.float32)
    return [w[0], w[1], q8 * s8, w[3], fc1, fc1_bias, w[6], w[7]]


def pack_weights(weights, keep=None, units=None) -> tuple[bytes, dict]:
    """가중치 8개 → (바이트열, 이름 → [바이트 위치, 원소 수, 형식, 모양]). float32 는 4바이트 경계에 둡니다.

    ``keep`` 은 fc1 의 살아 있는 행 표시(:func:`active_inputs`), ``units`` 는 살아 있는 뉴런 표시
    (:func:`active_units`); 없으면 모두 싣습니다. 뺀 뉴런은 fc1 의 열, 배율, 편향과 fc2 의 행에서 함께 빠집니다.
    """
    w = check_weights(weights)
    q8, s8 = quantise_int8(w[2])
    units = _mask(units, w[4].shape[1], "살아 있는 뉴런")
    keep, kind, q, scales = fc1_encoding(w[4], keep, units)
    width = int(units.sum())
    parts = [
        ("conv1W", w[0], "f32"), ("conv1b", w[1], "f32"),
        ("conv2W", q8, "i8"), ("conv2S", s8, "f32"), ("conv2b", w[3], "f32"),
        ("fc1Keep", keep.astype(np.uint8), "u8"),
        ("fc1W", q, kind), ("fc1S", scales, "f32"), ("fc1b", w[5][units], "f32"),
        ("fc2W", w[6][units], "f32"), ("fc2b", w[7], "f32"),
    ]
    blob, meta = bytearray(), {}
    for name, array, form in parts:
        blob.extend(b"\0" * (-len(blob) % 4))
        count = int(keep.sum()) * width if name == "fc1W" else int(array.size)
        meta[name] = [len(blob), count, form, list(array.shape)]
        blob.extend(np.ascontiguousarray(array).astype("<f4" if form == "f32" else array.dtype).tobytes())
    return bytes(blob), meta


STYLE = """
<style>
.cnnbook-panel { font-family: sans-serif; display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.cnnbook-panel [hidden] { display: none !important; }
.cnnbook-panel .cnnbook-side { width: 284px; }
.cnnbook-panel canvas.cnnbook-pad { border: 2px solid #555; touch-action: none; cursor: crosshair;
  width: 280px; height: 280px; background: #fff; }
.cnnbook-panel .cnnbook-message { font-weight: bold; margin: 6px 0; min-height: 1.4em; word-break: keep-all; }
.cnnbook-panel .cnnbook-bar-row { display: flex; align-items: center; gap: 6px; height: 18px; }
.cnnbook-panel .cnnbook-digit { width: 1em; text-align: right; }
.cnnbook-panel .cnnbook-bar { display: inline-block; width: 160px; height: 12px; background: #eee; }
.cnnbook-panel .cnnbook-bar span { display: block; height: 100%; width: 0; }
.cnnbook-panel .cnnbook-pct { width: 4em; font-size: 0.85em; }
.cnnbook-panel .cnnbook-maps { display: grid; grid-template-columns: repeat(8, 44px); gap: 3px; }
.cnnbook-panel .cnnbook-maps canvas { width: 44px; height: 44px; image-rendering: pixelated; border: 1px solid #ccc; }
.cnnbook-panel canvas.cnnbook-input { width: 112px; height: 112px; image-rendering: pixelated; border: 1px solid #ccc; }
</style>
"""


def panel_html(weights, root_id: str | None = None, line_width: int = 18, keep=None, units=None) -> str:
    """그리기 판 하나의 HTML (스크립트와 가중치를 모두 담음). ``keep``, ``units``: :func:`pack_weights` 참고."""
    blob, meta = pack_weights(weights, keep, units)
    root_id = root_id or f"cnnbook-draw-{uuid.uuid4().hex[:8]}"
    require(root_id.replace("-", "").isalnum(), f"판 이름 {root_id!r} 에는 글자, 숫자, - 만 쓸 수 있습니다.")
    script = resources.files("cnnbook").joinpath("draw_panel.js").read_text(encoding="utf-8")
    data = base64.b64encode(blob).decode("ascii")
    return f"""{STYLE}
<div class="cnnbook-panel" id="{root_id}" data-ready="0">
  <div class="cnnbook-side">
    <canvas class="cnnbook-pad" width="280" height="280" data-line-width="{line_width}"
      aria-label="숫자를 그리는 칸"></canvas><br>
    <button type="button" class="cnnbook-clear">지우기</button>
    <div class="cnnbook-message" role="status"></div>
  </div>
  <div>
    <div class="cnnbook-result cnnbook-view" hidden>
      <div>모델이 보는 28×28 입력</div><canvas class="cnnbook-input" width="28" height="28"></canvas>
    </div>
    <div class="cnnbook-result" hidden><div>클래스별 확률</div><div class="cnnbook-bars"></div></div>
  </div>
  <div class="cnnbook-result" hidden>
    <div>conv1 특징 맵 32개 (28×28, 진할수록 큼)</div><div class="cnnbook-maps"></div>
  </div>
</div>
<script>
{script}
</script>
<script>
(function () {{
  const meta = {json.dumps(meta)};
  const data = "{data}";
  const start = () => window.CnnbookDraw.mount("{root_id}", data, meta);
  if (document.readyState === "loading") {{ document.addEventListener("DOMContentLoaded", start); }} else {{ start(); }}
}})();
</script>
"""


class DrawPanel:
    """노트북 출력으로 그리기 판을 보여 주는 객체 (``text/html``, 인쇄에는 한 줄 설명)."""

    def __init__(self, weights, root_id: str | None = None, keep=None, units=None):
        self.html = panel_html(weights, root_id, keep=keep, units=units)

    @property
    def size_bytes(self) -> int:
        return len(self.html.encode("utf-8"))

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/html": self.html,
            "text/plain": "숫자 그리기 판 (웹 책이나 Jupyter에서 HTML로 보입니다)",
        }
