"""4.2.6절 숫자 입력 전처리와 입력 검사."""
from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from cnnbook import BookError
from cnnbook import digit_input as di
from cnnbook.drawn_digits import STROKES


def png_bytes(array, mode=None) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array, mode=mode).save(buffer, format="PNG")
    return buffer.getvalue()


def white_digit_one(size=200):
    """흰 바탕에 검은 세로 막대 (숫자 1) 하나."""
    gray = np.full((size, size), 255, np.uint8)
    gray[40:160, 90:110] = 0
    return gray


def test_preprocess_white_background_digit():
    image, notes = di.preprocess_upload(png_bytes(white_digit_one()))
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert 0.0 <= image.min() and image.max() <= 1.0 and image.max() > 0.9
    rows = np.flatnonzero(image.max(axis=1) > 0.1)
    assert rows[-1] - rows[0] + 1 == 20  # 긴 변이 20 픽셀
    mass = image.sum()
    cy = (image.sum(axis=1) @ np.arange(28)) / mass
    cx = (image.sum(axis=0) @ np.arange(28)) / mass
    assert abs(cy - 13.5) <= 0.5 and abs(cx - 13.5) <= 0.5  # 무게중심이 가운데
    assert notes == []


def test_dark_background_is_not_inverted():
    dark = 255 - white_digit_one()
    a, _ = di.preprocess_upload(png_bytes(dark))
    b, _ = di.preprocess_upload(png_bytes(white_digit_one()))
    assert np.allclose(a, b, atol=1e-6)


def test_aspect_ratio_kept():
    gray = np.full((100, 100), 255, np.uint8)
    gray[45:55, 10:90] = 0  # 가로 막대 80×10
    image, _ = di.preprocess_upload(png_bytes(gray))
    rows = np.flatnonzero(image.max(axis=1) > 0.1)
    cols = np.flatnonzero(image.max(axis=0) > 0.1)
    assert cols[-1] - cols[0] + 1 == 20 and rows[-1] - rows[0] + 1 <= 4


def test_mnist_digit_stays_close(tmp_path):
    # MNIST 숫자를 흰 바탕에 크게 그려 넣어도 다시 거의 같은 28×28 이 나옵니다.
    digit = np.zeros((28, 28), np.float32)
    digit[6:22, 12:16] = 1.0
    big = np.kron(digit, np.ones((10, 10), np.float32))
    back = di.preprocess_gray(1.0 - big)
    assert np.abs(back - di.ink_to_mnist(digit)).max() < 0.05


@pytest.mark.parametrize("value", [0, 255, 128])
def test_uniform_images_are_refused(value):
    with pytest.raises(BookError, match="비어"):
        di.preprocess_upload(png_bytes(np.full((50, 50), value, np.uint8)))


def test_empty_drawing_is_refused():
    rgba = np.zeros((280, 280, 4), np.uint8)  # 아무것도 그리지 않은 투명한 판
    with pytest.raises(BookError, match="비어"):
        di.preprocess_rgba(rgba)
    white = np.full((280, 280, 4), 255, np.uint8)
    with pytest.raises(BookError, match="비어"):
        di.preprocess_rgba(white)


def test_not_an_image():
    with pytest.raises(BookError, match="이미지 파일이 아닙니다"):
        di.preprocess_upload(b"hello, this is text\n" * 10)
    with pytest.raises(BookError, match="빈 파일"):
        di.preprocess_upload(b"")
    with pytest.raises(BookError, match="바이트"):
        di.preprocess_upload("not bytes")


def test_file_over_10_mb():
    with pytest.raises(BookError, match="MB"):
        di.preprocess_upload(b"\x89PNG" + b"\0" * (10 * 1024 * 1024 + 1))


def huge_png_header(width, height) -> bytes:
    """픽셀 데이터가 거의 없는, 머리만 거대한 PNG (압축 폭탄 흉내)."""
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    # 모두 0인 행들을 압축한 데이터: 파일은 작지만 풀면 거대해집니다
    raw = zlib.compress(b"\0" * (width + 1) * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def test_huge_image_refused_before_decoding():
    data = huge_png_header(10_000, 10_000)
    assert len(data) < 100_000
    with pytest.raises(BookError, match="10000×10000"):
        di.preprocess_upload(data)


def test_decompression_bomb_refused():
    with pytest.raises(BookError, match="너무 커서|너무 큽니다"):
        di.preprocess_upload(huge_png_header(60_000, 60_000))


def test_colour_png_converted_with_note():
    rgb = np.full((100, 100, 3), 255, np.uint8)
    rgb[20:80, 45:55] = (200, 0, 0)  # 흰 바탕에 빨간 획
    image, notes = di.preprocess_upload(png_bytes(rgb))
    assert image.max() > 0.9 and any("색" in n for n in notes)


def test_transparent_png_converted_with_note():
    rgba = np.zeros((100, 100, 4), np.uint8)
    rgba[20:80, 45:55] = (0, 0, 0, 255)  # 투명한 바탕에 검은 획
    image, notes = di.preprocess_upload(png_bytes(rgba))
    assert image.max() > 0.9 and any("투명" in n for n in notes)
    with pytest.raises(BookError, match="투명"):
        di.preprocess_upload(png_bytes(np.zeros((50, 50, 4), np.uint8)))


def test_truncated_png():
    data = png_bytes(white_digit_one())
    with pytest.raises(BookError):
        di.preprocess_upload(data[: len(data) // 2])


def test_area_resize_matrix_rows_sum_to_one():
    m = di.area_resize_matrix(57, 20)
    assert m.shape == (20, 57) and np.allclose(m.sum(axis=1), 1.0)
    assert np.allclose(di.area_resize_matrix(20, 20), np.eye(20))


def test_render_strokes_draws_dark_lines():
    gray = di.render_strokes([[(140, 40), (140, 240)]])
    assert gray.shape == (280, 280) and gray.min() < 0.05 and gray[0, 0] == 1.0
    image = di.preprocess_gray(gray)
    assert image.shape == (28, 28) and image.max() > 0.9


def test_upload_contents_both_ipywidgets_versions():
    data = png_bytes(white_digit_one())
    v8 = ({"name": "a.png", "type": "image/png", "size": len(data), "content": memoryview(data)},)
    v7 = {"a.png": {"metadata": {"name": "a.png"}, "content": data}}
    assert di.upload_contents(v8) == data and di.upload_contents(v7) == data
    assert di.upload_contents(()) is None and di.upload_contents({}) is None
    with pytest.raises(BookError):
        di.upload_contents(({"name": "x"},))


# ---- 휴대폰 사진: EXIF 방향, 고르지 않은 조명, 잡음 ----
def exif_png(array, orientation) -> bytes:
    image = Image.fromarray(array)
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", exif=exif.tobytes())
    return buffer.getvalue()


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_matches_pillow(orientation):
    from PIL import ImageOps

    rng = np.random.default_rng(orientation)
    array = (rng.random((30, 47)) * 255).astype(np.uint8)  # 가로세로가 다르고 대칭이 없는 이미지
    data = exif_png(array, orientation)
    gray, notes = di.read_image_bytes(data)
    expected = np.asarray(ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("L"), np.float32) / 255
    assert gray.shape == expected.shape and np.abs(gray - expected).max() < 1 / 255
    assert any("EXIF" in n for n in notes) == (orientation != 1)


def test_rotated_phone_photo_reads_upright():
    upright = white_digit_one()
    upright[40:60, 60:110] = 0  # 윗부분이 왼쪽으로 꺾인 1 (위아래가 구별됨)
    stored = np.rot90(upright, 1)  # 휴대폰이 옆으로 누운 채 저장한 픽셀
    a, notes = di.preprocess_upload(exif_png(np.ascontiguousarray(stored), 6))
    b, _ = di.preprocess_upload(png_bytes(upright))
    assert np.abs(a - b).max() < 1e-5 and any("EXIF" in n for n in notes)


def test_broken_exif_keeps_pixels_with_note():
    buffer = io.BytesIO()
    Image.fromarray(white_digit_one()).save(buffer, format="PNG", exif=b"garbage!!")  # 읽을 수 없는 EXIF
    gray, notes = di.read_image_bytes(buffer.getvalue())
    assert gray.shape == (200, 200) and any("손상" in n for n in notes)


def uneven_photo(gray, strength=0.5, noise=0.03, seed=0):
    """흰 종이의 밝기 배열에 한쪽이 어두운 조명, 회색 종이, 잡음을 더합니다."""
    rng = np.random.default_rng(seed)
    h, w = gray.shape
    light = np.linspace(1.0, 1.0 - strength, w)[None, :] * np.ones((h, 1))
    return np.clip(0.7 * light * gray + rng.normal(0, noise, gray.shape), 0, 1).astype(np.float32)


def test_uneven_light_and_noise_give_the_clean_input():
    gray = di.render_strokes([[(170, 40), (70, 170), (220, 170)], [(170, 40), (170, 245)]])
    clean = di.preprocess_gray(gray)
    photo = di.preprocess_gray(uneven_photo(gray))
    assert np.abs(photo - clean).mean() < 0.03 and np.corrcoef(photo.ravel(), clean.ravel())[0, 1] > 0.95


def test_old_rule_fails_on_uneven_light():
    # 예전 계산(테두리로 뒤집고 최소–최대로 늘림, 바탕을 빼지 않음)은 어두운 쪽 종이를 획으로 봅니다
    gray = di.render_strokes([[(140, 40), (140, 240)]])
    photo = uneven_photo(gray, strength=0.6, noise=0.0)
    old = di.ink_to_mnist(np.clip((photo.max() - photo) / (photo.max() - photo.min()), 0, 1))
    new = di.preprocess_gray(photo)
    clean = di.preprocess_gray(gray)
    assert np.abs(old - clean).mean() > 0.1 > np.abs(new - clean).mean()


@pytest.mark.parametrize("digit", [0, 1, 3, 4, 7])
def test_clean_drawings_match_the_browser_rule(digit):
    # 그리기 판(draw_panel.js)은 바탕 빼기와 덩어리 고르기 없이 1 - 밝기만 씁니다: 깨끗한 그림에서는 같아야 합니다
    strokes = STROKES[digit]
    gray = di.render_strokes(strokes)
    assert np.abs(di.preprocess_gray(gray) - di.ink_to_mnist(1.0 - gray)).max() < 0.05


def test_specks_and_shadow_marks_are_dropped_but_separate_strokes_kept():
    gray = np.ones((200, 200), np.float32)
    gray[50:150, 95:105] = 0.0  # 숫자의 몸통
    gray[40:46, 80:120] = 0.0  # 몸통 바로 위의 떨어진 획 (5의 윗줄처럼)
    gray[5:8, 5:8] = 0.0  # 멀리 있는 티끌
    gray[190:193, 180:196] = 0.0  # 구석의 자국
    ink = di.keep_digit(di.to_ink(gray))
    assert ink[42, 100] > 0.9 and ink[100, 100] > 0.9  # 떨어진 획과 몸통은 남고
    assert ink[6, 6] == 0 and ink[191, 190] == 0  # 티끌과 자국은 지워짐


def test_otsu_threshold_splits_two_groups():
    values = np.concatenate([np.full(900, 0.1), np.full(100, 0.8)])
    assert 0.1 <= di.otsu_threshold(values) < 0.8
    assert di.otsu_threshold(np.full(10, 0.3)) == 0.3


def test_label_components_counts_diagonal_neighbours():
    mask = np.zeros((6, 8), bool)
    mask[0, 0] = mask[1, 1] = mask[2, 2] = True  # 대각선으로 이어진 한 덩어리
    mask[4:6, 5:8] = True  # 다른 덩어리
    mask[0, 6] = True  # 혼자 있는 점
    labels, count = di.label_components(mask)
    assert count == 3
    assert labels[0, 0] == labels[2, 2] != labels[4, 5] and labels[0, 6] not in (0, labels[0, 0], labels[4, 5])
    assert (labels > 0).sum() == mask.sum()
    u_shape = np.zeros((5, 5), bool)
    u_shape[:, 0] = u_shape[:, 4] = u_shape[4, :] = True  # 아래에서 만나는 두 기둥
    assert di.label_components(u_shape)[1] == 1


def test_box_blur_keeps_constant_and_mean():
    image = np.random.default_rng(0).random((20, 30)).astype(np.float32)
    assert np.allclose(di.box_blur(np.full((9, 9), 0.4), 2), 0.4)
    blurred = di.box_blur(image, 1)
    assert np.isclose(blurred[5, 5], image[4:7, 4:7].mean(), atol=1e-6)


def test_synthetic_photo_is_deterministic_and_a_jpeg():
    digit = np.zeros((28, 28), np.float32)
    digit[6:22, 12:16] = 1.0
    a, b = di.synthetic_photo(digit, seed=3), di.synthetic_photo(digit, seed=3)
    assert a == b and a[:2] == b"\xff\xd8" and di.synthetic_photo(digit, seed=4) != a
    x, _ = di.preprocess_upload(di.synthetic_photo(digit, seed=3, orientation=6))
    assert np.corrcoef(x.ravel(), di.ink_to_mnist(digit).ravel())[0, 1] > 0.8


def test_big_photo_is_shrunk_before_cleaning():
    gray = np.ones((1600, 1200), np.float32)
    gray[400:1200, 560:640] = 0.0
    assert di.shrink(gray).shape == (400, 300)
    assert di.preprocess_gray(gray).shape == (28, 28)


# ---- Pillow가 풀다가 내는 오류는 모두 한국어 BookError ----
def test_truncated_jpeg():
    buffer = io.BytesIO()
    Image.fromarray(white_digit_one()).save(buffer, format="JPEG")
    data = buffer.getvalue()
    with pytest.raises(BookError, match="손상") as info:
        di.preprocess_upload(data[: len(data) // 2])
    assert isinstance(info.value.__cause__, OSError)


PILLOW_ERRORS = [EOFError, struct.error, IndexError, SyntaxError, ValueError, TypeError, KeyError,
                 ZeroDivisionError, MemoryError, NotImplementedError, RuntimeError, OSError]


@pytest.fixture
def boom_format(monkeypatch):
    """머리의 글자로 정한 예외를 Pillow 안에서(파일 열기 또는 풀기) 일으키는 작은 이미지 형식 ``BOOM``.

    파일: b"BOOM" + 단계(b"open" 또는 b"load") + b":" + 예외 이름. Pillow 판과 상관없이 각 예외를 재현합니다.
    """
    from PIL import ImageFile

    errors = {cls.__name__: cls for cls in PILLOW_ERRORS}
    errors["error"] = struct.error

    class BoomImageFile(ImageFile.ImageFile):
        format = "BOOM"
        format_description = "test"

        def _open(self):
            stage, _, name = self.fp.read(64)[4:].decode().partition(":")
            self.boom = (stage, errors[name.strip()])
            if stage == "open":
                raise self.boom[1]("crafted header")
            self._mode = "L"
            self._size = (16, 16)

        def load(self):
            raise self.boom[1]("crafted pixel data")

    monkeypatch.setitem(Image.OPEN, "BOOM", (BoomImageFile, lambda prefix: prefix[:4] == b"BOOM"))
    monkeypatch.setattr(Image, "ID", ["BOOM", *Image.ID])
    return lambda stage, cls: b"BOOM" + f"{stage}:{cls.__name__}".encode() + b" " * 16


@pytest.mark.parametrize("stage", ["open", "load"])
@pytest.mark.parametrize("error", PILLOW_ERRORS, ids=lambda e: e.__name__)
def test_every_pillow_error_becomes_book_error(boom_format, stage, error):
    with pytest.raises(BookError) as info:
        di.preprocess_upload(boom_format(stage, error))
    assert any("\uac00" <= ch <= "\ud7a3" for ch in str(info.value))  # 한국어 문장
    cause = info.value.__cause__
    assert cause is not None
    if stage == "load":
        assert isinstance(cause, error)  # 원래 오류가 이어 붙어 있음


@pytest.mark.parametrize("mode", ["L", "P"])
def test_big_upload_is_reduced_while_decoding(mode):
    gray = np.full((1800, 2400), 255, np.uint8)
    gray[300:1500, 1100:1300] = 0
    image = Image.fromarray(gray).convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    x, _ = di.preprocess_upload(buffer.getvalue())
    assert np.abs(x - di.preprocess_gray(gray.astype(np.float32) / 255)).max() < 0.05


def test_bold_clean_scan_is_not_hollowed():
    # 획이 바탕 어림 창보다 굵은 깨끗한 스캔(굵은 펜의 0): 바탕이 고르므로 바탕을 빼지 않고 그대로 읽어야 합니다
    yy, xx = np.mgrid[0:280, 0:280]
    radius = np.hypot(yy - 140, xx - 140)
    gray = np.where((radius > 45) & (radius < 125), 0.0, 1.0).astype(np.float32)
    assert di.flat_background(gray) is True
    assert np.abs(di.preprocess_gray(gray) - di.ink_to_mnist(1.0 - gray)).max() < 0.05
    assert di.flat_background(uneven_photo(gray)) is None  # 사진은 고르지 않음
