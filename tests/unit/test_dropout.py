"""cnnbook.dropout 의 순수 함수 검사."""
import numpy as np
import pytest

from cnnbook import BookError
from cnnbook.dropout import apply_dropout, check_rate, dropout_mask, dropout_view_data, keep_prob_to_rate


def test_keep_prob_to_rate():
    assert keep_prob_to_rate(0.8) == pytest.approx(0.2)
    assert keep_prob_to_rate(1.0) == 0.0
    with pytest.raises(BookError, match="keep_prob"):
        keep_prob_to_rate(0.0)


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, "0.5", True])
def test_bad_rate_gives_korean_error(rate):
    with pytest.raises(BookError, match="[가-힣]"):
        check_rate(rate)


def test_mask_fraction_and_nesting():
    small = dropout_mask((200, 200), 0.3, seed=1)
    large = dropout_mask((200, 200), 0.6, seed=1)
    assert small.shape == (200, 200) and small.dtype == bool
    assert small.mean() == pytest.approx(0.7, abs=0.01)
    assert not np.any(large & ~small)  # rate를 키우면 지워진 자리는 그대로 지워져 있음


def test_inverted_scaling_keeps_expected_value():
    x = np.ones((300, 300))
    out, mask = apply_dropout(x, 0.4, seed=2)
    np.testing.assert_allclose(out[mask], 1 / 0.6)
    assert np.all(out[~mask] == 0)
    assert out.mean() == pytest.approx(1.0, abs=0.01)


def test_inference_is_identity():
    x = np.arange(6.0).reshape(2, 3)
    out, mask = apply_dropout(x, 0.5, training=False)
    np.testing.assert_array_equal(out, x)
    assert mask.all()


def test_view_data():
    x = np.full((10, 10), 2.0)
    data = dropout_view_data(x, 0.5, seed=0)
    assert data["mask"].shape == (10, 10)
    assert data["mean_unscaled"] == pytest.approx(2.0 * data["kept_fraction"])
    assert data["mean_after"] == pytest.approx(2.0 * data["kept_fraction"] / 0.5)
    with pytest.raises(BookError, match="2차원"):
        dropout_view_data(np.ones(5), 0.5)
    with pytest.raises(BookError):
        apply_dropout(np.array([]), 0.5)


def test_view_updates_in_place():
    import matplotlib

    matplotlib.use("Agg")
    import cnnbook

    cnnbook.use_korean_font()
    from cnnbook.figures.dropout import DropoutView

    view = DropoutView(np.ones((8, 8)))
    view.update(rate=0.9)
    assert view.mask_art.get_array().mean() < 0.5
    assert "0.90" in view.suptitle.get_text()
