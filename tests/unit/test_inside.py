"""4.2.6절 들여다보기 계산 (cnnbook.inside) 의 순수 함수."""
from __future__ import annotations

import numpy as np
import pytest

from cnnbook import BookError
from cnnbook import inside


def test_receptive_field_sizes():
    fields = inside.receptive_fields()
    assert [fields[n]["size"] for n in inside.FEATURE_LAYERS] == [5, 6, 14, 16]
    assert [fields[n]["side"] for n in inside.FEATURE_LAYERS] == [28, 14, 14, 7]
    assert [fields[n]["jump"] for n in inside.FEATURE_LAYERS] == [1, 2, 2, 4]


def test_receptive_box_matches_gradient_support():
    # 선형 합성곱·풀링 대신 "어느 입력이 영향을 주는가" 를 직접 확인: 1 픽셀 입력을 옮기며 본 conv 모델의 출력
    import tensorflow as tf

    layers = tf.keras.layers
    model = tf.keras.Sequential([
        tf.keras.Input((28, 28, 1)),
        layers.Conv2D(1, 5, padding="same", kernel_initializer="ones", name="conv1"),
        layers.MaxPooling2D(2, padding="same", name="pool1"),
        layers.Conv2D(1, 5, padding="same", kernel_initializer="ones", name="conv2"),
        layers.MaxPooling2D(2, padding="same", name="pool2"),
    ])
    for layer, (i, j) in [("conv1", (10, 3)), ("pool1", (5, 0)), ("conv2", (7, 13)), ("pool2", (3, 2))]:
        x = tf.Variable(np.zeros((1, 28, 28, 1), np.float32))
        sub = tf.keras.Model(model.inputs, model.get_layer(layer).output)
        with tf.GradientTape() as tape:
            y = sub(x + 1.0)[0, i, j, 0]
        grad = tape.gradient(y, x).numpy()[0, :, :, 0]
        rows, cols = np.flatnonzero(grad.any(axis=1)), np.flatnonzero(grad.any(axis=0))
        # max pooling은 한 칸만 골라 기울기를 보내므로 모두 1인 입력에서 더 작을 수 있어 포함 관계만 봅니다
        top, left, bottom, right = inside.receptive_box(layer, i, j)
        assert top <= rows[0] and rows[-1] <= bottom and left <= cols[0] and cols[-1] <= right, layer
    assert inside.receptive_box("conv1", 10, 10) == (8, 8, 12, 12)
    assert inside.receptive_box("pool2", 3, 3) == (6, 6, 21, 21)
    assert inside.receptive_box("conv1", 0, 0) == (0, 0, 2, 2)
    with pytest.raises(BookError):
        inside.receptive_box("pool2", 7, 0)
    with pytest.raises(BookError):
        inside.receptive_box("fc1", 0, 0)


def test_top_patches_picks_strongest_images():
    rng = np.random.default_rng(0)
    images = rng.random((20, 28, 28)).astype(np.float32)
    acts = np.zeros((20, 14, 14, 3), np.float32)
    for n in range(20):
        acts[n, n % 14, 2, 1] = n  # 이미지 n 은 값 n
    patches, order, values, where = inside.top_patches(inside.channel_peaks(acts), images, "pool1", 1, k=9)
    assert patches.shape == (9, 6, 6)
    assert list(order) == list(range(19, 10, -1)) and list(values) == list(range(19, 10, -1))
    n, (i, j) = order[0], where[0]
    top, left, _, _ = inside.receptive_box("pool1", i, j)
    assert np.allclose(patches[0], images[n, top:top + 6, left:left + 6])
    with pytest.raises(BookError):
        inside.top_patches(inside.channel_peaks(acts), images, "pool1", 3)


def test_top_patches_pads_outside_with_zero():
    images = np.ones((1, 28, 28), np.float32)
    acts = np.zeros((1, 28, 28, 1), np.float32)
    acts[0, 0, 0, 0] = 1.0
    patches, *_ = inside.top_patches(inside.channel_peaks(acts), images, "conv1", 0, k=1)
    assert patches.shape == (1, 5, 5) and patches[0, :2].sum() == 0 and patches[0, 2:, 2:].min() == 1


def test_affine_identity_shift_rotation():
    rng = np.random.default_rng(1)
    x = rng.random((3, 28, 28)).astype(np.float32)
    assert np.allclose(inside.affine_images(x)[..., 0], x, atol=1e-6)
    shifted = inside.affine_images(x, shift=(2, 3))[..., 0]
    assert np.allclose(shifted[:, 2:, 3:], x[:, :-2, :-3], atol=1e-6) and shifted[:, :2].max() == 0
    turned = inside.affine_images(x, angle=90)[..., 0]
    assert np.allclose(turned, np.rot90(x, k=1, axes=(1, 2)), atol=1e-5) or np.allclose(
        turned, np.rot90(x, k=-1, axes=(1, 2)), atol=1e-5)
    big = inside.affine_images(x, scale=2.0)
    assert big.shape == (3, 28, 28, 1)
    with pytest.raises(BookError):
        inside.affine_images(x, scale=0)


def test_transform_and_noise():
    x = np.zeros((2, 28, 28), np.float32)
    noisy = inside.transform(x, "noise", 0.3)
    assert noisy.shape == (2, 28, 28, 1) and 0 <= noisy.min() and noisy.max() <= 1 and noisy.std() > 0.05
    assert np.array_equal(inside.transform(x, "noise", 0.3), noisy)  # 같은 시드, 같은 잡음
    with pytest.raises(BookError):
        inside.transform(x, "flip", 1)
    with pytest.raises(BookError):
        inside.check_images(np.zeros((2, 27, 28)))


def test_filter_kinds():
    refs = inside.reference_filters()
    rng = np.random.default_rng(2)
    images = np.zeros((4, 28, 28), np.float32)
    images[:, 6:22, 12:16] = 1.0
    images[:, 8:12, 6:22] = 1.0
    images += rng.random(images.shape).astype(np.float32) * 0.1
    w = np.zeros((5, 5, 1, 3), np.float32)
    w[1:4, 1:4, 0, 0] = refs["세로 경계"]
    w[1:4, 1:4, 0, 1] = -refs["가로 경계"]  # 부호만 반대
    w[:, :, 0, 2] = rng.normal(size=(5, 5))
    kinds, best = inside.filter_kinds(w, images)
    assert kinds[0] == "세로 경계" and kinds[1] == "가로 경계" and best[0] > 0.99 and best[1] > 0.99
    assert best.shape == (3,) and 0 <= best[2] <= 1
    with pytest.raises(BookError):
        inside.filter_kinds(np.zeros((3, 3, 2, 4)), images)


def test_overlap_and_sentence():
    a = np.zeros((28, 28)); a[10:15, 10:15] = 1
    b = a.copy()
    c = np.zeros((28, 28)); c[0:5, 0:5] = 1
    assert inside.overlap(a, b) == 1.0 and inside.overlap(a, c) == 0.0
    image = np.zeros((28, 28), np.float32); image[10:15, 10:15] = 1
    sentence, info = inside.disagreement_sentence({"saliency": a, "gradcam": b, "occlusion": c}, image, 25 / 784)
    assert "가림 맵" in sentence and info["pairs"][("saliency", "gradcam")] == 1.0
    assert info["on_ink"]["occlusion"] == 0.0 and info["on_ink"]["saliency"] == 1.0


@pytest.fixture(scope="module")
def small_model():
    import tensorflow as tf

    from cnnbook.mnist_model import build_keras_cnn

    tf.keras.utils.set_random_seed(0)
    return build_keras_cnn(probabilities=True)


def test_feature_extractor_shapes(small_model):
    extractor = inside.checked_extractor(small_model)
    acts = inside.activations(extractor, np.zeros((3, 28, 28)), batch_size=2)
    assert [a.shape for a in acts] == [(3, 28, 28, 32), (3, 14, 14, 32), (3, 14, 14, 64), (3, 7, 7, 64)]
    with pytest.raises(BookError):
        inside.checked_extractor(small_model, ("conv9",))
    rng = np.random.default_rng(5)
    x = rng.random((7, 28, 28)).astype(np.float32)
    peaks = inside.layer_peaks(extractor, x, batch_size=3)
    direct = inside.channel_peaks(inside.activations(extractor, x)[2])
    assert np.allclose(peaks["conv2"]["values"], direct["values"]) and peaks["pool2"]["width"] == 7


def test_saliency_gradcam_occlusion(small_model):
    rng = np.random.default_rng(3)
    image = rng.random((28, 28)).astype(np.float32)
    logits = inside.logit_model(small_model)
    maps = inside.explain(small_model, logits, image, 3, patch=7, stride=7)
    sal, cam, occ = maps["saliency"], maps["gradcam"], maps["occlusion"]
    with pytest.raises(BookError):
        inside.explain(small_model, logits, image, 10)
    with pytest.raises(BookError):
        inside.explain(small_model, logits, image[:20], 3)
    for heat in (sal, cam, occ):
        assert heat.shape == (28, 28) and np.all(np.isfinite(heat)) and heat.min() >= 0
    assert sal.max() > 0 and cam.shape == (28, 28)
    # 가림 맵: 한 번에 계산한 값이 한 장씩 가려 본 값과 같습니다 (가린 자리 (0, 0))
    hidden = image.copy(); hidden[:7, :7] = 0
    p = lambda x: float(small_model(x[None, :, :, None])[0, 3])  # noqa: E731
    assert abs(occ[0, 0] - max(p(image) - p(hidden), 0)) < 1e-5
    # 현저성 맵은 로짓의 입력 기울기와 같습니다 (유한 차분으로 한 픽셀 확인)
    import tensorflow as tf

    eps = 1e-2
    bump = image.copy(); bump[14, 14] += eps
    f = lambda x: float(logits(x[None, :, :, None])[1][0, 3])  # noqa: E731
    assert abs(abs(f(bump) - f(image)) / eps - sal[14, 14]) < 0.05 * max(sal.max(), 1e-3) + 1e-3
    assert tf.is_tensor(tf.constant(1))


def test_predict_digit(small_model):
    conv1 = inside.checked_extractor(small_model, ("conv1",))
    out = inside.predict_digit(small_model, conv1, np.zeros((28, 28), np.float32))
    assert out["probs"].shape == (10,) and abs(out["probs"].sum() - 1) < 1e-5
    assert out["maps"].shape == (28, 28, 32) and out["maps"].min() >= 0
    with pytest.raises(BookError):
        inside.predict_digit(small_model, conv1, np.zeros((27, 28)))


def test_explain_matches_the_lesson_functions(small_model):
    # explain 은 모델을 tf.function 으로 감싸 부르지만, 값은 장의 세 함수를 그대로 부른 것과 같아야 합니다
    image = np.random.default_rng(4).random((28, 28)).astype(np.float32)
    logits = inside.logit_model(small_model)
    maps = inside.explain(small_model, logits, image, 5)
    assert np.allclose(maps["saliency"], inside.saliency_map(logits, image, 5), atol=1e-6)
    assert np.allclose(maps["gradcam"], inside.grad_cam(logits, image, 5), atol=1e-6)
    assert np.allclose(maps["occlusion"], inside.occlusion_map(small_model, image.copy(), 5), atol=1e-6)
    assert inside.compiled_call(small_model) is inside.compiled_call(small_model)  # 모델마다 한 번만 만듭니다


def test_photo_examples_marks_wrong_predictions():
    from cnnbook.figures import inside as figures

    photos = [np.full((40, 30), 0.6, np.float32), np.full((30, 40), 0.7, np.float32)]
    inputs = np.zeros((2, 28, 28), np.float32)
    fig = figures.photo_examples(photos, inputs, labels=[3, 5], predictions=[3, 8])
    axes = np.array(fig.axes).reshape(2, 2)
    assert axes[0, 0].get_title() == "사진 30×40" and axes[1, 0].get_title() == "정답 3, 예측 3"
    assert axes[1, 1].get_title(loc="center") == "정답 5, 예측 8"
    assert axes[1, 1].title.get_color() == "#d62728" != axes[1, 0].title.get_color()
    with pytest.raises(BookError):
        figures.photo_examples(photos, inputs[:1], [3], [3])
