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
    rng = np.random.default_rng(0)
    digit = np.zeros((28, 28), np.float32)
    digit[6:22, 12:16] = 1.0
    big = np.kron(digit, np.ones((10, 10), np.float32))
    back = di.preprocess_gray(1.0 - big)
    assert np.abs(back - di.ink_to_mnist(digit)).max() < 0.05
    assert rng is not None


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
