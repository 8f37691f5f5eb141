"""cnnbook.reference: 노트북에서 내보낸 NumPy 강의 코드 (합성곱, 풀링, 필터, 이동, 드롭아웃)."""
from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from cnnbook import reference

tf = pytest.importorskip("tensorflow")


@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_conv2d_reference_matches_tensorflow_with_many_channels(stride, padding):
    rng = np.random.default_rng(stride)
    x = rng.normal(size=(2, 9, 8, 5)).astype("float32")
    w = rng.normal(size=(3, 4, 5, 6)).astype("float32")
    expected = tf.nn.conv2d(x, w, stride, padding).numpy()
    assert np.allclose(reference.conv2d_reference(x, w, stride, padding), expected, atol=1e-4)


def test_output_length_and_same_pads():
    assert [reference.output_length(28, 5, s, p) for s in (1, 2) for p in ("SAME", "VALID")] == [28, 24, 14, 12]
    assert reference.same_pads(32, 3, 2) == (0, 1)
    assert reference.same_pads(28, 4, 1) == (1, 2)


def test_pool2d_works_on_one_map_and_on_a_batch():
    rng = np.random.default_rng(0)
    maps = rng.random((3, 12, 12))
    for kind, tf_pool in (("max", tf.nn.max_pool2d), ("average", tf.nn.avg_pool2d)):
        batch = reference.pool2d(maps, 3, kind)
        assert batch.shape == (3, 4, 4)
        for one, pooled in zip(maps, batch):
            np.testing.assert_allclose(reference.pool2d(one, 3, kind), pooled)
        expected = tf_pool(maps[..., None], ksize=3, strides=3, padding="VALID").numpy()[..., 0]
        np.testing.assert_allclose(batch, expected, rtol=1e-6)


def test_shift_image_batch_and_single_agree():
    images = np.random.default_rng(1).random((2, 6, 7))
    moved = reference.shift_image(images, 2, -1)
    for one, batch in zip(images, moved):
        np.testing.assert_array_equal(reference.shift_image(one, 2, -1), batch)
    np.testing.assert_array_equal(moved[:, :-1, 2:], images[:, 1:, :-2])
    assert np.all(moved[:, -1, :] == 0) and np.all(moved[:, :, :2] == 0)


def test_edge_filters_respond_to_their_direction():
    image = np.zeros((1, 9, 9))
    image[:, :, 5:] = 1.0  # 세로 경계
    vertical = reference.edge_feature_map(image, reference.SOBEL_VERTICAL)
    horizontal = reference.edge_feature_map(image, reference.SOBEL_HORIZONTAL)
    assert vertical[0, 4, 4] == 4.0 and horizontal[0, 1:-1].max() == 0.0
    assert set(reference.EDGE_FILTERS) == {"세로 경계", "가로 경계", "대각선 (/ 방향)", "대각선 (반대 방향)"}
    for kernel in reference.EDGE_FILTERS.values():
        assert kernel.shape == (3, 3) and kernel.sum() == 0  # 밝기가 고른 곳에서는 0


def test_shift_sensitivity_table_falls_with_pool_size():
    rng = np.random.default_rng(2)
    images = np.zeros((6, 16, 16))
    for image in images:
        r, c = rng.integers(3, 10, size=2)
        image[r:r + 4, c:c + 3] = 1.0
    table = reference.shift_sensitivity_table(images, sizes=(1, 2, 4))
    for values in table.values():
        assert values[0] > values[1] > values[2] > 0


def test_a_pooling_that_does_nothing_fails_the_claim(monkeypatch):
    """4.2.2의 assert가 잡아야 하는 고장: 풀링이 아무것도 줄이지 않으면 민감도가 줄지 않습니다."""
    monkeypatch.setattr(reference, "pool2d", lambda maps, size=2, kind="max": maps)
    images = np.zeros((3, 16, 16))
    images[:, 5:9, 6:9] = 1.0
    values = reference.shift_sensitivity_table(images, sizes=(1, 2))["max"]
    assert not values[0] > values[1]


def test_inverted_dropout_rules():
    out, keep = reference.inverted_dropout(np.ones(100_000), 0.3, seed=0)
    assert keep.mean() == pytest.approx(0.7, abs=0.01)
    np.testing.assert_allclose(out[keep], 1 / 0.7)
    assert out.mean() == pytest.approx(1.0, abs=0.02)


def test_activations_match_tensorflow():
    z = np.linspace(-3, 3, 13).astype("float32")
    np.testing.assert_allclose(reference.relu(z), tf.nn.relu(z))
    np.testing.assert_allclose(reference.sigmoid(z), tf.nn.sigmoid(z), atol=1e-6)
    np.testing.assert_allclose(reference.leaky_relu(z), tf.nn.leaky_relu(z), atol=1e-6)


def test_module_imports_only_numpy_and_math():
    tree = ast.parse(Path(reference.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    assert imported <= {"__future__", "math", "numpy"}, imported
