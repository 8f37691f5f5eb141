"""독자가 그리거나 올린 숫자 이미지를 MNIST처럼 28×28로 바꾸는 전처리와 입력 검사 (4.2.6절).

순서는 MNIST를 만든 방식과 같습니다: 흑백으로 바꾸고, 밝은 바탕이면 뒤집어 획이 밝게 하고,
획을 둘러싼 상자로 자르고, 가로세로 비율을 지키며 20×20 안에 넣고, 무게중심이 28×28의 가운데에
오도록 옮기고, 값을 [0, 1]로 둡니다. 크기 줄이기는 겹친 넓이로 평균하는 방식(상자 평균)이라
브라우저의 그리기 판(``draw_panel.js``)이 같은 계산을 그대로 따라 합니다.

잘못된 입력(이미지가 아닌 파일, 빈 그림, 너무 큰 파일, 압축 폭탄 등)에는 한국어 :class:`BookError`.
"""
from __future__ import annotations

import io
import warnings

import numpy as np

from cnnbook.errors import BookError, require

MAX_BYTES = 10 * 1024 * 1024  # 올릴 수 있는 파일 크기 (10 MB)
MAX_SIDE = 4096  # 가로나 세로가 이보다 길면 풀기 전에 거절합니다
MAX_PIXELS = 4096 * 4096
INK_THRESHOLD = 0.1  # 이보다 진한 픽셀을 획으로 봅니다 (0–1 잉크 값)
MIN_CONTRAST = 0.1  # 가장 밝은 곳과 가장 어두운 곳의 차이가 이보다 작으면 빈 그림
FIT = 20  # 획을 넣을 정사각형 한 변
SIZE = 28


def read_image_bytes(data: bytes) -> tuple[np.ndarray, list[str]]:
    """파일 내용을 흑백 밝기 배열([0, 1], 1이 흰색)과 안내 문장 목록으로 바꿉니다.

    크기는 파일 머리(header)만 읽어 먼저 확인하므로 거대한 이미지나 압축 폭탄은 풀기 전에 거절합니다.
    색이 있는 이미지는 밝기로, 투명한 부분은 흰 바탕으로 바꾸고 그 사실을 안내 문장에 적습니다.
    """
    from PIL import Image, UnidentifiedImageError

    require(isinstance(data, (bytes, bytearray, memoryview)), "올린 내용이 파일(바이트)이 아닙니다.")
    data = bytes(data)
    require(len(data) > 0, "빈 파일입니다. 숫자가 담긴 PNG나 JPEG 이미지를 올려 주세요.")
    require(
        len(data) <= MAX_BYTES,
        f"파일이 {len(data) / 2**20:.1f} MB로 너무 큽니다. {MAX_BYTES // 2**20} MB 이하의 이미지를 올려 주세요.",
    )
    try:
        with warnings.catch_warnings():  # 크기는 아래에서 직접 확인하고 한국어로 알립니다
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))  # 머리만 읽습니다 (아직 풀지 않음)
    except Image.DecompressionBombError as exc:
        raise BookError(f"이미지가 너무 커서(압축 폭탄일 수 있음) 열지 않았습니다. 작은 이미지를 올려 주세요. ({exc})") from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise BookError("이미지 파일이 아닙니다. PNG나 JPEG 이미지를 올려 주세요.") from exc
    width, height = image.size
    require(
        width <= MAX_SIDE and height <= MAX_SIDE and width * height <= MAX_PIXELS,
        f"이미지가 {width}×{height} 픽셀로 너무 큽니다 (한 변 {MAX_SIDE} 픽셀 이하). 줄여서 올려 주세요.",
    )
    require(width >= 8 and height >= 8, f"이미지가 {width}×{height} 픽셀로 너무 작습니다 (한 변 8 픽셀 이상).")
    notes = []
    try:
        has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
        if has_alpha:
            rgba = np.asarray(image.convert("RGBA"), dtype=np.float32) / 255.0
            alpha = rgba[..., 3]
            require(alpha.max() > 0.05, "이미지가 완전히 투명합니다. 숫자가 보이는 이미지를 올려 주세요.")
            gray = _luminance(rgba[..., :3])
            if alpha.min() < 0.99:
                gray = alpha * gray + (1.0 - alpha)  # 투명한 곳은 흰 바탕으로
                notes.append("투명한 부분은 흰 바탕으로 바꾸었습니다.")
        else:
            rgb = np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0
            gray = _luminance(rgb)
        if image.mode not in ("L", "1", "LA", "I", "I;16", "F") and _is_colourful(image):
            notes.append("색이 있는 이미지라 밝기만 남긴 흑백으로 바꾸었습니다.")
    except BookError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise BookError(f"이미지를 풀지 못했습니다. 파일이 손상되었을 수 있습니다. ({type(exc).__name__}: {exc})") from exc
    return gray.astype(np.float32), notes


def _luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


def _is_colourful(image) -> bool:
    small = np.asarray(image.convert("RGB").resize((32, 32)), dtype=np.float32)
    return float(np.abs(small - small.mean(axis=2, keepdims=True)).max()) > 12


def to_ink(gray: np.ndarray) -> np.ndarray:
    """밝기(1이 흰색)를 잉크 값(1이 획)으로 바꿉니다. 테두리가 밝으면(밝은 바탕) 뒤집습니다."""
    gray = np.asarray(gray, dtype=np.float32)
    require(gray.ndim == 2, f"흑백 이미지는 2차원이어야 하는데 모양이 {gray.shape} 입니다.")
    require(np.all(np.isfinite(gray)), "이미지에 NaN이나 무한대가 있습니다.")
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    ink = 1.0 - gray if np.median(border) > 0.5 else gray.copy()
    low, high = float(ink.min()), float(ink.max())
    require(
        high - low >= MIN_CONTRAST,
        "그림이 비어 있습니다 (온통 검거나 온통 흰 이미지). 숫자를 하나 그리거나 올려 주세요.",
    )
    return np.clip((ink - low) / (high - low), 0.0, 1.0)  # 바탕을 0, 가장 진한 획을 1로


def area_resize_matrix(n_in: int, n_out: int) -> np.ndarray:
    """길이 n_in 을 n_out 으로 줄이는 상자 평균 행렬 [n_out, n_in] (겹친 길이에 비례한 가중치, 행의 합 1)."""
    edges = np.arange(n_out + 1) * (n_in / n_out)
    matrix = np.zeros((n_out, n_in), dtype=np.float64)
    for i in range(n_out):
        lo, hi = edges[i], edges[i + 1]
        for j in range(int(np.floor(lo)), min(int(np.ceil(hi)), n_in)):
            matrix[i, j] = min(hi, j + 1) - max(lo, j)
    return matrix / matrix.sum(axis=1, keepdims=True)


def ink_to_mnist(ink: np.ndarray) -> np.ndarray:
    """잉크 값(2차원, [0, 1])을 MNIST처럼 20×20에 맞춰 무게중심으로 가운데 둔 28×28로 바꿉니다."""
    ink = np.asarray(ink, dtype=np.float32)
    rows = np.flatnonzero(ink.max(axis=1) > INK_THRESHOLD)
    cols = np.flatnonzero(ink.max(axis=0) > INK_THRESHOLD)
    require(rows.size > 0 and cols.size > 0, "획이 보이지 않습니다. 숫자를 더 진하게 그려 주세요.")
    crop = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    height, width = crop.shape
    scale = FIT / max(height, width)
    new_h, new_w = max(1, int(np.floor(height * scale + 0.5))), max(1, int(np.floor(width * scale + 0.5)))
    small = area_resize_matrix(height, new_h) @ crop @ area_resize_matrix(width, new_w).T
    top, left = (SIZE - new_h) // 2, (SIZE - new_w) // 2
    total = small.sum()
    cy = (small.sum(axis=1) @ np.arange(new_h)) / total + top
    cx = (small.sum(axis=0) @ np.arange(new_w)) / total + left
    top = int(np.clip(top + np.floor(13.5 - cy + 0.5), 0, SIZE - new_h))
    left = int(np.clip(left + np.floor(13.5 - cx + 0.5), 0, SIZE - new_w))
    out = np.zeros((SIZE, SIZE), dtype=np.float32)
    out[top:top + new_h, left:left + new_w] = small
    return np.clip(out, 0.0, 1.0)


def preprocess_gray(gray: np.ndarray) -> np.ndarray:
    """밝기 배열(1이 흰색) → 모델이 보는 28×28 ([0, 1], 획이 1)."""
    return ink_to_mnist(to_ink(gray))


def preprocess_upload(data: bytes) -> tuple[np.ndarray, list[str]]:
    """올린 파일 → (28×28 입력, 안내 문장 목록)."""
    gray, notes = read_image_bytes(data)
    return preprocess_gray(gray), notes


def preprocess_rgba(rgba: np.ndarray) -> np.ndarray:
    """그리기 판의 RGBA 픽셀([H, W, 4], 0–255, 흰 바탕이나 투명 바탕에 검은 획) → 28×28 입력."""
    rgba = np.asarray(rgba)
    require(rgba.ndim == 3 and rgba.shape[2] == 4, f"그리기 판의 픽셀 모양이 {rgba.shape} 입니다 ([H, W, 4] 이어야 함).")
    rgba = rgba.astype(np.float32) / 255.0
    alpha = rgba[..., 3]
    gray = alpha * _luminance(rgba[..., :3]) + (1.0 - alpha)  # 투명한 곳은 흰 바탕
    return preprocess_gray(gray)


def render_strokes(strokes, size: int = 280, width: float = 18.0) -> np.ndarray:
    """획 목록(각 획은 (x, y) 점의 목록, 판 좌표)을 흰 바탕에 검은 선으로 그려 밝기 배열을 돌려줍니다.

    브라우저 그리기 판과 같은 선 굵기, 둥근 끝으로 그립니다 (테스트에서 두 쪽의 전처리를 비교할 때 씀).
    """
    from PIL import Image, ImageDraw

    scale = 4  # 4배로 그려 줄이면 가장자리가 브라우저처럼 부드러워집니다
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    radius = width * scale / 2
    for stroke in strokes:
        # PIL의 좌표는 픽셀 가운데, 캔버스의 좌표는 픽셀 모서리 기준이라 반 픽셀 옮깁니다
        points = [(x * scale - 0.5, y * scale - 0.5) for x, y in stroke]
        if len(points) > 1:
            draw.line(points, fill=0, width=int(round(width * scale)), joint="curve")
        for x, y in points:
            draw.ellipse([x - radius + 0.5, y - radius + 0.5, x + radius - 0.5, y + radius - 0.5], fill=0)
    image = image.resize((size, size), Image.Resampling.BOX)
    return np.asarray(image, dtype=np.float32) / 255.0


def upload_contents(value) -> bytes | None:
    """``widgets.FileUpload.value`` 에서 마지막 파일의 내용(바이트)을 꺼냅니다. 없으면 None.

    ipywidgets 8은 ``({'name': ..., 'content': memoryview, ...}, ...)`` 튜플,
    ipywidgets 7(Colab)은 ``{파일 이름: {'metadata': ..., 'content': bytes}}`` 사전을 줍니다.
    """
    if not value:
        return None
    items = list(value.values()) if isinstance(value, dict) else list(value)
    item = items[-1]
    require(isinstance(item, dict) and "content" in item, "올린 파일의 내용을 읽지 못했습니다.")
    return bytes(item["content"])
