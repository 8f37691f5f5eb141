"""cnnbook.prose: 한국어 조사 앞에서도 굵게가 렌더링되는 Markdown."""
from __future__ import annotations

import pytest

from cnnbook.prose import Markdown, particle, strong


@pytest.mark.parametrize(("text", "expected"), [
    ("정확도는 **99.28%**입니다", "정확도는 <strong>99.28%</strong>입니다"),
    ("**3개**는 경계, **2개**는 흐림", "<strong>3개</strong>는 경계, <strong>2개</strong>는 흐림"),
    ("천장은 **392 GFLOP/s**입니다.", "천장은 <strong>392 GFLOP/s</strong>입니다."),
    ("굵게 없음 2 ** 3", "굵게 없음 2 ** 3"),
])
def test_strong_turns_every_bold_into_html(text, expected):
    assert strong(text) == expected


def test_code_spans_are_left_alone():
    assert strong("`2**20` 바이트는 **1 MB**입니다") == "`2**20` 바이트는 <strong>1 MB</strong>입니다"


def test_markdown_output_has_no_stars_left():
    shown = Markdown("모델은 **59.4%**를 맞힙니다")._repr_markdown_()
    text = shown[0] if isinstance(shown, tuple) else shown
    assert "**" not in text and "<strong>59.4%</strong>를" in text


def test_markdown_renders_as_bold_in_commonmark():
    """CommonMark 구현(markdown-it, myst-nb가 쓰는 것)으로 렌더링하면 별표가 남지 않고 굵게가 됩니다."""
    markdown_it = pytest.importorskip("markdown_it")
    raw = "정확도는 **99.28%**입니다"
    assert "**" in markdown_it.MarkdownIt("commonmark").render(raw)  # 바꾸지 않으면 별표가 남습니다
    html = markdown_it.MarkdownIt("commonmark").render(strong(raw))
    assert "**" not in html and "<strong>99.28%</strong>입니다" in html


@pytest.mark.parametrize(("word", "pair", "expected"), [
    ("고양이(cat)", "을/를", "고양이(cat)를"),
    ("개(dog)", "으로/로", "개(dog)로"),
    ("사슴(deer)", "으로/로", "사슴(deer)으로"),
    ("말(horse)", "으로/로", "말(horse)로"),
    ("자동차", "이/가", "자동차가"),
    ("비행기 (airplane)", "은/는", "비행기 (airplane)는"),
    ("트럭", "과/와", "트럭과"),
    ("3", "을/를", "3을"),
    ("7", "으로/로", "7로"),
    ("9", "이/가", "9가"),
    ("fc1", "이/가", "fc1이"),
    ("top", "을/를", "top을(를)"),
])
def test_particle_follows_the_final_consonant(word, pair, expected):
    assert particle(word, pair) == expected


def test_unknown_particle_pair_is_a_korean_error():
    from cnnbook.errors import BookError

    with pytest.raises(BookError, match="조사 쌍"):
        particle("개", "에게")


def test_layer_table_names_layers_in_korean_and_adds_up():
    tf = pytest.importorskip("tensorflow")
    from cnnbook.prose import layer_table

    model = tf.keras.Sequential([
        tf.keras.Input(shape=(28, 28, 1)),
        tf.keras.layers.Conv2D(4, 3, name="conv1"),
        tf.keras.layers.MaxPooling2D(2, name="pool1"),
        tf.keras.layers.Flatten(name="flatten"),
        tf.keras.layers.Dense(10, name="fc"),
    ])
    rows = layer_table(model).splitlines()
    assert rows[2] == "| `conv1` | 합성곱 | (N, 26, 26, 4) | 40 |"
    assert rows[3].startswith("| `pool1` | 최대 풀링 |") and rows[4].startswith("| `flatten` | 펼치기 |")
    assert rows[-1] == f"| 합계 | | | {model.count_params():,} |" and model.count_params() == 40 + 13 * 13 * 4 * 10 + 10
