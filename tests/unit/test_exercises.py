"""연습문제: 모든 풀이는 확인을 통과하고, 흔한 틀린 답은 모두 한국어 힌트를 받습니다."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from cnnbook import exercises
from cnnbook.exercises import Exercise, check, evaluate, register, run_solution

HANGUL = re.compile("[가-힣]")
REGISTERED = exercises.load_all(strict=True)  # 장 모듈이 깨져 있으면 여기서 실패합니다
KEYS = sorted(REGISTERED)


def wrong_cases():
    return [
        pytest.param(key, i, id=f"{key}-wrong{i}")
        for key in KEYS
        for i in range(len(REGISTERED[key].wrong))
    ]


@pytest.mark.parametrize("key", KEYS)
def test_solution_passes(key, capsys):
    exercise = REGISTERED[key]
    result = check(key, exercise.solution)
    out = capsys.readouterr().out
    assert result, f"{key}: 풀이가 확인을 통과하지 못했습니다: {out}"
    assert out.startswith("[정답] ")


def also_right_cases():
    return [
        pytest.param(key, i, id=f"{key}-also{i}")
        for key in KEYS
        for i in range(len(REGISTERED[key].also_right))
    ]


@pytest.mark.parametrize(("key", "index"), also_right_cases())
def test_right_answer_written_another_way_passes(key, index, capsys):
    answer = REGISTERED[key].also_right[index]
    result = check(key, answer)
    assert result, f"{key}: 다르게 적은 정답 {answer!r} 가 통과하지 못했습니다: {capsys.readouterr().out}"


@pytest.mark.parametrize("key", ["4.1-1", "4.2.1-1", "4.2.2-2", "4.2.4-1", "4.2.4-2", "4.2.5-1",
                                 "4.2.6-1", "4.3.2-1", "4.3.3-1", "A.1-1"])
def test_numeric_exercises_accept_another_spelling(key):
    """수를 답하는 문제는 모두 다르게 적은 정답(문자열, 실수 등)을 하나 이상 시험합니다."""
    assert REGISTERED[key].also_right, f"{key}: also_right 가 비어 있습니다"


@pytest.mark.parametrize(("answer", "expected"), [
    (3, 3), (3.0, 3), ("3", 3), (" 1,234 ", 1234), ("1 234", 1234), ("1.5e3", 1500), ("-2", -2),
])
def test_read_integer_reads_reasonable_spellings(answer, expected):
    assert exercises.read_integer(answer) == (expected, None)


@pytest.mark.parametrize("answer", [32.9, "32.9", True, "abc", float("nan"), None, [3]])
def test_read_integer_refuses_without_truncating(answer):
    value, hint = exercises.read_integer(answer)
    assert value is None and HANGUL.search(hint)


def test_read_number_reads_numpy_and_strings():
    import numpy as np

    assert exercises.read_number(np.float32(0.25)) == (0.25, None)
    assert exercises.read_number(np.array(2.0)) == (2.0, None)
    assert exercises.read_number("2.5e-2") == (0.025, None)
    assert exercises.read_number(False)[0] is None


def test_hints_never_state_the_answer():
    """힌트는 생각할 거리를 줄 뿐 답의 수를 말하지 않습니다 (예전 4.2.4 기본 힌트가 14 × 14 × 64 를 적었음)."""
    import re as _re

    for key, exercise in REGISTERED.items():
        if callable(exercise.solution) or isinstance(exercise.solution, bool):
            continue
        numbers = _re.findall(r"\d+", str(exercise.solution))
        for wrong in exercise.wrong + ("전혀 다른 답",):
            hint = evaluate(key, wrong).message
            spelled = [f"{int(n):,}" for n in numbers if int(n) >= 10] + [n for n in numbers if int(n) >= 10]
            assert not any(s in hint for s in spelled), f"{key}: 힌트가 답을 말합니다: {hint}"
    chain = evaluate("4.2.4-2", 1).message
    assert "14 × 14 × 64" not in chain


@pytest.mark.parametrize(("key", "starter"), [
    ("4.2.4-3", lambda: None), ("4.2.5-2", lambda: None), ("4.3.1-1", lambda mean, std: None),
    ("4.3.2-2", lambda mean, std: None),
])
def test_function_starter_returning_none_counts_as_untouched(key, starter, capsys):
    result = check(key, starter)
    assert result.status == "empty"
    assert capsys.readouterr().out.startswith("아직 답을 적지 않았습니다")


@pytest.mark.parametrize("key", KEYS)
def test_exercise_is_well_formed(key):
    exercise = REGISTERED[key]
    assert re.fullmatch(r"(\d+|A)(\.\d+)*-\d+", key), f"문제 번호 형식: {key!r} (예: '4.2.1-1', 부록은 'A.1-1')"
    assert exercise.wrong, f"{key}: 흔한 틀린 답(wrong)을 하나 이상 적어 주세요"
    assert HANGUL.search(exercise.done)


@pytest.mark.parametrize(("key", "index"), wrong_cases())
def test_wrong_answer_gets_a_korean_hint(key, index, capsys):
    wrong = REGISTERED[key].wrong[index]
    result = check(key, wrong)
    out = capsys.readouterr().out.strip()
    assert not result, f"{key}: 틀린 답 {wrong!r} 가 통과했습니다"
    assert result.status == "wrong", f"{key}: 틀린 답에서 확인 함수가 오류를 냈습니다: {out}"
    assert out.startswith("[힌트] ") and HANGUL.search(out), out


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("empty", [None, ...])
def test_empty_answer_is_not_an_error(key, empty, capsys):
    assert not check(key, empty)
    assert capsys.readouterr().out.strip() == "아직 답을 적지 않았습니다"


def test_unknown_key_gets_a_korean_message(capsys):
    result = check("9.9.9-99", 1)
    assert not result and result.status == "unknown"
    assert "문제 번호" in capsys.readouterr().out


def _fake(key, checker, **kwargs):
    exercise = register(Exercise(key=key, check=checker, **kwargs))
    return exercise


@pytest.fixture
def scratch():
    added = []
    yield added
    for key in added:
        exercises._REGISTRY.pop(key, None)
        exercises._ORIGIN.pop(key, None)


def test_api_messages(scratch, capsys):
    scratch += ["0.0-1", "0.0-2", "0.0-3"]
    _fake("0.0-1", exercises.equal_to(4, "두 수를 더해 보세요."), solution=4, done="네, 4입니다.")
    _fake("0.0-2", lambda answer: 1 / 0)  # 고장 난 확인 함수도 트레이스백 대신 힌트
    _fake("0.0-3", exercises.close_to([1.0, 2.0], "값을 다시 계산해 보세요."))

    assert check("0.0-1", 4) and capsys.readouterr().out == "[정답] 네, 4입니다.\n"
    assert not check("0.0-1", 5) and capsys.readouterr().out == "[힌트] 두 수를 더해 보세요.\n"
    assert not check("0.0-1", None) and capsys.readouterr().out == "아직 답을 적지 않았습니다\n"
    result = check("0.0-2", 3)
    out = capsys.readouterr().out
    assert result.status == "error" and out.startswith("[힌트] ") and "Traceback" not in out
    assert not check("0.0-3", [1.0]) and "모양" in capsys.readouterr().out
    assert check("0.0-3", [1.0, 2.0 + 1e-9])


def test_hint_from_book_error(scratch):
    from cnnbook.errors import BookError

    def checker(answer):
        raise BookError("정수 하나를 적으세요.")

    scratch.append("0.0-4")
    _fake("0.0-4", checker)
    assert evaluate("0.0-4", "a").message == "[힌트] 정수 하나를 적으세요."


def test_same_key_from_two_modules_is_refused(scratch):
    from cnnbook.errors import BookError

    scratch.append("0.0-5")
    _fake("0.0-5", exercises.equal_to(1, "힌트"))  # 이 테스트 모듈이 등록
    _fake("0.0-5", exercises.equal_to(1, "힌트"))  # 같은 모듈이 다시 불러와도 괜찮음
    other = {"__name__": "cnnbook.exercises.ch_other", "register": register, "Exercise": Exercise}
    with pytest.raises(BookError):
        exec("register(Exercise(key='0.0-5', check=len))", other)  # 다른 장 모듈


def test_check_result_shows_nothing_in_a_notebook():
    # 셀의 마지막 줄이 check(...) 여도 True/False 가 출력에 덧붙지 않습니다.
    assert hasattr(exercises.CheckResult, "_ipython_display_")


def test_run_solution_says_how_to_turn_it_on(monkeypatch, capsys):
    monkeypatch.delenv("CNNBOOK_SOLUTIONS", raising=False)
    assert not run_solution("학습에 몇 분 걸립니다")
    out = capsys.readouterr().out
    assert "%env CNNBOOK_SOLUTIONS=1" in out and "학습에 몇 분" in out
    monkeypatch.setenv("CNNBOOK_SOLUTIONS", "1")
    assert run_solution()
    assert capsys.readouterr().out == ""


def test_run_solution_follows_the_environment(monkeypatch):
    monkeypatch.setenv("CNNBOOK_SOLUTIONS", "1")
    assert run_solution() is True
    monkeypatch.setenv("CNNBOOK_SOLUTIONS", "0")
    assert run_solution() is False
    monkeypatch.delenv("CNNBOOK_SOLUTIONS")
    assert run_solution() is False


def test_importing_exercises_does_not_import_tensorflow():
    code = "import sys, cnnbook.exercises; assert 'tensorflow' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
