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


@pytest.fixture
def restore_rc():
    """글꼴 테스트가 바꾼 matplotlib 설정을 되돌립니다."""
    with matplotlib.rc_context():
        yield


def test_bundled_font_has_hangul_but_no_unicode_minus():
    (path, *_) = fonts.bundled_font_files()
    chars = fonts.font_characters(path)
    assert set(fonts.HANGUL) <= chars and fonts.MINUS not in chars


@pytest.mark.parametrize("platform,expected", [
    ("win32", "windows"), ("cygwin", "windows"), ("darwin", "macos"), ("linux", "linux"), ("freebsd14", "linux"),
])
def test_platform_names(platform, expected):
    assert fonts.platform_name(platform) == expected


# 가짜 운영 체제의 글꼴: 이름 → (파일, 든 글자)
HANGUL_AND_MINUS = {*fonts.HANGUL, fonts.MINUS, ord("A")}
HANGUL_ONLY = {*fonts.HANGUL, ord("A")}
LATIN = {ord("A"), fonts.MINUS}
SYSTEMS = {
    "win32": {"Arial": ("C:/Windows/Fonts/arial.ttf", LATIN),
              "Malgun Gothic": ("C:/Windows/Fonts/malgun.ttf", HANGUL_AND_MINUS)},
    "darwin": {"Helvetica": ("/System/Library/Fonts/Helvetica.ttc", LATIN),
               "AppleGothic": ("/System/Library/Fonts/Supplemental/AppleGothic.ttf", HANGUL_ONLY),
               "Apple SD Gothic Neo": ("/System/Library/Fonts/AppleSDGothicNeo.ttc", HANGUL_AND_MINUS)},
    "linux": {"DejaVu Sans": ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", LATIN),
              "NanumGothic": ("/usr/share/fonts/truetype/nanum/NanumGothic.ttf", HANGUL_ONLY),
              "Noto Sans CJK KR": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", HANGUL_AND_MINUS)},
}


def fake_system(monkeypatch, installed: dict, bundled=()):
    """koreanize-matplotlib 의 글꼴과 운영 체제의 글꼴 목록을 흉내 냅니다."""
    from pathlib import Path

    monkeypatch.setattr(fonts, "bundled_font_files", lambda: list(bundled))
    monkeypatch.setattr(fonts, "installed_fonts", lambda: {n: Path(f) for n, (f, _) in installed.items()})
    chars = {Path(f): c for f, c in installed.values()}
    monkeypatch.setattr(fonts, "font_characters", lambda path: chars.get(Path(path), set()))


@pytest.mark.parametrize("platform,family,minus", [
    ("win32", "Malgun Gothic", True),
    ("darwin", "Apple SD Gothic Neo", True),
    ("linux", "Noto Sans CJK KR", True),
])
def test_each_platform_finds_its_korean_font(monkeypatch, restore_rc, platform, family, minus):
    fake_system(monkeypatch, SYSTEMS[platform])
    assert fonts.use_korean_font(platform) == family
    assert matplotlib.rcParams["font.family"][0] == family
    assert matplotlib.rcParams["axes.unicode_minus"] is minus


@pytest.mark.parametrize("platform,family", [("win32", "Malgun Gothic"), ("darwin", "Apple SD Gothic Neo")])
def test_default_platform_comes_from_sys_platform(monkeypatch, restore_rc, platform, family):
    """인자 없이 부르면 sys.platform 으로 운영 체제를 정합니다 (두 운영 체제의 글꼴이 다 있을 때 그 운영 체제의 것)."""
    import sys

    fake_system(monkeypatch, {**SYSTEMS["darwin"], **SYSTEMS["win32"]})
    monkeypatch.setattr(sys, "platform", platform)
    assert fonts.use_korean_font() == family


def test_system_font_without_unicode_minus_uses_hyphen(monkeypatch, restore_rc):
    fake_system(monkeypatch, {k: v for k, v in SYSTEMS["darwin"].items() if k != "Apple SD Gothic Neo"})
    assert fonts.use_korean_font("darwin") == "AppleGothic"
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_unknown_korean_font_is_used_when_no_known_one(monkeypatch, restore_rc):
    fake_system(monkeypatch, {"Arial": SYSTEMS["win32"]["Arial"], "Gulim": ("C:/Windows/Fonts/gulim.ttc", HANGUL_ONLY)})
    assert fonts.use_korean_font("win32") == "Gulim"


def test_bundled_font_comes_first_on_every_platform(monkeypatch, restore_rc):
    bundled = fonts.bundled_font_files()
    for platform, installed in SYSTEMS.items():
        monkeypatch.setattr(fonts, "installed_fonts", lambda: {n: f for n, (f, _) in installed.items()})
        assert fonts.use_korean_font(platform) == "NanumGothic"
        assert matplotlib.rcParams["axes.unicode_minus"] is False  # 나눔고딕에는 U+2212가 없음
    assert bundled


@pytest.mark.parametrize("platform,hint", [
    ("win32", "맑은 고딕"), ("darwin", "AppleGothic"), ("linux", "fonts-noto-cjk"),
])
def test_no_korean_font_is_explained_for_each_platform(monkeypatch, platform, hint):
    fake_system(monkeypatch, {"Arial": SYSTEMS["win32"]["Arial"]})
    with pytest.raises(cnnbook.BookError, match="pip install koreanize-matplotlib") as error:
        fonts.use_korean_font(platform)
    assert hint in str(error.value) and "한글 글꼴을 찾지 못했습니다" in str(error.value)


def test_real_system_font_renders_hangul_and_minus(monkeypatch, restore_rc):
    """이 기계에 실제로 있는 한글 글꼴(나눔고딕 패키지를 없는 셈 치고)로 그려도 빠진 글자가 없습니다."""
    monkeypatch.setattr(fonts, "bundled_font_files", lambda: [])
    if fonts.find_system_font() is None:
        pytest.skip("이 기계에는 운영 체제의 한글 글꼴이 없습니다 (나눔고딕 패키지만 있음)")
    family, path = fonts.find_system_font()
    assert fonts.use_korean_font() == family
    assert matplotlib.rcParams["axes.unicode_minus"] is (fonts.MINUS in fonts.font_characters(path))
    fig, ax = plt.subplots()
    ax.set_title("합성곱 신경망의 특징 맵")
    ax.plot([-1, 0, 1], [-2, 0, 2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


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


def test_inline_figures_get_the_legibility_check(monkeypatch, fake_shell):
    """노트북 커널에서 setup이 그림의 PNG 변환을 글자 크기 검사로 감쌉니다 (파이썬 밖 환경에서는 아무 일도 없음)."""
    from matplotlib.figure import Figure

    import IPython

    from cnnbook import runtime

    monkeypatch.setattr(IPython, "get_ipython", lambda: fake_shell)
    runtime._use_inline_figures()
    assert fake_shell.magics == [("matplotlib", "inline")]
    assert getattr(fake_shell.display_formatter.formatters["image/png"].lookup_by_type(Figure), "checks_legibility", False)
