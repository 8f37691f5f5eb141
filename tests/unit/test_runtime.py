"""설정 함수: 빠른 모드, 시드, 한글 글꼴."""
from __future__ import annotations

import io
import random
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import cnnbook  # noqa: E402
from cnnbook import fonts  # noqa: E402


@pytest.mark.parametrize("value,expected", [("1", True), ("true", True), ("", False), ("0", False)])
def test_fast_mode_follows_environment(monkeypatch, value, expected):
    monkeypatch.setenv("CNNBOOK_FAST", value)
    assert cnnbook.is_fast() is expected
    assert cnnbook.pick(fast="빠름", full="전체") == ("빠름" if expected else "전체")


def test_seed_everything_repeats_random_numbers():
    tf = pytest.importorskip("tensorflow")
    cnnbook.seed_everything(7)
    first = (random.random(), np.random.rand(), float(tf.random.uniform([])))
    cnnbook.seed_everything(7)
    second = (random.random(), np.random.rand(), float(tf.random.uniform([])))
    assert first == second


def test_hangul_renders_without_missing_glyph_warnings():
    assert cnnbook.use_korean_font() == "NanumGothic"
    fig, ax = plt.subplots()
    ax.set_title("합성곱 신경망의 특징 맵 -1 × σ")
    ax.plot([-1, 0, 1], [-2, 0, 2], label="손실")
    ax.legend()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_missing_font_package_is_explained(monkeypatch):
    monkeypatch.setattr(fonts, "bundled_font_files", lambda: [])
    with pytest.raises(cnnbook.BookError, match="pip install koreanize-matplotlib"):
        fonts.use_korean_font()


def test_setup_reports_its_state(monkeypatch, capsys):
    monkeypatch.setenv("CNNBOOK_FAST", "1")
    cnnbook.setup(seed=3)
    out = capsys.readouterr().out
    assert "빠른 모드" in out and "시드 3" in out and "NanumGothic" in out


def _fake_colab(monkeypatch, with_manager=True):
    """가짜 google.colab 모듈: enable_custom_widget_manager() 를 부른 횟수를 셉니다."""
    import sys
    import types

    calls = []
    google = types.ModuleType("google")
    colab = types.ModuleType("google.colab")
    output = types.ModuleType("google.colab.output")
    if with_manager:
        output.enable_custom_widget_manager = lambda: calls.append(True)
    colab.output = output
    google.colab = colab
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab.output", output)
    return calls


def test_setup_enables_custom_widgets_in_colab(monkeypatch, capsys):
    calls = _fake_colab(monkeypatch)
    cnnbook.setup()
    assert calls == [True]


def test_setup_outside_colab_does_not_touch_widgets(monkeypatch, capsys):
    import sys

    from cnnbook import runtime

    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    assert runtime._enable_colab_widgets() is False
    cnnbook.setup()


def test_old_colab_without_widget_manager_is_fine(monkeypatch, capsys):
    from cnnbook import runtime

    _fake_colab(monkeypatch, with_manager=False)
    assert runtime._enable_colab_widgets() is False
    cnnbook.setup()
