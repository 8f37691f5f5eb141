"""cnnbook.drawn_digits: 그리기 판에서 그린 것 같은 숫자 묶음."""
from __future__ import annotations

import numpy as np

from cnnbook.drawn_digits import STROKES, drawn_set, jitter


def test_drawn_set_is_mnist_shaped_and_labelled_in_turn():
    images, labels = drawn_set(10, seed=1)
    assert images.shape == (10, 28, 28) and images.dtype == np.float32
    assert 0.0 <= images.min() and images.max() <= 1.0
    assert list(labels) == sorted(STROKES) * 2
    assert all(image.sum() > 10 for image in images)  # 잉크가 있음


def test_same_seed_same_drawings_other_seed_other_drawings():
    a, _ = drawn_set(5, seed=3)
    b, _ = drawn_set(5, seed=3)
    c, _ = drawn_set(5, seed=4)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_jitter_moves_every_point_but_stays_on_the_panel():
    rng = np.random.default_rng(0)
    moved = jitter(STROKES[4], rng)
    assert len(moved) == len(STROKES[4])
    for old, new in zip(STROKES[4], moved):
        assert len(old) == len(new)
        assert all(8 <= x <= 272 and 8 <= y <= 272 for x, y in new)
        assert any(abs(x0 - x1) + abs(y0 - y1) > 0.5 for (x0, y0), (x1, y1) in zip(old, new))


def test_empty_set():
    images, labels = drawn_set(0)
    assert images.shape == (0, 28, 28) and labels.shape == (0,)
