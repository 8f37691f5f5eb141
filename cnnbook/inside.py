"""학습된 합성곱 신경망 들여다보기(4.2.6–4.2.7절)의 계산: 위젯 콜백이 부르는 순수 함수들.

특징 맵 추출, 수용 영역, 채널이 좋아하는 조각, 이동·회전·크기·잡음 변환, 현저성 맵, Grad-CAM,
가림 맵과 그 비교. ``# @save-begin`` 과 ``# @save-end`` 사이는 4.2.6절과 4.2.7절 노트북의 ``#@save`` 셀을 글자 그대로
옮긴 강의 코드입니다 (``scripts/export_lessons.py`` 가 다시 씀). 고칠 때는 노트북 셀을 고치세요.
그 밖의 함수는 입력을 확인하는 얇은 함수와 위젯 콜백입니다.
"""
from __future__ import annotations

import weakref

import numpy as np
import tensorflow as tf

from cnnbook.errors import BookError, require

FEATURE_LAYERS = ("conv1", "pool1", "conv2", "pool2")
# @save-begin 04_2_6_inside_cnn.ipynb feature-extractor
def feature_extractor(model, names=("conv1", "pool1", "conv2", "pool2")):
    # 같은 입력을 받아 중간 계층들의 출력을 목록으로 내놓는 함수형 모델 (가중치는 원래 모델과 공유)
    return tf.keras.Model(model.inputs[0], [model.get_layer(name).output for name in names])
# @save-end


def checked_extractor(model, names=FEATURE_LAYERS):
    """계층 이름을 확인한 뒤 :func:`feature_extractor`."""
    for name in names:
        require(name in [layer.name for layer in model.layers], f"모델에 '{name}' 계층이 없습니다.")
    if not getattr(model, "inputs", None):  # 입력을 정하지 않은 Sequential이면 한 번 불러 만듭니다
        model(np.zeros((1, 28, 28, 1), np.float32))
    return feature_extractor(model, names)


def check_images(images) -> np.ndarray:
    """[N, 28, 28] 이나 [N, 28, 28, 1] (또는 한 장) → float32 [N, 28, 28, 1]."""
    x = np.asarray(images, dtype=np.float32)
    if x.ndim == 2:
        x = x[None]
    if x.ndim == 3:
        x = x[..., None]
    require(x.ndim == 4 and x.shape[1:] == (28, 28, 1), f"입력 모양이 {np.shape(images)} 입니다 ([N, 28, 28] 이어야 함).")
    return x


def activations(extractor, images, batch_size: int = 1000) -> list[np.ndarray]:
    """이미지들의 중간 계층 출력 목록 (계층마다 [N, H, W, C])."""
    x = check_images(images)
    parts = [extractor(x[i:i + batch_size], training=False) for i in range(0, len(x), batch_size)]
    if not isinstance(parts[0], (list, tuple)):
        parts = [[p] for p in parts]
    return [np.concatenate([np.asarray(p[k]) for p in parts]) for k in range(len(parts[0]))]


# @save-begin 04_2_6_inside_cnn.ipynb receptive-field
# (이름, 종류, 필터 크기, 스트라이드, 앞쪽 패딩): 4.2.4절 모델에서 특징 맵을 만드는 네 계층
LAYER_GEOMETRY = (
    ("conv1", "conv", 5, 1, 2),
    ("pool1", "pool", 2, 2, 0),
    ("conv2", "conv", 5, 1, 2),
    ("pool2", "pool", 2, 2, 0),
)


def receptive_fields(geometry=LAYER_GEOMETRY, image_size=28):
    # 계층마다 수용 영역 크기(size), 이웃 뉴런 사이의 입력 픽셀 거리(jump),
    # 첫 뉴런이 보는 영역의 시작 위치(start), 특징 맵 한 변(side)
    size, jump, start, side = 1, 1, 0, image_size
    out = {}
    for name, _kind, kernel, stride, pad in geometry:
        start -= pad * jump  # 앞쪽 패딩만큼 영역이 입력 밖으로 나갑니다
        size += (kernel - 1) * jump  # 필터가 한 칸 넓을 때마다 jump 픽셀씩 더 봅니다
        jump *= stride
        side = -(-side // stride)  # SAME 패딩: 올림(입력 / 스트라이드)
        out[name] = {"size": size, "jump": jump, "start": start, "side": side}
    return out
# @save-end


def receptive_box(layer: str, i: int, j: int, image_size: int = 28, geometry=LAYER_GEOMETRY):
    """``layer`` 의 뉴런 ``(i, j)`` 가 보는 입력 영역 (위, 왼쪽, 아래, 오른쪽; 끝은 포함, 이미지 밖은 잘라 냄)."""
    fields = receptive_fields(geometry, image_size)
    require(layer in fields, f"'{layer}' 은(는) 수용 영역을 아는 계층이 아닙니다: {list(fields)}")
    f = fields[layer]
    n = f["side"]
    require(0 <= i < n and 0 <= j < n, f"{layer} 의 뉴런 ({i}, {j})이 특징 맵({n}×{n}) 밖입니다.")
    top, left = f["start"] + i * f["jump"], f["start"] + j * f["jump"]
    bottom, right = top + f["size"] - 1, left + f["size"] - 1
    clip = lambda v: int(min(max(v, 0), image_size - 1))  # noqa: E731
    return clip(top), clip(left), clip(bottom), clip(right)


def channel_peaks(layer_acts) -> dict:
    """특징 맵 [N, H, W, C] → 이미지·채널마다 최댓값과 그 위치 {'values': [N, C], 'where': [N, C], 'width': W}."""
    acts = np.asarray(layer_acts)
    require(acts.ndim == 4, f"특징 맵은 [N, H, W, C] 이어야 하는데 모양이 {acts.shape} 입니다.")
    flat = acts.reshape(len(acts), -1, acts.shape[3])
    return {"values": flat.max(axis=1), "where": flat.argmax(axis=1), "width": acts.shape[2]}


def layer_peaks(extractor, images, names=FEATURE_LAYERS, batch_size: int = 500) -> dict:
    """많은 이미지의 계층별 :func:`channel_peaks` 를 미니배치로 나눠 계산합니다 (특징 맵 전체를 들고 있지 않음)."""
    x = check_images(images)
    parts = {name: [] for name in names}
    for i in range(0, len(x), batch_size):
        for name, acts in zip(names, activations(extractor, x[i:i + batch_size], batch_size)):
            parts[name].append(channel_peaks(acts))
    return {
        name: {"values": np.concatenate([p["values"] for p in ps]), "where": np.concatenate([p["where"] for p in ps]),
               "width": ps[0]["width"]}
        for name, ps in parts.items()
    }


def top_patches(peaks: dict, images, layer: str, channel: int, k: int = 9):
    """채널 ``channel`` 을 가장 세게 켜는 서로 다른 이미지 ``k`` 장의 수용 영역 조각.

    ``peaks`` 는 :func:`channel_peaks` 의 결과. 돌려주는 값: (조각 [k, size, size] (이미지 밖은 0),
    이미지 번호 [k], 최댓값 [k], 특징 맵 위치 [k, 2]).
    """
    values = np.asarray(peaks["values"])
    require(0 <= channel < values.shape[1], f"채널 번호 {channel} 이(가) 0–{values.shape[1] - 1} 밖입니다.")
    x = check_images(images)[..., 0]
    require(len(x) == len(values), "이미지 수와 특징 맵 수가 다릅니다.")
    order = np.argsort(-values[:, channel], kind="stable")[:k]
    f = receptive_fields()[layer]
    size = f["size"]
    padded = np.pad(x[order], [(0, 0), (size, size), (size, size)])
    patches, where = [], []
    for m, n in enumerate(order):
        i, j = divmod(int(peaks["where"][n, channel]), peaks["width"])
        top, left = f["start"] + i * f["jump"] + size, f["start"] + j * f["jump"] + size
        patches.append(padded[m, top:top + size, left:left + size])
        where.append((i, j))
    return np.stack(patches), order, values[order, channel], np.array(where)


def affine_images(images, angle: float = 0.0, scale: float = 1.0, shift=(0.0, 0.0)) -> np.ndarray:
    """이미지들을 가운데를 중심으로 ``angle`` 도 돌리고 ``scale`` 배 키운 뒤 ``shift`` (아래, 오른쪽) 픽셀 옮깁니다.

    쌍선형 보간을 쓰고, 밖에서 들어오는 곳은 0(바탕)입니다. 돌려주는 모양은 입력과 같습니다.
    """
    x = check_images(images)[..., 0]
    require(scale > 0, f"크기 배율 {scale} 은(는) 양수여야 합니다.")
    n, h, w = x.shape
    theta = np.deg2rad(angle)
    cos, sin = np.cos(theta), np.sin(theta)
    cy, cx = (h - 1) / 2, (w - 1) / 2
    yy, xx = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    # 출력 픽셀 → 입력 좌표 (역변환)
    dy, dx = (yy - cy - shift[0]) / scale, (xx - cx - shift[1]) / scale
    src_y = cos * dy - sin * dx + cy
    src_x = sin * dy + cos * dx + cx
    y0, x0 = np.floor(src_y).astype(int), np.floor(src_x).astype(int)
    fy, fx = src_y - y0, src_x - x0
    out = np.zeros_like(x)
    for oy, ox, weight in ((0, 0, (1 - fy) * (1 - fx)), (1, 0, fy * (1 - fx)), (0, 1, (1 - fy) * fx), (1, 1, fy * fx)):
        yi, xi = y0 + oy, x0 + ox
        inside = (yi >= 0) & (yi < h) & (xi >= 0) & (xi < w)
        out += np.where(inside, x[:, np.clip(yi, 0, h - 1), np.clip(xi, 0, w - 1)], 0.0) * weight
    return out[..., None].astype(np.float32)


def add_noise(images, sigma: float, seed: int = 0) -> np.ndarray:
    """표준편차 ``sigma`` 인 가우스 잡음을 더하고 [0, 1]로 자릅니다."""
    x = check_images(images)
    require(sigma >= 0, f"잡음의 표준편차 {sigma} 은(는) 0 이상이어야 합니다.")
    noise = np.random.default_rng(seed).normal(0.0, sigma, size=x.shape).astype(np.float32)
    return np.clip(x + noise, 0.0, 1.0)


def transform(images, kind: str, amount: float, seed: int = 0) -> np.ndarray:
    """불변성 실험의 변환 하나: ``shift`` (오른쪽으로 픽셀), ``rotation`` (도), ``scale`` (배), ``noise`` (표준편차)."""
    if kind == "shift":
        return affine_images(images, shift=(0.0, amount))
    if kind == "rotation":
        return affine_images(images, angle=amount)
    if kind == "scale":
        return affine_images(images, scale=amount)
    if kind == "noise":
        return add_noise(images, amount, seed=seed)
    raise BookError(f"알 수 없는 변환 '{kind}' (shift, rotation, scale, noise 중 하나)")


def logit_model(model):
    """(입력 → [conv2 특징 맵, 로짓]) 함수형 모델. 현저성 맵과 Grad-CAM에 씁니다."""
    return checked_extractor(model, ("conv2", "fc2"))


# @save-begin 04_2_7_digits_and_attention.ipynb saliency
def saliency_map(logits_model, image, label):
    # 클래스 점수(로짓)를 입력 픽셀로 미분한 값의 크기: 어느 픽셀을 조금 바꾸면 점수가 크게 바뀌는가
    x = tf.convert_to_tensor(image.reshape(1, 28, 28, 1), dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)  # 변수가 아닌 입력도 미분하도록 지켜봅니다
        _, logits = logits_model(x, training=False)
        score = logits[0, label]
    return np.abs(tape.gradient(score, x).numpy()[0, :, :, 0])
# @save-end


# @save-begin 04_2_7_digits_and_attention.ipynb grad-cam
def grad_cam(logits_model, image, label):
    # conv2 채널마다 "점수를 올리는 방향"의 평균 기울기를 무게로 특징 맵을 더하고, 음수는 버립니다
    x = tf.convert_to_tensor(image.reshape(1, 28, 28, 1), dtype=tf.float32)
    with tf.GradientTape() as tape:
        features, logits = logits_model(x, training=False)
        score = logits[0, label]
    grads = tape.gradient(score, features).numpy()[0]  # [14, 14, 64]
    weights = grads.mean(axis=(0, 1))  # 채널마다 하나
    cam = np.maximum(features.numpy()[0] @ weights, 0.0)  # [14, 14]
    return np.kron(cam, np.ones((2, 2)))  # 입력 크기 28×28로 늘림
# @save-end


# @save-begin 04_2_7_digits_and_attention.ipynb occlusion
def occlusion_map(model, image, label, patch=6, stride=2):
    # patch×patch 네모를 0으로 가리고, 가린 자리마다 정답 확률이 얼마나 떨어지는지 평균합니다
    image = image.reshape(28, 28)
    starts = range(0, 28 - patch + 1, stride)
    corners = [(i, j) for i in starts for j in starts]
    batch = np.repeat(image[None], len(corners), axis=0)
    for n, (i, j) in enumerate(corners):
        batch[n, i:i + patch, j:j + patch] = 0.0
    base = model(image.reshape(1, 28, 28, 1), training=False).numpy()[0, label]
    probs = model(batch[..., None], training=False).numpy()[:, label]  # 가린 이미지 전부를 한 번에
    drop, count = np.zeros((28, 28)), np.zeros((28, 28))
    for (i, j), p in zip(corners, probs):
        drop[i:i + patch, j:j + patch] += base - p
        count[i:i + patch, j:j + patch] += 1
    return np.maximum(drop / count, 0.0)
# @save-end


_COMPILED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def compiled_call(model):
    """``model(x, training=...)`` 와 같은 계산을 하는 tf.function (모델마다 한 번 만들어 둡니다).

    위젯 콜백은 같은 모델을 작은 입력으로 여러 번 부르므로, 즉시 실행의 호출 비용을 줄이려고 씁니다.
    계산(가중치, 계층)은 모델 그대로이고, GradientTape 로 미분도 됩니다.
    """
    call = _COMPILED.get(model)
    if call is None:
        call = tf.function(lambda x, training=False: model(x, training=training), reduce_retracing=True)
        _COMPILED[model] = call
    return call


def explain(model, logits_model, image, label: int, patch: int = 6, stride: int = 2) -> dict:
    """입력을 확인하고 세 지도를 계산합니다: {'saliency', 'gradcam', 'occlusion'} → [28, 28] float32.

    계산은 이 장의 세 함수 그대로이고, 현저성 맵과 가림 지도에서는 모델을 :func:`compiled_call` 로 감싸 빠르게 부릅니다.
    """
    x = check_images(image)[0, :, :, 0]
    require(0 <= int(label) < 10, f"클래스 {label} 이(가) 0–9 밖입니다.")
    require(1 <= patch <= 28 and 1 <= stride <= patch, f"가리개 {patch}, 스트라이드 {stride} 이(가) 올바르지 않습니다.")
    # Grad-CAM 은 중간 출력(conv2)으로 미분하므로 감싸지 않은 모델로 부릅니다 (감싸면 중간 출력이 함수 밖에 없음)
    return {
        "saliency": saliency_map(compiled_call(logits_model), x, int(label)).astype(np.float32),
        "gradcam": grad_cam(logits_model, x, int(label)).astype(np.float32),
        "occlusion": occlusion_map(compiled_call(model), x.copy(), int(label), patch, stride).astype(np.float32),
    }


def normalise(heat) -> np.ndarray:
    """0–1로 늘린 지도 (모두 0이면 그대로)."""
    heat = np.asarray(heat, dtype=np.float32)
    top = heat.max()
    return heat / top if top > 0 else heat


def top_region(heat, fraction: float = 0.1) -> np.ndarray:
    """값이 큰 위쪽 ``fraction`` 의 픽셀 (불리언 [28, 28])."""
    heat = np.asarray(heat, dtype=np.float32)
    k = max(1, int(round(fraction * heat.size)))
    threshold = np.sort(heat.ravel())[-k]
    return (heat >= threshold) & (heat > 0)


def overlap(a, b, fraction: float = 0.1) -> float:
    """두 지도의 위쪽 ``fraction`` 픽셀 집합의 겹침 (IoU, 0–1)."""
    ra, rb = top_region(a, fraction), top_region(b, fraction)
    union = (ra | rb).sum()
    return float((ra & rb).sum() / union) if union else 0.0


MAP_NAMES = {"saliency": "현저성 맵", "gradcam": "Grad-CAM", "occlusion": "가림 맵"}


def disagreement_sentence(maps: dict, image, fraction: float = 0.1) -> tuple[str, dict]:
    """세 지도가 어디서 어긋나는지 계산해 한국어 문장 하나와 쌍별 겹침 사전을 돌려줍니다.

    지도마다 위쪽 ``fraction`` 픽셀 가운데 획(입력 > 0.2) 위에 놓인 비율도 함께 말합니다.
    """
    require(set(maps) == set(MAP_NAMES), f"지도는 {list(MAP_NAMES)} 세 가지여야 합니다.")
    ink = check_images(image)[0, :, :, 0] > 0.2
    names = list(MAP_NAMES)
    pairs = {(a, b): overlap(maps[a], maps[b], fraction) for i, a in enumerate(names) for b in names[i + 1:]}
    on_ink = {n: float((top_region(maps[n], fraction) & ink).sum() / max(top_region(maps[n], fraction).sum(), 1))
              for n in names}
    (a, b), best = max(pairs.items(), key=lambda kv: kv[1])
    odd = next(n for n in names if n not in (a, b))
    odd_best = max(v for pair, v in pairs.items() if odd in pair)
    ink_part = ", ".join(f"{MAP_NAMES[n]} {on_ink[n]:.0%}" for n in names)
    sentence = (
        # 세 이름(현저성 맵, Grad-CAM, 가림 맵)은 모두 받침으로 끝나므로 조사는 과/이/은 입니다
        f"값이 큰 {fraction:.0%} 픽셀끼리 비교하면 {MAP_NAMES[a]}과 {MAP_NAMES[b]}이 가장 많이 겹치고 "
        f"(IoU {best:.2f}), {MAP_NAMES[odd]}은 다른 둘과 많아야 IoU {odd_best:.2f}만큼 겹칩니다. "
        f"그 픽셀 가운데 획 위에 놓인 비율은 {ink_part}입니다."
    )
    return sentence, {"pairs": pairs, "on_ink": on_ink}


def reference_filters() -> dict[str, np.ndarray]:
    """비교에 쓰는 손으로 만든 3×3 필터: 4.1절의 경계 필터 네 방향과 4.2.1절의 흐림(평균) 필터."""
    from cnnbook.reference import BLUR, EDGE_FILTERS

    filters = {name: np.asarray(f, np.float32) for name, f in EDGE_FILTERS.items()}
    filters["흐림"] = np.asarray(BLUR, np.float32)
    return filters


def filter_kinds(filters, images, threshold: float = 0.7, references=None):
    """필터마다 실제 이미지에 낸 반응이 어느 손으로 만든 필터의 반응과 가장 닮았는지.

    ``filters`` [k, k, 1, C] 를 이미지들에 SAME으로 대어 얻은 반응(ReLU 전)과, 각 기준 필터의 반응 사이의
    피어슨 상관계수 절댓값을 잽니다 (부호만 다른 필터도 같은 모양으로 봄). 돌려주는 값:
    (가장 닮은 기준의 이름 목록 (``threshold`` 미만이면 None), 가장 큰 |상관계수| [C]).
    """
    w = np.asarray(filters, dtype=np.float32)
    require(w.ndim == 4 and w.shape[2] == 1, f"필터 모양이 {w.shape} 입니다 ([k, k, 1, C] 이어야 함).")
    x = check_images(images)
    references = reference_filters() if references is None else references
    names = list(references)
    stacked = np.stack([np.asarray(f, np.float32) for f in references.values()], axis=-1)[:, :, None, :]

    def standardised(kernel):
        r = tf.nn.conv2d(x, kernel, 1, "SAME").numpy().reshape(-1, kernel.shape[-1])
        return (r - r.mean(axis=0)) / (r.std(axis=0) + 1e-12)

    corr = np.abs(standardised(w).T @ standardised(stacked)) / (x.shape[0] * 28 * 28)  # [C, 기준 수]
    best = corr.max(axis=1)
    kinds = [names[i] if b >= threshold else None for i, b in zip(corr.argmax(axis=1), best)]
    return kinds, best


def predict_digit(model, conv1_extractor, image) -> dict:
    """28×28 입력 하나의 {'probs': [10], 'maps': conv1 [28, 28, 32]} (DigitView.update 에 그대로 넘김)."""
    x = check_images(image)[:1]
    return {
        "probs": np.asarray(model(x, training=False))[0],
        "maps": np.asarray(conv1_extractor(x, training=False))[0],
    }
