"""학생의 답을 확인하는 연습문제.

장마다 ``cnnbook/exercises/ch<장>.py`` 가 :func:`register` 로 문제를 등록하고,
노트북은 다음처럼 씁니다::

    answer = None  # 여기에 답을 적으세요
    cnnbook.exercises.check("4.2.1-1", answer)

답이 비어 있으면(``None``, ``...``) "아직 답을 적지 않았습니다"만 출력하고 오류를 내지 않으므로
노트북을 처음부터 끝까지 실행할 수 있습니다. 틀린 답에는 생각할 거리를 주는 힌트(``[힌트]``),
맞은 답에는 짧은 확인(``[정답]``)을 출력합니다. 표시는 그림 문자 대신 어느 글꼴에나 있는 글자로 씁니다
(그림 문자 글꼴이 없는 교실 컴퓨터에서는 빈 상자로 보이기 때문입니다).

장 모듈은 처음 :func:`check` 를 부를 때 한꺼번에 불러옵니다. 이 파일은 텐서플로를 불러오지 않습니다.
장 모듈의 예 (``cnnbook/exercises/ch04_2_1.py``)::

    from cnnbook.exercises import Exercise, register


    def _output_size(answer):
        if answer == 28:
            return "패딩이 없으면 필터가 가장자리에서 밖으로 나갈 수 없습니다. 몇 칸 줄어들까요?"
        if answer != 26:
            return "출력 한 변의 길이는 (입력 - 필터 + 1) 입니다."
        return None


    register(Exercise(key="4.2.1-1", check=_output_size, solution=26, wrong=(28, 25),
                      done="맞습니다. 3×3 필터는 한 변을 2칸 줄입니다."))

``tests/unit/test_exercises.py`` 가 모든 ``solution`` 이 통과하고 모든 ``wrong`` 이 힌트를 받는지 확인합니다.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from dataclasses import dataclass
from typing import Any, Callable, Optional

__all__ = [
    "EMPTY_MESSAGE",
    "CheckResult",
    "Exercise",
    "all_exercises",
    "check",
    "close_to",
    "equal_to",
    "get",
    "load_all",
    "read_integer",
    "read_integers",
    "read_number",
    "register",
    "run_solution",
]

EMPTY_MESSAGE = "아직 답을 적지 않았습니다"
DEFAULT_HINT = "아직 아닙니다. 문제를 다시 읽고 어떤 값이 나와야 하는지 생각해 보세요."
CRASH_HINT = (
    "답을 확인하다가 문제가 생겼습니다({error}). 답의 자료형과 모양(shape)이 문제에서 "
    "말한 것과 같은지 확인해 보세요."
)

Checker = Callable[[Any], Optional[str]]
# 맞았을 때와 틀렸을 때 앞에 붙는 표시 (그림 문자 없이, 어느 글꼴에나 있는 글자만)
RIGHT_MARK = "[정답] "
HINT_MARK = "[힌트] "


@dataclass(frozen=True)
class Exercise:
    """문제 하나.

    - ``key``: 책의 문제 번호, 예: ``"4.2.1-1"``
    - ``check``: 답을 받아 맞으면 ``None``, 틀리면 한국어 힌트(답 자체는 말하지 않음)를 돌려주는 함수.
      함수를 채우는 문제에서 학생의 함수가 아직 ``None`` 을 돌려주면 ``EMPTY_MESSAGE`` 로 시작하는
      문장을 돌려주세요 (``[힌트]`` 없이 "아직 답을 적지 않았습니다…"로 출력됩니다).
    - ``solution``: 학생이 ``answer`` 에 적을 모습 그대로의 정답(값, 또는 함수를 쓰는 문제라면 함수)
    - ``wrong``: 학생이 흔히 적는 틀린 답들 (테스트가 모두 힌트를 받는지 확인합니다)
    - ``done``: 맞았을 때 보여 줄 한 줄 (``RIGHT_MARK`` 뒤에 붙습니다)
    - ``also_right``: 같은 정답을 다르게 적은 모습들 (문자열, 반올림한 값 등; 테스트가 모두 통과하는지 확인합니다)
    """

    key: str
    check: Checker
    solution: Any = None
    wrong: tuple = ()
    done: str = "맞았습니다!"
    also_right: tuple = ()


@dataclass(frozen=True)
class CheckResult:
    """:func:`check` 의 결과. 맞았을 때만 참이고, 노트북에는 따로 표시되지 않습니다."""

    key: str
    status: str  # "right", "wrong", "empty", "error", "unknown"
    message: str

    def __bool__(self) -> bool:
        return self.status == "right"

    def _ipython_display_(self) -> None:
        """메시지는 이미 출력했으므로 셀 출력에 아무것도 더하지 않습니다."""

    def __repr__(self) -> str:
        return f"CheckResult({self.key!r}, {self.status!r})"


_REGISTRY: dict[str, Exercise] = {}
_ORIGIN: dict[str, str] = {}  # 문제 번호 -> 등록한 모듈
_LOAD_ERRORS: dict[str, BaseException] = {}
_loaded = False


def register(exercise: Exercise) -> Exercise:
    """문제를 등록합니다. 다른 모듈이 같은 번호를 이미 쓰고 있으면 오류입니다."""
    from cnnbook.errors import BookError

    if not isinstance(exercise, Exercise):
        raise BookError("register() 에는 Exercise(...) 를 넘겨야 합니다.")
    if not isinstance(exercise.wrong, tuple) or not isinstance(exercise.also_right, tuple):
        exercise = Exercise(
            exercise.key, exercise.check, exercise.solution, tuple(exercise.wrong), exercise.done,
            tuple(exercise.also_right),
        )
    origin = sys._getframe(1).f_globals.get("__name__", "?")
    old = _ORIGIN.get(exercise.key)
    if old is not None and old != origin:
        where = f"{old}, {origin}"
        raise BookError(f"문제 번호 {exercise.key!r} 가 두 번 등록되었습니다 ({where}).")
    _REGISTRY[exercise.key] = exercise
    _ORIGIN[exercise.key] = origin
    return exercise


def load_all(strict: bool = False) -> dict[str, Exercise]:
    """``cnnbook/exercises/ch*.py`` 를 모두 불러옵니다 (한 번만). ``strict`` 이면 불러오기 오류를 그대로 냅니다."""
    global _loaded
    if not _loaded:
        _loaded = True
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
            if not info.name.startswith("ch"):
                continue
            name = f"{__name__}.{info.name}"
            try:
                importlib.import_module(name)
            except Exception as error:  # 한 장의 문제가 깨져도 다른 장의 문제는 확인할 수 있게
                _LOAD_ERRORS[name] = error
    if strict and _LOAD_ERRORS:
        raise next(iter(_LOAD_ERRORS.values()))
    return _REGISTRY


def all_exercises() -> list[Exercise]:
    """등록된 모든 문제 (번호 순)."""
    return [_REGISTRY[key] for key in sorted(load_all())]


def get(key: str) -> Optional[Exercise]:
    """번호로 문제를 찾습니다. 없으면 ``None``."""
    return load_all().get(key)


def _is_empty(answer: Any) -> bool:
    return answer is None or answer is Ellipsis


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def evaluate(key: str, answer: Any) -> CheckResult:
    """답을 확인해 결과만 돌려줍니다 (출력하지 않음)."""
    from cnnbook.errors import BookError

    exercise = get(key)
    if exercise is None:
        message = f"{key!r} 라는 문제는 없습니다. 문제 번호를 확인하세요."
        broken = [name.rsplit(".", 1)[-1] for name in _LOAD_ERRORS]
        if broken:
            message += f" (문제를 불러오지 못한 모듈: {', '.join(broken)})"
        return CheckResult(key, "unknown", message)
    if _is_empty(answer):
        return CheckResult(key, "empty", EMPTY_MESSAGE)
    try:
        verdict = exercise.check(answer)
    except BookError as error:  # 확인 함수가 일부러 낸 한국어 설명
        return CheckResult(key, "error", HINT_MARK + str(error))
    except Exception as error:
        return CheckResult(key, "error", HINT_MARK + CRASH_HINT.format(error=_describe(error)))
    if isinstance(verdict, str) and verdict.startswith(EMPTY_MESSAGE):
        return CheckResult(key, "empty", verdict)  # 함수 틀이 아직 None 을 돌려줄 때 등
    if verdict is None or verdict is True:
        return CheckResult(key, "right", RIGHT_MARK + exercise.done)
    hint = verdict if isinstance(verdict, str) and verdict.strip() else DEFAULT_HINT
    return CheckResult(key, "wrong", HINT_MARK + hint)


def check(key: str, answer: Any) -> CheckResult:
    """답을 확인하고 한 줄을 출력합니다. 오류를 내지 않으므로 노트북이 끝까지 실행됩니다."""
    result = evaluate(key, answer)
    print(result.message)
    return result


SOLUTION_SWITCH = "%env CNNBOOK_SOLUTIONS=1"
SKIPPED_MESSAGE = "풀이는 실행하지 않았습니다. 실행하려면 `" + SOLUTION_SWITCH + "`을 한 번 실행한 뒤 이 셀을 다시 실행하세요."


def run_solution(cost: str = "") -> bool:
    """풀이 셀을 실행할지: 환경 변수 ``CNNBOOK_SOLUTIONS=1`` 일 때만 참 (책 만들기와 테스트).

    모든 장의 풀이 셀이 같은 방식으로 열립니다: 셀은 접혀 있고, "모두 실행"은 풀이를 건너뛰며,
    건너뛸 때는 켜는 방법 한 가지(:data:`SOLUTION_SWITCH`)를 한 줄로 알립니다. ``cost`` 는 그 줄 끝에
    붙일 주의 (예: ``"학습에 몇 분 걸립니다"``).
    """
    if os.environ.get("CNNBOOK_SOLUTIONS", "").strip() == "1":
        return True
    print(SKIPPED_MESSAGE + (f" ({cost})" if cost else ""))
    return False


# --- 학생의 답 읽기 -------------------------------------------------------------------

NOT_A_NUMBER = '답은 수 하나로 적으세요 (예: 1234, 1234.0 또는 "1,234").'
NOT_AN_INTEGER = "개수는 정수입니다. 소수점 아래가 없는 수로 적으세요."


def read_number(answer: Any) -> tuple[Optional[float], Optional[str]]:
    """답을 실수 하나로 읽습니다: 0.025, numpy 수, "0.025", "1,234", "2.5e-2". 못 읽으면 (None, 힌트).

    참/거짓(bool)과 NaN, 무한대는 수로 보지 않습니다.
    """
    import math
    import numbers

    if isinstance(answer, str):
        text = answer.strip().replace(",", "").replace("_", "").replace(" ", "")
        try:
            answer = float(text)
        except ValueError:
            return None, NOT_A_NUMBER
    if hasattr(answer, "item") and getattr(answer, "shape", None) == ():  # numpy, 텐서플로의 0차원 값
        answer = answer.item()
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return None, NOT_A_NUMBER
    value = float(answer)
    if not math.isfinite(value):
        return None, NOT_A_NUMBER
    return value, None


def read_integer(answer: Any) -> tuple[Optional[int], Optional[str]]:
    """답을 정수 하나로 읽습니다: 1234, 1234.0, "1,234", "1 234". 32.9 같은 수는 자르지 않고 힌트를 줍니다."""
    import numbers

    if isinstance(answer, numbers.Integral) and not isinstance(answer, bool):
        return int(answer), None
    if isinstance(answer, str) and answer.strip().lstrip("+-").replace(",", "").replace("_", "").replace(" ", "").isdigit():
        return int(answer.strip().replace(",", "").replace("_", "").replace(" ", "")), None
    value, hint = read_number(answer)
    if hint:
        return None, hint
    if not value.is_integer():
        return None, NOT_AN_INTEGER
    return int(value), None


def read_integers(answer: Any, count: int) -> tuple[Optional[tuple[int, ...]], Optional[str]]:
    """``count`` 개의 정수를 담은 튜플이나 목록으로 읽습니다. 못 읽으면 (None, 힌트)."""
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__"):
        return None, f"정수 {count}개를 괄호 안에 쉼표로 나눠 적으세요 (튜플)."
    if len(answer) != count:
        return None, f"정수 {count}개가 필요한데 {len(answer)}개를 적었습니다."
    values = []
    for item in answer:
        value, hint = read_integer(item)
        if hint:
            return None, hint
        values.append(value)
    return tuple(values), None


# --- 확인 함수를 만드는 작은 도우미 -------------------------------------------------

def equal_to(expected: Any, hint: str) -> Checker:
    """``answer == expected`` 이면 맞음, 아니면 ``hint``."""

    def checker(answer: Any) -> Optional[str]:
        return None if answer == expected else hint

    return checker


def close_to(expected: Any, hint: str, rtol: float = 1e-5, atol: float = 1e-8) -> Checker:
    """배열이나 숫자가 ``expected`` 와 (모양까지) 거의 같으면 맞음, 아니면 ``hint``."""

    def checker(answer: Any) -> Optional[str]:
        import numpy as np

        got = np.asarray(answer, dtype=float)
        want = np.asarray(expected, dtype=float)
        if got.shape != want.shape:
            return f"답의 모양이 {got.shape} 입니다. 몇 개의 값이 나와야 하는지 다시 생각해 보세요."
        return None if np.allclose(got, want, rtol=rtol, atol=atol) else hint

    return checker
