"""노트북 첫 셀에서 부르는 설정: 시드, 빠른 모드, 한글 글꼴, 오류 표시."""
from __future__ import annotations

import os
import random
import sys
from typing import TypeVar

import numpy as np

from cnnbook.errors import BookError
from cnnbook.fonts import use_korean_font

SEED = 42
FAST_ENV = "CNNBOOK_FAST"
T = TypeVar("T")


def is_fast() -> bool:
    """환경 변수 ``CNNBOOK_FAST`` 가 켜져 있으면 참 (테스트와 수업용 빠른 모드)."""
    return os.environ.get(FAST_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def pick(*, fast: T, full: T) -> T:
    """빠른 모드이면 ``fast``, 아니면 ``full`` 을 돌려줍니다."""
    return fast if is_fast() else full


def seed_everything(seed: int = SEED) -> None:
    """파이썬, NumPy, 텐서플로(설치되어 있으면)의 난수 시드를 한 번에 정합니다."""
    random.seed(seed)
    np.random.seed(seed)
    if "tensorflow" in sys.modules or _tensorflow_available():
        import tensorflow as tf

        tf.keras.utils.set_random_seed(seed)


def _tensorflow_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("tensorflow") is not None


def _warm_up_tensorflow() -> str:
    """첫 연산을 미리 한 번 실행해, 텐서플로가 처음에 찍는 로그가 설정 셀에만 나오게 합니다."""
    import tensorflow as tf

    tf.reduce_sum(tf.ones([2, 2])).numpy()
    return tf.__version__


def _show_book_errors_briefly() -> None:
    """IPython에서 :class:`BookError` 를 트레이스백 없이 한 줄로 보여 줍니다."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return

    def show(shell, etype, value, tb, tb_offset=None):
        # 셀은 여전히 오류로 끝나므로 nbval과 Jupyter Book은 실패를 알아차립니다.
        shell.showtraceback((etype, value, None), exception_only=True)

    shell.set_custom_exc((BookError,), show)


def _use_inline_figures() -> None:
    """pyplot 없이 만든 Figure도 셀 출력과 위젯 안에서 PNG로 보이게 하고, 그림마다 글자 크기를 잽니다."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "kernel"):
        shell.run_line_magic("matplotlib", "inline")
        from cnnbook.figures.legibility import check_inline_figures

        check_inline_figures(shell)  # 글자가 책의 본문 폭에서 너무 작은 그림은 ⚠️ 경고


def in_colab() -> bool:
    """Colab에서 실행 중이면 참 (Colab은 ``google.colab`` 을 미리 불러 둡니다)."""
    return "google.colab" in sys.modules


def _enable_colab_widgets() -> bool:
    """Colab에서 제3자 위젯(ipycanvas 등)이 보이도록 사용자 위젯 관리자를 켭니다. 켰으면 참."""
    if not in_colab():
        return False
    try:
        from google.colab import output
    except ImportError:
        return False
    enable = getattr(output, "enable_custom_widget_manager", None)
    if enable is None:
        return False
    enable()
    return True


def setup(seed: int = SEED) -> None:
    """노트북 설정을 한 번에 합니다. 설정 요약을 한 줄로 출력합니다."""
    font = use_korean_font()
    seed_everything(seed)
    _show_book_errors_briefly()
    _use_inline_figures()
    _enable_colab_widgets()
    info = {"seed": seed, "fast": is_fast(), "font": font}
    if _tensorflow_available():
        info["tensorflow"] = _warm_up_tensorflow()
    mode = "빠른 모드(테스트용)" if info["fast"] else "전체 모드"
    tf_text = f"TensorFlow {info['tensorflow']}" if "tensorflow" in info else "TensorFlow 없음"
    print(f"{tf_text} · {mode} · 시드 {seed} · 글꼴 {font}")
    sys.stderr.flush()

