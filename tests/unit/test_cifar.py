"""cnnbook.cifar: 4.3절의 강의 코드(증강, 파이프라인, 스케줄, FLOP, 뒤집기 평균)와 장치(정밀도, 캐시)."""
import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

import cnnbook  # noqa: E402
from cnnbook import BookError, cifar  # noqa: E402

MEAN, STD = np.array([125.0, 123.0, 114.0]), np.array([63.0, 62.0, 67.0])


def images(n=6, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)


def test_split_and_stats():
    x, y = images(20), np.arange(20).reshape(-1, 1) % 10
    (xt, yt), (xv, yv) = cifar.split_validation(x, y, n_val=5)
    assert len(xt) == 15 and len(xv) == 5 and np.array_equal(xv, x[-5:])
    assert yt.shape == (15,) and yt.dtype == np.int32
    mean, std = cifar.channel_stats(x)
    assert mean.shape == (3,) and np.allclose(mean, x.reshape(-1, 3).mean(0))
    assert np.allclose(std, x.reshape(-1, 3).std(0))


def test_crop_without_padding_is_identity_or_flip():
    x = images(16)
    out = cifar.random_crop_flip(tf.constant(x), pad=0).numpy()
    assert out.shape == x.shape and out.dtype == np.uint8
    kinds = [np.array_equal(a, b) for a, b in zip(out, x)]
    flips = [np.array_equal(a, b[:, ::-1]) for a, b in zip(out, x)]
    assert all(k or f for k, f in zip(kinds, flips))
    assert any(kinds) and any(flips)  # 16장이면 둘 다 나옵니다 (확률 1 - 2·2^-16)


def test_crop_is_a_window_of_the_reflected_image():
    x = images(1)
    padded = np.pad(x[0], ((4, 4), (4, 4), (0, 0)), mode="reflect")
    windows = {padded[i:i + 32, j:j + 32].tobytes() for i in range(9) for j in range(9)}
    out = cifar.random_crop_flip(tf.constant(np.repeat(x, 50, axis=0))).numpy()
    for crop in out:
        assert crop.tobytes() in windows or crop[:, ::-1].tobytes() in windows
    assert len({c.tobytes() for c in out}) > 10  # 이미지마다 다른 위치


def test_dataset_batches_one_hot_labels():
    x, y = images(10), np.arange(10)
    batches = list(cifar.make_dataset(x, y, 4, augment=True))
    assert len(batches) == 2  # 학습용은 남는 미니배치를 버립니다
    xb, yb = batches[0]
    assert xb.shape == (4, 32, 32, 3) and xb.dtype == tf.float32
    assert yb.shape == (4, 10) and np.allclose(yb.numpy().sum(1), 1)
    ordered = list(cifar.make_dataset(x, y, 4, shuffle=False))
    assert len(ordered) == 3 and np.array_equal(ordered[0][0].numpy(), x[:4].astype(np.float32))


def test_one_cycle_shape():
    schedule = cifar.OneCycle(0.4, 100, warmup=0.2)
    values = np.array([float(schedule(s)) for s in range(101)])
    assert values[0] == 0 and values[-1] == 0 and values.argmax() == 20
    assert np.isclose(values.max(), 0.4) and np.all(values >= 0)
    assert np.all(np.diff(values[:21]) > 0) and np.all(np.diff(values[20:]) < 0)


def test_flops_of_a_tiny_model():
    inputs = tf.keras.Input((8, 8, 3))
    x = tf.keras.layers.Conv2D(4, 3, padding="same")(inputs)
    x = tf.keras.layers.Flatten()(x)
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(10)(x))
    assert cifar.flops_per_image(model) == 2 * 8 * 8 * 3 * 3 * 3 * 4 + 2 * 256 * 10


def test_models_have_ten_logits():
    three = cifar.original_cnn(MEAN, STD, (32, 64, 128), dense=512)
    for model in (cifar.original_cnn(MEAN, STD), three, cifar.vgg_style_cnn(MEAN, STD), cifar.fast_cnn(MEAN, STD)):
        assert model.output.shape == (None, 10)
    assert sum(isinstance(layer, tf.keras.layers.Conv2D) for layer in three.layers) == 3
    average = cifar.fast_cnn(MEAN, STD, global_pool=tf.keras.layers.GlobalAveragePooling2D)
    assert any(isinstance(layer, tf.keras.layers.GlobalAveragePooling2D) for layer in average.layers)
    bn = cifar.vgg_style_cnn(MEAN, STD, batch_norm=True)
    assert sum(isinstance(layer, cifar.BatchNorm) for layer in bn.layers) == 9
    assert not any(isinstance(layer, cifar.BatchNorm) for layer in cifar.vgg_style_cnn(MEAN, STD).layers)


def test_fast_cnn_normalizes_channel_counts_in_sixteens():
    """oneDNN의 bfloat16 배치 정규화는 채널 수가 16의 배수가 아니면 느린 구현으로 갑니다 (24채널은 8배쯤 느렸음)."""
    model = cifar.fast_cnn(MEAN, STD)
    channels = [layer.output.shape[-1] for layer in model.layers if isinstance(layer, cifar.BatchNorm)]
    assert len(channels) == 7
    assert all(count % 16 == 0 for count in channels), channels


@pytest.mark.parametrize("policy", ["float32", "mixed_bfloat16"])
def test_batch_norm_matches_keras_layer(policy):
    """합친 연산의 BatchNorm은 케라스 BatchNormalization과 같은 값을 내고, 이동 평균도 같게 갱신합니다."""
    tf.keras.mixed_precision.set_global_policy(policy)
    try:
        x = tf.random.stateless_normal([32, 8, 8, 4], seed=[3, 4], mean=2.0, stddev=3.0)
        x = tf.cast(x, tf.keras.mixed_precision.global_policy().compute_dtype)
        ours, theirs = cifar.BatchNorm(), tf.keras.layers.BatchNormalization(momentum=0.9)
        ours.build(x.shape)
        theirs.build(x.shape)
        scale = np.linspace(0.5, 2.0, 4).astype("float32")
        for layer in (ours, theirs):
            layer.gamma.assign(scale)
            layer.beta.assign(-scale)
        for training in (True, True, False):
            a = tf.cast(ours(x, training=training), tf.float32)
            b = tf.cast(theirs(x, training=training), tf.float32)
            # 추론은 이동 분산의 n−1 차이(n = 2048)만큼 다를 수 있습니다
            tolerance = 0.1 if policy != "float32" else 1e-4 if training else 5e-3  # bf16: 값 6 근처의 한 칸이 0.03
            assert float(tf.reduce_max(tf.abs(a - b))) < tolerance
        # 두 번 갱신한 이동 평균 (분산은 n−1로 나누는 차이만큼만 다름: n = 2048)
        assert np.allclose(ours.moving_mean.numpy(), theirs.moving_mean.numpy(), atol=1e-2 if policy != "float32" else 1e-5)
        assert np.allclose(ours.moving_variance.numpy(), theirs.moving_variance.numpy(), rtol=2e-3 if policy == "float32" else 2e-2)
        assert ours.moving_mean.dtype == "float32" and float(np.abs(ours.moving_mean.numpy()).min()) > 0.3
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.cast(ours(x, training=True), tf.float32) ** 2)
        grads = tape.gradient(loss, ours.trainable_variables)
        assert all(g is not None and g.dtype == tf.float32 for g in grads)
    finally:
        tf.keras.mixed_precision.set_global_policy("float32")


def test_tta_averages_original_and_flipped():
    model = cifar.fast_cnn(MEAN, STD)
    x = images(5)
    plain = cifar.predict_probs(model, x)
    flipped = cifar.predict_probs(model, x[:, :, ::-1])
    both = cifar.predict_probs(model, x, tta=True, batch_size=2)
    assert np.allclose(plain.sum(1), 1, atol=1e-5)
    assert np.allclose(both, (plain + flipped) / 2, atol=1e-5)
    assert 0 <= cifar.accuracy(model, x, np.zeros(5, int)) <= 1


def test_bf16_detection(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor : 0\nflags : fpu sse avx2 avx512f amx_bf16\n")
    assert cifar.cpu_flags(str(info)) >= {"avx2", "amx_bf16"}
    assert cifar.has_native_bf16({"avx512_bf16"}) and not cifar.has_native_bf16({"avx2", "fma"})
    assert cifar.cpu_flags(str(tmp_path / "missing")) == set()
    try:
        assert cifar.use_precision(False) == "float32"
        assert tf.keras.mixed_precision.global_policy().name == "float32"
    finally:
        tf.keras.mixed_precision.set_global_policy("float32")


def test_scaled_seconds():
    assert cifar.scaled_seconds(100, 300) == 100 and cifar.scaled_seconds(100, 150) == 50
    assert cifar.matmul_gflops(size=256, repeats=2) > 0


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("CNNBOOK_FAST", "1")
    return tmp_path / "cache"


def info(accuracy, partial=False):
    return {"test_accuracy": accuracy, "partial": partial, "mean": list(MEAN), "std": list(STD)}


def test_weights_round_trip_and_floor(cache):
    model = cifar.fast_cnn(MEAN, STD)
    with pytest.raises(BookError, match="기준"):
        cifar.save_cifar_weights(model, info(0.5))  # 전체 학습인데 90% 미만이면 저장하지 않음
    path = cifar.save_cifar_weights(model, info(0.93))
    assert path == cache / cifar.FULL_FILE
    weights, loaded = cifar.load_cifar_weights(path)
    assert loaded["test_accuracy"] == 0.93 and len(weights) == len(model.get_weights())
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))


def test_corrupt_weights_give_korean_error(cache):
    cache.mkdir(parents=True)
    bad = cache / cifar.FULL_FILE
    bad.write_bytes(b"not a zip file")
    with pytest.raises(BookError, match="손상"):
        cifar.load_cifar_weights(bad)


@pytest.fixture(scope="module")
def cifar_data():
    try:
        return cnnbook.load_cifar10()
    except BookError as error:
        pytest.skip(f"CIFAR-10 데이터가 없습니다 (CNNBOOK_DATA 를 지정하세요): {error}")


def test_trained_cifar_cnn_rechecks_accuracy_after_loading(cache, cifar_data, capsys):
    # 높은 정확도를 적었지만 실제로는 학습하지 않은 가중치: 다시 재면 기준에 못 미치므로 버리고 새로 학습합니다.
    fake = cifar.fast_cnn(MEAN, STD)
    cifar.save_cifar_weights(fake, info(0.95))
    model = cifar.trained_cifar_cnn(verbose=False)
    assert "쓸 수 없어" in capsys.readouterr().err
    assert model.cache_info["partial"] and model.cache_info["test_accuracy"] >= cifar.PARTIAL_FLOOR
    assert (cache / cifar.PARTIAL_FILE).is_file() and not (cache / cifar.FULL_FILE).exists()
    again = cifar.trained_cifar_cnn(verbose=False)  # 이번에는 캐시에서
    assert again.cache_info["path"].endswith(cifar.PARTIAL_FILE)
    tf.keras.mixed_precision.set_global_policy("float32")


def test_train_images_per_s_uses_step_times():
    rate = cifar.train_images_per_s(cifar.original_cnn(MEAN, STD, filters=(4,), dense=8), batch_size=8, steps=3)
    assert np.isfinite(rate) and rate > 0


def test_missing_data_keeps_cached_weights(cache, monkeypatch):
    """데이터를 읽지 못하면 그 한국어 오류를 그대로 내고, 멀쩡한 가중치 파일은 지우지 않습니다."""
    path = cifar.save_cifar_weights(cifar.fast_cnn(MEAN, STD), info(0.93))

    def no_data(*args):
        raise BookError("CIFAR-10 데이터를 찾지 못했습니다.")

    monkeypatch.setattr(cifar, "_data", no_data)
    with pytest.raises(BookError, match="찾지 못했습니다"):
        cifar.trained_cifar_cnn(verbose=False)
    assert path.is_file()
