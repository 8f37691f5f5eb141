"""독자가 그리거나 올린 숫자 이미지를 MNIST처럼 28×28로 바꾸는 전처리와 입력 검사 (4.2.7절).

순서는 MNIST를 만든 방식과 같습니다: 흑백으로 바꾸고, 밝은 바탕이면 뒤집어 획이 밝게 하고,
획을 둘러싼 상자로 자르고, 가로세로 비율을 지키며 20×20 안에 넣고, 무게중심이 28×28의 가운데에
오도록 옮기고, 값을 [0, 1]로 둡니다. 크기 줄이기는 겹친 넓이로 평균하는 방식(상자 평균)이라
브라우저의 그리기 판(``draw_panel.js``)이 같은 계산을 그대로 따라 합니다.

휴대폰으로 찍은 종이 사진(회색 종이, 고르지 않은 조명과 그림자, 센서 잡음)은 EXIF 방향대로 돌린 뒤, 자리마다 바탕 밝기를
어림해 빼고(:func:`to_ink`), 오츠의 문턱값으로 찾은 잉크 덩어리 가운데 숫자(가장 큰 덩어리와 그 가까운 덩어리)만 남깁니다
(:func:`keep_digit`). 테두리가 고른 스캔과 그림은 바탕을 빼지 않고 떨어진 티끌만 지웁니다. 정확도는
``benchmarks/photo_digits.py`` 가 합성 사진으로 잽니다.

잘못된 입력(이미지가 아닌 파일, 빈 그림, 너무 큰 파일, 압축 폭탄, 풀다가 Pillow가 낸 모든 오류)에는 한국어 :class:`BookError`.
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
WORK_SIDE = 400  # 사진은 긴 변을 이만큼으로 줄여 다듬습니다
BACKGROUND_WINDOW = 0.2  # 바탕 밝기를 어림하는 창: 긴 변의 20% (획 굵기보다 넓게)
NEAR = 0.3  # 가장 큰 잉크 덩어리 상자에서 긴 변의 이 배 안에 있는 덩어리도 숫자의 일부로 봅니다
FLAT_SPREAD = 0.02  # 테두리 밝기의 흔들림이 이보다 작으면 바탕이 고른 스캔이나 그림으로 봅니다
MIN_PART = 0.02  # 그 덩어리의 넓이가 가장 큰 덩어리의 이 배는 되어야 합니다 (작은 티끌 빼기)
MIN_CONTRAST = 0.1  # 가장 밝은 곳과 가장 어두운 곳의 차이가 이보다 작으면 빈 그림
FIT = 20  # 획을 넣을 정사각형 한 변
SIZE = 28


def read_image_bytes(data: bytes) -> tuple[np.ndarray, list[str]]:
    """파일 내용을 흑백 밝기 배열([0, 1], 1이 흰색)과 안내 문장 목록으로 바꿉니다.

    크기는 파일 머리(header)만 읽어 먼저 확인하므로 거대한 이미지나 압축 폭탄은 풀기 전에 거절합니다.
    휴대폰 사진은 EXIF의 방향 정보대로 돌리고, 색이 있는 이미지는 밝기로, 투명한 부분은 흰 바탕으로 바꾸며
    그 사실을 안내 문장에 적습니다. Pillow가 파일을 풀다 낸 오류는 모두 한국어 :class:`BookError` 가 됩니다.
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
    except UnidentifiedImageError as exc:
        raise BookError("이미지 파일이 아닙니다. PNG나 JPEG 이미지를 올려 주세요.") from exc
    except Exception as exc:  # noqa: BLE001 - Pillow의 머리 읽기 오류(EOFError, struct.error 등) 모두
        raise BookError(f"이미지 파일이 아니거나 머리가 손상되었습니다. ({type(exc).__name__}: {exc})") from exc
    width, height = image.size
    require(
        width <= MAX_SIDE and height <= MAX_SIDE and width * height <= MAX_PIXELS,
        f"이미지가 {width}×{height} 픽셀로 너무 큽니다 (한 변 {MAX_SIDE} 픽셀 이하). 줄여서 올려 주세요.",
    )
    require(width >= 8 and height >= 8, f"이미지가 {width}×{height} 픽셀로 너무 작습니다 (한 변 8 픽셀 이상).")
    notes = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # 손상된 EXIF 등에 대한 Pillow 경고는 안내 문장으로 대신합니다
            orientation = _orientation(image, notes)
            image.draft(image.mode, (2 * WORK_SIDE, 2 * WORK_SIDE))  # JPEG는 필요한 만큼만 작게 풉니다
            image.load()
        factor = max(image.size) // (2 * WORK_SIDE)
        if factor > 1:  # 큰 사진은 풀자마자 상자 평균으로 줄여 메모리를 아낍니다 (뒤에서 WORK_SIDE로 다시 줄임)
            image = _reduced(image, factor)
        gray = _gray_of(image, notes)
        if orientation in _TRANSPOSE:
            gray = _TRANSPOSE[orientation](gray)
            notes.append("휴대폰 사진의 방향 정보(EXIF)대로 돌렸습니다.")
    except BookError:
        raise
    except Exception as exc:  # noqa: BLE001 - 풀다가 난 오류(EOFError, IndexError, OSError 등) 모두
        raise BookError(f"이미지를 풀지 못했습니다. 파일이 손상되었을 수 있습니다. ({type(exc).__name__}: {exc})") from exc
    return gray.astype(np.float32), notes


# EXIF 방향 값(2–8)마다, 풀어 놓은 배열을 똑바로 세우는 변환 (PIL.ImageOps.exif_transpose 와 같은 표)
_TRANSPOSE = {
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1, :],
    5: lambda a: a.T,
    6: lambda a: np.rot90(a, -1),
    7: lambda a: np.rot90(a, 1)[:, ::-1],
    8: lambda a: np.rot90(a, 1),
}


def _orientation(image, notes: list[str]) -> int:
    """EXIF 방향 값 (없으면 1). EXIF가 손상되었으면 안내 문장을 남기고 1로 봅니다 (픽셀은 멀쩡할 수 있음)."""
    try:
        value = image.getexif().get(0x0112, 1)
        return int(value) if isinstance(value, int) else 1
    except Exception:  # noqa: BLE001 - 손상된 EXIF: 방향만 포기합니다
        notes.append("사진의 방향 정보(EXIF)가 손상되어 돌리지 않고 그대로 썼습니다.")
        return 1


def _reduced(image, factor: int):
    """PIL 이미지를 factor 배로 줄입니다 (겹친 넓이로 평균; 투명도는 RGBA로 지킴)."""
    if image.mode not in ("L", "LA", "RGB", "RGBA"):
        alpha = image.mode == "PA" or "transparency" in image.info
        image = image.convert("RGBA" if alpha else "RGB")
    return image.reduce(factor)


def _gray_of(image, notes: list[str]) -> np.ndarray:
    """풀어 놓은 PIL 이미지 → 밝기 배열 (투명한 곳은 흰 바탕)."""
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
    return gray


def _luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


def _is_colourful(image) -> bool:
    small = np.asarray(image.convert("RGB").resize((32, 32)), dtype=np.float32)
    return float(np.abs(small - small.mean(axis=2, keepdims=True)).max()) > 12


def to_ink(gray: np.ndarray) -> np.ndarray:
    """밝기(1이 흰색)를 잉크 값(바탕 0, 가장 진한 획 1)으로 바꿉니다.

    사진의 종이는 고르게 밝지 않으므로, 자리마다 바탕 밝기를 어림해(획보다 넓은 창의 열림 연산) 그만큼을 뺍니다.
    종이가 밝으면(검은 펜) 바탕 밝기로 나누어 어두운 곳의 획도 밝은 곳의 획만큼 진하게 만듭니다.
    테두리가 고른 스캔이나 그림(:func:`flat_background`)은 바탕을 빼지 않고 뒤집어 0–1로 늘리기만 합니다(그리기 판과 같은 계산).
    사진의 바탕은 0 둘레의 잡음으로 남으며(음수 포함), :func:`keep_digit` 이 숫자 덩어리 밖을 0으로 지웁니다.
    """
    gray = np.asarray(gray, dtype=np.float32)
    require(gray.ndim == 2, f"흑백 이미지는 2차원이어야 하는데 모양이 {gray.shape} 입니다.")
    require(np.all(np.isfinite(gray)), "이미지에 NaN이나 무한대가 있습니다.")
    empty = "그림이 비어 있습니다 (온통 검거나 온통 흰 이미지). 숫자를 하나 그리거나 올려 주세요."
    require(float(gray.max() - gray.min()) >= MIN_CONTRAST, empty)
    flat = flat_background(gray)
    if flat is not None:  # 스캔이나 그림: 바탕이 고르므로 뒤집고 늘리기만 합니다 (그리기 판과 같은 계산)
        raw = 1.0 - gray if flat else gray
        low, high = float(raw.min()), float(raw.max())
        return np.clip((raw - low) / (high - low), 0.0, 1.0).astype(np.float32)
    light = is_light_paper(gray)
    raw = 1.0 - gray if light else gray  # 획이 밝은 쪽으로
    radius = blur_radius(gray.shape)
    window = max(3, int(round(BACKGROUND_WINDOW * max(gray.shape))))
    background = _opening(box_blur(raw, radius), window)  # 획보다 넓은 창으로 밝은 획을 지운 바탕
    background = box_blur(background, window // 4)  # 창 모양의 계단을 부드럽게
    ink = raw - background
    if light:
        ink = ink / np.maximum(1.0 - background, 0.05)  # 종이 밝기로 나눔: 그늘진 곳의 획도 같은 진하기로
    smooth = box_blur(ink, radius)
    level, spread = robust_level(smooth)  # 바탕(잡음의 가운데)과 잡음의 크기
    ink, smooth = ink - level, smooth - level  # 바탕을 0으로
    found = smooth > max(4 * spread, 0.02)  # 잡음보다 뚜렷이 진한 곳
    top = float(np.percentile(ink[found], 90)) if found.any() else 0.0
    require(top >= MIN_CONTRAST, empty)
    return np.clip(ink / top, -1.0, 1.0).astype(np.float32)


def robust_level(values: np.ndarray) -> tuple[float, float]:
    """(중앙값, 잡음의 표준편차 어림 = 1.4826 × 중앙값에서의 절대 편차의 중앙값). 획이 절반보다 적으면 획에 흔들리지 않습니다."""
    level = float(np.median(values))
    return level, 1.4826 * float(np.median(np.abs(values - level)))


def blur_radius(shape) -> int:
    """잡음을 누르려고 살짝 흐릴 때의 반지름: 긴 변 200픽셀마다 1픽셀 (적어도 1)."""
    return max(1, int(round(max(shape) / 200)))


def flat_background(gray: np.ndarray) -> bool | None:
    """테두리가 고르게 가장 밝거나(True: 흰 종이) 가장 어두우면(False: 검은 바탕) 그 값을, 사진처럼 고르지 않으면 None.

    테두리 픽셀의 중앙값에서의 편차가 ``FLAT_SPREAD`` 보다 작고 그 밝기가 이미지의 한쪽 끝에 있을 때 고르다고 봅니다.
    """
    gray = np.asarray(gray, dtype=np.float32)
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    level, spread = robust_level(border)
    low, high = float(gray.min()), float(gray.max())
    if spread > FLAT_SPREAD:
        return None
    if level >= high - FLAT_SPREAD * 2:
        return True
    if level <= low + FLAT_SPREAD * 2:
        return False
    return None


def is_light_paper(gray: np.ndarray) -> bool:
    """밝은 바탕에 어두운 획인가? 넓게 흐린 바탕과의 차이에서 어두운 쪽 끝이 밝은 쪽 끝보다 멀면 그렇다고 봅니다.

    획은 이미지의 작은 부분이므로 바탕에서 멀리 떨어진 픽셀은 대부분 획입니다. 넓게 흐린 것을 빼므로 조명이 한쪽으로
    어둡거나 가장자리가 어두운 사진에서도 판단이 흔들리지 않습니다.
    """
    gray = np.asarray(gray, dtype=np.float32)
    window = max(3, int(round(BACKGROUND_WINDOW * max(gray.shape))))
    residual = box_blur(gray, blur_radius(gray.shape)) - box_blur(gray, window // 2)
    low, high = np.percentile(residual, [1, 99])
    dark_tail = residual[residual <= low].mean()
    bright_tail = residual[residual >= high].mean()
    return bool(-dark_tail > bright_tail)


def otsu_threshold(values: np.ndarray, bins: int = 256) -> float:
    """오츠(Otsu)의 문턱값: 두 무리(바탕, 획)로 나눌 때 무리 사이의 분산이 가장 큰 값."""
    values = np.asarray(values, dtype=np.float64).ravel()
    low, high = float(values.min()), float(values.max())
    if high <= low:
        return low
    counts, edges = np.histogram(values, bins=bins, range=(low, high))
    centers = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(counts)  # 문턱값 아래 무리의 크기
    mass = np.cumsum(counts * centers)
    total, total_mass = weight[-1], mass[-1]
    upper = total - weight
    valid = (weight > 0) & (upper > 0)
    mean_low = np.divide(mass, weight, out=np.zeros_like(mass), where=weight > 0)
    mean_high = np.divide(total_mass - mass, upper, out=np.zeros_like(mass), where=upper > 0)
    between = np.where(valid, weight * upper * (mean_low - mean_high) ** 2, -1.0)
    return float(edges[int(np.argmax(between)) + 1])


def box_blur(image: np.ndarray, radius: int) -> np.ndarray:
    """(2·radius + 1)² 네모 평균으로 흐리게 합니다 (테두리는 가장자리 값을 늘여 씀)."""
    if radius <= 0:
        return np.asarray(image, dtype=np.float32)
    out = np.asarray(image, dtype=np.float32)
    for axis in (0, 1):
        padded = np.pad(out, [(radius, radius) if a == axis else (0, 0) for a in (0, 1)], mode="edge")
        total = np.cumsum(padded, axis=axis, dtype=np.float64)
        total = np.concatenate([np.zeros_like(np.take(total, [0], axis=axis)), total], axis=axis)
        size = 2 * radius + 1
        n = out.shape[axis]
        out = ((np.take(total, np.arange(size, size + n), axis=axis) - np.take(total, np.arange(n), axis=axis))
               / size).astype(np.float32)
    return out


def _running(image: np.ndarray, window: int, reduce) -> np.ndarray:
    """window×window 창의 최댓값(또는 최솟값) 거르기. 가로, 세로로 나누어 계산합니다."""
    from numpy.lib.stride_tricks import sliding_window_view

    out = image
    before, after = (window - 1) // 2, window // 2
    for axis in (0, 1):
        pad = [(before, after) if a == axis else (0, 0) for a in (0, 1)]
        out = reduce(sliding_window_view(np.pad(out, pad, mode="edge"), window, axis=axis), axis=-1)
    return out


def _opening(image: np.ndarray, window: int) -> np.ndarray:
    """열림 연산(최소 거르기 뒤 최대 거르기): 창보다 가는 밝은 무늬(획)를 지우고 넓은 바탕만 남깁니다."""
    return _running(_running(image, window, np.min), window, np.max)


def label_components(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """8-이웃으로 이어진 참 픽셀 덩어리에 1, 2, … 번호를 붙입니다. 행마다 연속 구간을 찾아 이웃 행과 잇습니다."""
    mask = np.asarray(mask, dtype=bool)
    runs = []  # (행, 시작 열, 끝 열 + 1)
    row_runs = []
    for r, row in enumerate(mask):
        edges = np.flatnonzero(np.diff(np.concatenate([[0], row.view(np.int8), [0]])))
        row_runs.append(range(len(runs), len(runs) + len(edges) // 2))
        runs.extend((r, int(a), int(b)) for a, b in zip(edges[::2], edges[1::2]))
    parent = list(range(len(runs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(1, len(mask)):
        above, here = row_runs[r - 1], row_runs[r]
        j = above.start
        for i in here:
            _, a, b = runs[i]
            while j < above.stop and runs[j][2] < a:  # 위 구간이 왼쪽에서 끝남 (대각선 이웃까지 봄)
                j += 1
            k = j
            while k < above.stop and runs[k][1] <= b:
                parent[find(i)] = find(k)
                k += 1
    labels = np.zeros(mask.shape, dtype=np.int32)
    roots = {}
    for i, (r, a, b) in enumerate(runs):
        labels[r, a:b] = roots.setdefault(find(i), len(roots) + 1)
    return labels, len(roots)


def keep_digit(ink: np.ndarray) -> np.ndarray:
    """가장 큰 잉크 덩어리와 그 가까이 있는 덩어리만 남기고 나머지(티끌, 그림자 자국)는 0으로 지웁니다.

    덩어리는 살짝 흐린 잉크를 오츠 문턱값으로 나눠 찾고, 남긴 덩어리에 이어진 옅은 가장자리(잉크 0.1 초과)도 함께 남깁니다.
    떨어진 획으로 쓴 숫자(예: 윗줄이 떨어진 5)도 살도록, 가장 큰 덩어리 상자에서 긴 변의 ``NEAR`` 배 안에 있는 덩어리를 더합니다.
    """
    ink = np.asarray(ink, dtype=np.float32)
    smooth = box_blur(ink, blur_radius(ink.shape))
    _, noise = robust_level(smooth)
    high = float(smooth.max())
    threshold = min(max(otsu_threshold(smooth), INK_THRESHOLD, 4 * noise), 0.6 * high)
    weak_threshold = min(max(INK_THRESHOLD, 2.5 * noise), threshold)
    strong = smooth > threshold
    labels, count = label_components(strong)
    require(count > 0, "획이 보이지 않습니다. 숫자를 더 진하게 그려 주세요.")
    index = np.arange(1, count + 1)
    areas = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    rows, cols = np.nonzero(labels)
    lab = labels[rows, cols]
    tops, lefts = np.full(count + 1, labels.shape[0]), np.full(count + 1, labels.shape[1])
    bottoms, rights = np.full(count + 1, -1), np.full(count + 1, -1)
    np.minimum.at(tops, lab, rows)
    np.minimum.at(lefts, lab, cols)
    np.maximum.at(bottoms, lab, rows)
    np.maximum.at(rights, lab, cols)
    boxes = {int(i): (tops[i], lefts[i], bottoms[i], rights[i]) for i in index}
    biggest = int(index[np.argmax(areas)])
    top, left, bottom, right = boxes[biggest]
    reach = NEAR * max(bottom - top + 1, right - left + 1)
    chosen = [biggest]
    for lab in index:
        t, l, b, r = boxes[lab]
        gap = max(t - bottom, top - b, l - right, left - r, 0)
        if lab != biggest and gap <= reach and areas[lab - 1] >= MIN_PART * areas[biggest - 1]:
            chosen.append(int(lab))
    kept = np.isin(labels, chosen)
    weak_labels, _ = label_components(smooth > weak_threshold)  # 옅은 가장자리까지 포함한 덩어리
    keep_weak = np.unique(weak_labels[kept])
    return np.where(np.isin(weak_labels, keep_weak[keep_weak > 0]), np.clip(ink, 0.0, 1.0), 0.0).astype(np.float32)


def shrink(gray: np.ndarray, side: int | None = None) -> np.ndarray:
    """긴 변이 side(기본 ``WORK_SIDE``) 픽셀보다 길면 겹친 넓이로 평균해 줄입니다 (휴대폰 사진을 다루기 쉬운 크기로)."""
    side = WORK_SIDE if side is None else side
    gray = np.asarray(gray, dtype=np.float32)
    height, width = gray.shape
    if max(height, width) <= side:
        return gray
    scale = side / max(height, width)
    new_h, new_w = max(1, round(height * scale)), max(1, round(width * scale))
    return (area_resize_matrix(height, new_h) @ gray @ area_resize_matrix(width, new_w).T).astype(np.float32)


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
    """밝기 배열(1이 흰색) → 모델이 보는 28×28 ([0, 1], 획이 1).

    줄이기 → 잉크로 바꾸기(바탕 빼기) → 숫자 덩어리만 남기기 → MNIST처럼 자르고 가운데 두기.
    """
    return ink_to_mnist(keep_digit(to_ink(shrink(gray))))


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


def synthetic_photo(ink: np.ndarray, seed: int, orientation: int | None = None) -> bytes:
    """잉크 이미지(2차원, 1이 획)를 휴대폰으로 찍은 종이 사진처럼 만든 JPEG 바이트 (벤치마크와 예시용; 같은 seed면 같은 파일).

    회색 종이, 한쪽으로 어두워지는 조명, 가장자리가 어두운 비네팅, 부드러운 그림자, 종이 결, 센서 잡음,
    작은 기울기, JPEG 압축을 더하고, ``orientation`` (EXIF 방향 값, None이면 무작위)에 맞게 픽셀을 돌려 저장합니다.
    """
    from PIL import Image

    rng = np.random.default_rng(seed)
    height, width = int(rng.integers(360, 720)), int(rng.integers(360, 720))
    digit_side = int(min(height, width) * rng.uniform(0.35, 0.65))
    ink = np.asarray(ink, dtype=np.float32)
    scale = digit_side / max(ink.shape)
    big = Image.fromarray(ink).resize(
        (max(1, round(ink.shape[1] * scale)), max(1, round(ink.shape[0] * scale))), Image.Resampling.BICUBIC)
    big = big.rotate(float(rng.uniform(-12, 12)), resample=Image.Resampling.BICUBIC, expand=True)
    strokes = np.clip(np.asarray(big), 0.0, 1.0)
    canvas = np.zeros((height, width), np.float32)
    top = int(rng.integers(0, max(1, height - strokes.shape[0])))
    left = int(rng.integers(0, max(1, width - strokes.shape[1])))
    part = strokes[: height - top, : width - left]
    canvas[top:top + part.shape[0], left:left + part.shape[1]] = part
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    yy, xx = yy / height - 0.5, xx / width - 0.5
    angle = rng.uniform(0, 2 * np.pi)
    light = 1.0 + rng.uniform(0.0, 0.4) * (np.cos(angle) * xx + np.sin(angle) * yy)  # 조명 기울기
    light *= 1.0 - rng.uniform(0.0, 0.5) * (xx**2 + yy**2) * 2  # 비네팅
    if rng.random() < 0.5:  # 손이나 휴대폰의 부드러운 그림자
        edge = np.cos(angle + rng.uniform(-1, 1)) * xx + np.sin(angle + rng.uniform(-1, 1)) * yy
        soft = rng.uniform(0.02, 0.15)
        light *= 1.0 - rng.uniform(0.1, 0.35) / (1.0 + np.exp(-(edge - rng.uniform(-0.3, 0.3)) / soft))
    grain = np.asarray(Image.fromarray(rng.normal(0, 1, (height // 8 + 1, width // 8 + 1)).astype(np.float32))
                       .resize((width, height), Image.Resampling.BICUBIC))
    paper = rng.uniform(0.55, 0.95) * (1.0 + 0.03 * grain)  # 회색 종이와 종이 결
    darkness = rng.uniform(0.55, 0.9)  # 펜이나 연필의 진하기
    gray = paper * light * (1.0 - darkness * canvas)
    tint = rng.uniform(0.9, 1.05, size=3)  # 조명의 색
    rgb = gray[..., None] * tint + rng.normal(0, rng.uniform(0.01, 0.05), (height, width, 3))  # 센서 잡음
    image = Image.fromarray((np.clip(rgb, 0, 1) * 255).astype(np.uint8), "RGB")
    orientation = int(rng.choice([1, 1, 3, 6, 8])) if orientation is None else int(orientation)
    # EXIF 방향대로 돌려 보이면 똑바로 서도록, 반대로 돌려 저장합니다
    stored = {1: image, 3: image.transpose(Image.Transpose.ROTATE_180),
              6: image.transpose(Image.Transpose.ROTATE_90),
              8: image.transpose(Image.Transpose.ROTATE_270)}[orientation]
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    stored.save(buffer, format="JPEG", quality=int(rng.integers(50, 90)), exif=exif.tobytes())
    return buffer.getvalue()
