"""올린 사진 전처리의 정확도: 종이에 쓴 숫자를 휴대폰으로 찍은 것 같은 합성 사진과 깨끗한 이미지 (4.2.6절, 손으로 실행).

    CNNBOOK_DATA=... CNNBOOK_CACHE=... .venv/bin/python benchmarks/photo_digits.py [--hand 800] [--out benchmarks/photo_digits.json]

사진은 메모리에서만 만들고 저장하지 않습니다(시드로 다시 만들 수 있음). 숫자는 두 가지입니다.
- 손글씨: MNIST 학습 데이터의 마지막 5,000장(검증 데이터; 모델은 이 이미지로 학습하지 않았음)에서 시드로 고른 숫자
- 글꼴: 이 기계에 있는 글꼴(fc-match로 찾음)로 쓴 0–9

같은 숫자를 (1) ``cnnbook.digit_input.synthetic_photo`` 로 만든 사진(JPEG, EXIF 방향 포함)과 (2) 깨끗한 스캔(흰 바탕에
검은 획, PNG)으로 만들어, 예전 전처리(EXIF 무시, 테두리로 뒤집고 최소–최대로 늘림)와 지금 전처리의 정확도를 같은 이미지에서
짝지어 비교합니다(``cnnbook.stats.paired_difference``). 결과는 JSON으로 씁니다.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cnnbook import digit_input as di  # noqa: E402
from cnnbook.drawn_digits import STROKES  # noqa: E402  (그리기 판에서 그린 것 같은 획)

FONTS = ("DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "Liberation Sans", "Liberation Serif",
         "Liberation Mono", "Noto Sans CJK KR", "Noto Serif CJK KR")


# ---- 예전 전처리 (이 벤치마크를 만들기 전의 cnnbook.digit_input) ----
def old_to_ink(gray):
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    ink = 1.0 - gray if np.median(border) > 0.5 else gray.copy()
    low, high = float(ink.min()), float(ink.max())
    if high - low < di.MIN_CONTRAST:
        raise di.BookError("비어 있음")
    return np.clip((ink - low) / (high - low), 0.0, 1.0)


def old_read(data):
    from PIL import Image

    image = Image.open(io.BytesIO(data))  # EXIF 방향은 보지 않았습니다
    return di._luminance(np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0)


def old_preprocess(data):
    return di.ink_to_mnist(old_to_ink(old_read(data)))


def new_preprocess(data):
    return di.preprocess_upload(data)[0]


# ---- 숫자 만들기 ----
def font_files():
    found = {}
    for family in FONTS:
        try:
            out = subprocess.run(["fc-match", "-f", "%{family}|%{file}", family], capture_output=True,
                                 text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            continue
        name, _, path = out.partition("|")
        if family.lower() in name.lower() and Path(path).is_file():
            found[family] = path
    return found


def font_digit(path, digit, size=280):
    """글꼴로 쓴 숫자의 잉크 이미지 (흰 종이에 검은 글자를 뒤집은 것, 1이 획)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (size, size), 0)
    font = ImageFont.truetype(path, int(size * 0.7))
    ImageDraw.Draw(image).text((size / 2, size / 2), str(digit), fill=255, font=font, anchor="mm")
    return np.asarray(image, dtype=np.float32) / 255.0


def clean_scan(ink, side=280):
    """깨끗한 스캔: 흰 바탕에 검은 획을 PNG로 (손글씨 28×28은 부드럽게 키움)."""
    from PIL import Image

    ink = np.asarray(ink, dtype=np.float32)
    if ink.shape[0] != side:
        ink = np.asarray(Image.fromarray(ink).resize((side, side), Image.Resampling.BICUBIC))
    gray = (np.clip(1.0 - ink, 0, 1) * 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(gray).save(buffer, format="PNG")
    return buffer.getvalue()


def stroke_png(strokes):
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray((di.render_strokes(strokes) * 255).astype(np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def predict(model, images):
    return model.predict(np.stack(images)[..., None], batch_size=500, verbose=0).argmax(1)


def run_set(model, items, make):
    """items: (레이블, 원본) 목록. make(원본, i) → 파일 바이트. 두 전처리의 정답 여부와 실패 수."""
    from cnnbook.errors import BookError

    olds, news, refused = [], [], {"old": 0, "new": 0}
    start = time.perf_counter()
    for i, (_, source) in enumerate(items):
        data = make(source, i)
        for name, fn, out in (("old", old_preprocess, olds), ("new", new_preprocess, news)):
            try:
                out.append(fn(data))
            except BookError:
                refused[name] += 1
                out.append(np.zeros((28, 28), np.float32))  # 거절한 이미지는 틀린 것으로 셉니다
    seconds = time.perf_counter() - start
    labels = np.array([label for label, _ in items])
    old_ok, new_ok = predict(model, olds) == labels, predict(model, news) == labels
    return old_ok, new_ok, refused, seconds, np.stack(olds), np.stack(news)


def summary(old_ok, new_ok, refused=None, seconds=None):
    from cnnbook.stats import paired_difference

    diff = paired_difference(old_ok, new_ok)
    out = {"n": int(len(old_ok)), "old_accuracy": float(old_ok.mean()), "new_accuracy": float(new_ok.mean()),
           "diff": diff.diff, "low": diff.low, "high": diff.high, "p_value": diff.p_value,
           "new_only": diff.b_only, "old_only": diff.a_only, "verdict": diff.verdict}
    if refused is not None:
        out["refused"] = refused
    if seconds is not None:
        out["seconds_both_pipelines"] = round(seconds, 1)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hand", type=int, default=800, help="손글씨 숫자 수 (검증 데이터에서)")
    parser.add_argument("--per-font", type=int, default=2, help="글꼴마다 숫자 0–9를 몇 벌 찍을지")
    parser.add_argument("--out", default=str(Path(__file__).with_name("photo_digits.json")))
    args = parser.parse_args(argv)

    import cnnbook
    from cnnbook.mnist_model import VALIDATION_SIZE

    model = cnnbook.trained_mnist_cnn(verbose=False)
    (x_train, y_train), _ = cnnbook.load_mnist()
    x_val, y_val = x_train[-VALIDATION_SIZE:].astype(np.float32) / 255.0, y_train[-VALIDATION_SIZE:]
    pick = np.random.default_rng(2026).permutation(VALIDATION_SIZE)[: args.hand]
    hand = [(int(y_val[i]), x_val[i]) for i in pick]
    fonts = font_files()
    typed = [(d, font_digit(path, d)) for path in fonts.values() for d in range(10)] * args.per_font

    results = {}
    for name, items, seed0 in (("hand", hand, 0), ("font", typed, 100_000)):
        if not items:
            continue
        photo = run_set(model, items, lambda src, i, s=seed0: di.synthetic_photo(src, seed=s + i))
        clean = run_set(model, items, lambda src, i: clean_scan(src))
        results[f"photo_{name}"] = summary(*photo[:4])
        results[f"clean_{name}"] = summary(*clean[:4])
        results[f"clean_{name}"]["max_abs_input_change"] = float(np.abs(clean[4] - clean[5]).max())
        results[f"clean_{name}"]["mean_abs_input_change"] = float(np.abs(clean[4] - clean[5]).mean())
    strokes = [(d, s) for d, s in STROKES.items()]
    drawn = run_set(model, strokes, lambda src, i: stroke_png(src))
    results["drawn_strokes"] = summary(*drawn[:2])
    results["drawn_strokes"]["max_abs_input_change"] = float(np.abs(drawn[4] - drawn[5]).max())

    info = getattr(model, "cache_info", {})
    report = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "benchmarks/photo_digits.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "model": {k: info.get(k) for k in ("train_images", "steps", "partial", "checked_accuracy", "path")},
        "fonts": sorted(fonts),
        "hand_digits_from": f"MNIST 검증 데이터(학습 데이터의 마지막 {VALIDATION_SIZE:,}장) 중 시드 2026으로 고른 {len(hand)}장",
        "results": results,
    }
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for key, value in results.items():
        print(f"{key:14s} n={value['n']:4d} 예전 {value['old_accuracy']:.1%} → 지금 {value['new_accuracy']:.1%} "
              f"({value['diff'] * 100:+.1f}%p, 95% 구간 {value['low'] * 100:+.1f} – {value['high'] * 100:+.1f})")
    print(f"결과: {args.out}")


if __name__ == "__main__":
    main()
