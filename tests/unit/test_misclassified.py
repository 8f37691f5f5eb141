"""cnnbook.misclassified: 틀린 숫자 살펴보기의 순수 함수와 그림."""
import numpy as np
import pytest

from cnnbook import BookError
from cnnbook.misclassified import (
    MistakeView,
    confusion_matrix,
    describe_mistake,
    find_mistakes,
    per_class_accuracy,
)


def one_hot_probs(predicted, confidence=0.9):
    probs = np.full((len(predicted), 10), (1 - confidence) / 9)
    probs[np.arange(len(predicted)), predicted] = confidence
    return probs


Y_TRUE = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 7, 1])
Y_PRED = np.array([0, 1, 2, 5, 4, 5, 6, 1, 8, 9, 7, 7])  # 3번(3→5), 7번(7→1), 11번(1→7)이 틀림


def test_confusion_matrix_and_per_class_accuracy():
    matrix = confusion_matrix(Y_TRUE, Y_PRED)
    assert matrix.shape == (10, 10)
    assert matrix.sum() == len(Y_TRUE)
    assert matrix[3, 5] == 1 and matrix[7, 1] == 1 and matrix[1, 7] == 1
    assert np.trace(matrix) == 9
    accuracy = per_class_accuracy(Y_TRUE, Y_PRED)
    assert accuracy[0] == 1.0 and accuracy[3] == 0.0
    assert accuracy[7] == pytest.approx(0.5) and accuracy[1] == pytest.approx(0.5)


def test_missing_class_gives_nan():
    accuracy = per_class_accuracy(np.array([0, 0, 1]), np.array([0, 1, 1]))
    assert np.isnan(accuracy[5])


def test_find_mistakes_by_index_and_confidence():
    probs = one_hot_probs(Y_PRED)
    probs[11] = one_hot_probs([7], confidence=0.99)[0]
    assert find_mistakes(probs, Y_TRUE).tolist() == [3, 7, 11]
    assert find_mistakes(probs, Y_TRUE, order="confidence").tolist() == [11, 3, 7]


def test_describe_mistake():
    probs = one_hot_probs(Y_PRED)
    mistakes = find_mistakes(probs, Y_TRUE)
    info = describe_mistake(1, mistakes, probs, Y_TRUE)
    assert info["index"] == 7 and info["true"] == 7 and info["pred"] == 1
    assert info["p_pred"] == pytest.approx(0.9)
    assert "정답 7" in info["title"] and "예측 1" in info["title"]


@pytest.mark.parametrize(
    "probs, y_true, message",
    [
        (np.ones((3, 9)) / 9, [0, 1, 2], "모양"),
        (np.ones((3, 10)) / 10, [0, 1], "3개인데"),
        (np.ones((2, 10)), [0, 1], "합이 1"),
        (np.full((2, 10), np.nan), [0, 1], "NaN"),
        (np.ones((2, 10)) / 10, [0, 12], "0부터 9"),
        (np.ones((2, 10)) / 10, [0.5, 1.0], "정수"),
    ],
)
def test_bad_input_is_a_korean_error(probs, y_true, message):
    with pytest.raises(BookError, match=message):
        find_mistakes(probs, np.asarray(y_true))


def test_bad_mistake_number():
    probs = one_hot_probs(Y_PRED)
    mistakes = find_mistakes(probs, Y_TRUE)
    for number in (-1, 3, 1.5, True):
        with pytest.raises(BookError, match="틀린 예 번호"):
            describe_mistake(number, mistakes, probs, Y_TRUE)
    with pytest.raises(BookError, match="하나도 없습니다"):
        describe_mistake(0, np.array([], dtype=int), probs, Y_TRUE)
    with pytest.raises(BookError, match="order"):
        find_mistakes(probs, Y_TRUE, order="random")


def test_mismatched_prediction_labels():
    with pytest.raises(BookError, match="모양이 다릅니다"):
        confusion_matrix(Y_TRUE, Y_PRED[:5])


def test_view_updates_artists_in_place():
    import matplotlib

    matplotlib.use("Agg")
    import cnnbook

    cnnbook.use_korean_font()
    rng = np.random.default_rng(0)
    images = rng.random((len(Y_TRUE), 28, 28, 1))
    probs = one_hot_probs(Y_PRED)
    view = MistakeView(images, Y_TRUE, probs, find_mistakes(probs, Y_TRUE))
    picture, bars = view.picture, view.bars
    view.update(number=2)
    assert view.picture is picture and view.bars is bars
    assert np.array_equal(view.picture.get_array(), images[11, ..., 0])
    assert bars[7].get_height() == pytest.approx(0.9)
    assert "3/3" in view.title.get_text()
    with pytest.raises(BookError):
        view.update(number=3)
    with pytest.raises(BookError, match="이미지"):
        MistakeView(images[:3], Y_TRUE, probs, [3])
