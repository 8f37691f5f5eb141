"""cnnbook.speedrun (부록 A.2): 처방의 각 부분이 정말 적용되는지 작은 모델과 합성 데이터로 확인합니다.

학습률 배수, 변수마다의 학습률과 가중치 감쇠, 레이블 스무딩, 옮기기와 번갈아 뒤집기, 룩어헤드, 화이트닝,
배율 고정 배치 정규화, 항등 초기화, TTA, 칸의 설정 표, 그리고 trained_cifar_cnn("speedrun")의 따로 된 캐시.
"""
import math

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from cnnbook import BookError, cifar, speedrun as sr  # noqa: E402

MEAN, STD = np.array([125.0, 123.0, 114.0]), np.array([63.0, 62.0, 67.0])
RECIPE = dict(sr.BEST, epochs=2, batch_size=8)


@pytest.fixture(autouse=True)
def float32_policy():
    tf.keras.mixed_precision.set_global_policy("float32")
    yield
    tf.keras.mixed_precision.set_global_policy("float32")


def images(n=16, seed=0, size=32):
    return np.random.default_rng(seed).integers(0, 256, (n, size, size, 3), dtype=np.uint8)


def head_model(bias=0.0, kernel=0.0):
    """입력을 펼쳐 완전 연결 계층 하나로 로짓을 내는 작은 모델 (beta라는 이름의 변수가 없음)."""
    inputs = tf.keras.Input((32, 32, 3))
    x = tf.keras.layers.Flatten()(inputs)
    dense = tf.keras.layers.Dense(10, kernel_initializer=tf.keras.initializers.Constant(kernel),
                                  bias_initializer=tf.keras.initializers.Constant(bias))
    return tf.keras.Model(inputs, dense(x))


def test_lr_multiplier_rises_then_falls():
    total = 100
    values = [sr.lr_multiplier(step, total) for step in range(total + 1)]
    assert values[0] == pytest.approx(0.2) and values[23] == pytest.approx(1.0) and values[-1] == pytest.approx(0.07)
    assert all(a < b for a, b in zip(values[:23], values[1:24]))  # 올라가고
    assert all(a > b for a, b in zip(values[23:], values[24:]))  # 내려갑니다


def test_param_groups_scale_only_the_batchnorm_shift():
    model = sr.speed_cnn(MEAN, STD, norm=sr.ShiftNorm)
    groups = sr.param_groups(model, RECIPE)
    unit = 1024 * (1 + 1 / (1 - RECIPE["momentum"]))
    for variable, (rate, decay) in zip(model.trainable_variables, groups):
        expected = RECIPE["lr"] / unit * (RECIPE["bias_scale"] if variable.name == "beta" else 1)
        assert rate == pytest.approx(expected)
        # 감쇠 × 학습률은 모든 변수에서 같은 양 (학습률과 떨어진 감쇠)
        assert rate * decay == pytest.approx(RECIPE["weight_decay"] * RECIPE["batch_size"] / unit)
    assert any(v.name == "beta" for v in model.trainable_variables)


def test_step_applies_weight_decay_with_nesterov_momentum():
    model = head_model(kernel=0.5)
    x, y = tf.zeros((8, 32, 32, 3)), tf.constant(np.arange(8) % 10, tf.int32)  # 입력 0: 커널의 기울기 0
    kernel = model.trainable_variables[0]
    rate, decay = sr.param_groups(model, RECIPE)[0]
    sr.make_step(model, RECIPE)(x, y, tf.constant(1.0))
    m = RECIPE["momentum"]
    g = decay * 0.5
    expected = 0.5 - rate * (g + m * g)  # 첫 단계의 속도는 g
    assert np.allclose(kernel.numpy(), expected, rtol=1e-5)


def test_step_uses_label_smoothing_and_sums_the_batch():
    bias = np.linspace(-1, 1, 10).astype(np.float32)
    labels = np.arange(8) % 10
    logp = bias - np.log(np.exp(bias).sum())
    for smoothing in (0.0, 0.2):
        model = head_model(bias=0.0)
        model.layers[-1].bias.assign(bias)
        recipe = dict(RECIPE, label_smoothing=smoothing)
        loss = float(sr.make_step(model, recipe)(tf.zeros((8, 32, 32, 3)), tf.constant(labels, tf.int32),
                                                 tf.constant(0.0)))
        target = np.full((8, 10), smoothing / 10) + (1 - smoothing) * np.eye(10)[labels]
        assert loss == pytest.approx(float(-(target * logp).sum()), rel=1e-5)


def test_skipped_variables_do_not_move():
    model = head_model(kernel=0.5, bias=0.3)
    kernel, bias = model.trainable_variables
    sr.make_step(model, RECIPE, skip=[bias])(tf.ones((8, 32, 32, 3)), tf.constant(np.zeros(8), tf.int32),
                                             tf.constant(1.0))
    assert np.allclose(bias.numpy(), 0.3) and not np.allclose(kernel.numpy(), 0.5)


def test_epoch_images_are_windows_of_the_padded_images_and_flip_where_asked():
    x = images(40)
    rng = np.random.default_rng(1)
    flipped = np.arange(40) % 2 == 0
    plain = sr.epoch_images(x, flipped, rng, pad=0)
    assert all(np.array_equal(a, b[:, ::-1] if f else b) for a, b, f in zip(plain, x, flipped))
    padded = np.pad(x, [(0, 0), (2, 2), (2, 2), (0, 0)], mode="reflect")
    moved = sr.epoch_images(padded, flipped, rng, pad=2)
    offsets = set()
    for out, src, flip in zip(moved, padded, flipped):
        out = out[:, ::-1] if flip else out
        hits = [(i, j) for i in range(5) for j in range(5) if np.array_equal(out, src[i:i + 32, j:j + 32])]
        assert hits
        offsets.add(hits[0])
    assert len(offsets) > 5  # 이미지마다 다른 자리


def test_alternate_flip_flips_the_other_images_next_epoch():
    rng = np.random.default_rng(0)
    first = rng.random(1000) < 0.5
    assert np.array_equal(sr.next_flips(first, rng, alternate=True), ~first)
    random = sr.next_flips(first, rng, alternate=False)
    assert 0.4 < random.mean() < 0.6 and 0.4 < np.mean(random == first) < 0.6


def test_lookahead_moves_the_slow_copy_and_resets_the_weights():
    model = head_model(kernel=1.0)
    slow = sr.Lookahead(model)
    kernel = model.trainable_variables[0]
    kernel.assign(tf.fill(kernel.shape, 3.0))
    slow.update(0.0)  # decay 0: 사본이 지금 가중치를 그대로 따라감
    assert np.allclose(kernel.numpy(), 3.0)
    kernel.assign(tf.fill(kernel.shape, 5.0))
    slow.update(0.75)  # 3 + 0.25 × (5 − 3)
    assert np.allclose(kernel.numpy(), 3.5) and slow.updates == 2
    assert sr.lookahead_decay(0, 10) == 0 and sr.lookahead_decay(10, 10) == pytest.approx(0.95 ** 5)


def test_train_fast_runs_the_recipe_as_written():
    x, y = images(48), np.arange(48, dtype=np.int32) % 10
    model = sr.speed_cnn(MEAN, STD, widths=(8, 8, 8))
    recipe = dict(RECIPE, epochs=2.5, lookahead=True)
    result = sr.train_fast(model, (x, y), (x[:8], y[:8]), recipe)
    log = model.fast_log
    assert log["steps"] == math.ceil(6 * 2.5) and log["epochs_seen"] == 3
    assert np.array_equal(log["flips"][1], ~log["flips"][0]) and np.array_equal(log["flips"][2], log["flips"][0])
    assert log["lookahead_updates"] == math.ceil(log["steps"] / 5)  # 5단계마다, 그리고 끝에 한 번 (남은 단계가 있으면)
    assert 0 <= result["val"] <= 1 and result["images_per_s"] > 0
    random = sr.speed_cnn(MEAN, STD, widths=(8, 8, 8))
    sr.train_fast(random, (x, y), (x[:8], y[:8]), dict(recipe, alternate_flip=False, lookahead=False))
    assert not np.array_equal(random.fast_log["flips"][1], ~random.fast_log["flips"][0])
    assert random.fast_log["lookahead_updates"] == 0


def test_train_fast_follows_the_seed():
    """시드가 초기 가중치만이 아니라 데이터 순서와 증강(뒤집기)도 바꿉니다. 같은 시드면 같은 학습입니다."""
    import cnnbook

    x, y = images(48), np.arange(48, dtype=np.int32) % 10
    recipe = dict(RECIPE, epochs=1, lookahead=False)
    runs = []
    for seed in (42, 42, 43):
        cnnbook.seed_everything(seed)
        model = sr.speed_cnn(MEAN, STD, widths=(8, 8, 8))
        sr.train_fast(model, (x, y), (x[:8], y[:8]), recipe)
        runs.append((model.fast_log["flips"][0], model.get_weights()[-1]))
    assert np.array_equal(runs[0][0], runs[1][0]) and np.allclose(runs[0][1], runs[1][1])
    assert not np.array_equal(runs[0][0], runs[2][0])


def test_whitening_bias_stops_after_its_epochs():
    x, y = images(32), np.arange(32, dtype=np.int32) % 10
    whiten = sr.whitening_kernel(x, MEAN, STD)
    model = sr.speed_cnn(MEAN, STD, whiten=whiten, widths=(8, 8, 8))
    bias = model.get_layer("whiten").bias
    sr.train_fast(model, (x, y), (x[:8], y[:8]), dict(RECIPE, epochs=1, whiten_bias_epochs=0, lookahead=False))
    assert np.allclose(bias.numpy(), 0.0)  # 처음부터 얼림
    sr.train_fast(model, (x, y), (x[:8], y[:8]), dict(RECIPE, epochs=1, whiten_bias_epochs=1, lookahead=False))
    assert not np.allclose(bias.numpy(), 0.0)
    assert np.array_equal(model.get_layer("whiten").kernel.numpy(), whiten)  # 필터는 그대로


def test_whitening_makes_patches_uncorrelated_with_unit_variance():
    x = images(200, size=16)
    x = (x // 32 * 32 + np.arange(16)[None, :, None, None] * 8).astype(np.uint8)  # 조각 사이에 상관을 넣음
    kernel = sr.whitening_kernel(x, MEAN, STD, eps=0.0)
    assert kernel.shape == (2, 2, 3, 24)
    assert np.allclose(kernel[..., 12:], -kernel[..., :12])
    patches = sr.image_patches(x, MEAN, STD).astype(np.float64)
    white = patches @ kernel.reshape(12, 24)[:, :12]
    assert np.allclose(white.T @ white / len(white), np.eye(12), atol=1e-3)
    # 케라스 합성곱으로 계산해도 같은 값 (조각의 순서가 필터의 순서와 같음)
    conv = tf.nn.conv2d((x[:2].astype(np.float32) - MEAN) / STD, kernel, 1, "VALID").numpy()
    assert np.allclose(conv.reshape(-1, 24)[:, :12], white[:2 * 15 * 15], atol=1e-3)


def test_shift_norm_trains_only_the_shift():
    model = sr.speed_cnn(MEAN, STD, norm=sr.ShiftNorm)
    norms = [layer for layer in model.layers if isinstance(layer, sr.ShiftNorm)]
    trainable = {id(v) for v in model.trainable_variables}
    assert norms and all(id(n.beta) in trainable and id(n.gamma) not in trainable for n in norms)
    assert norms[0].momentum == 0.6 and norms[0].epsilon == 1e-12


def test_identity_start_passes_the_input_through():
    kernel = sr.IdentityStart()((3, 3, 4, 6)).numpy()
    x = np.random.default_rng(0).normal(size=(1, 5, 5, 4)).astype(np.float32)
    y = tf.nn.conv2d(x, kernel, 1, "SAME").numpy()
    assert np.allclose(y[..., :4], x, atol=1e-6) and not np.allclose(kernel[..., 4:], 0)
    model = sr.speed_cnn(MEAN, STD, identity=True, widths=(8, 8, 8))
    convs = [layer for layer in model.layers if isinstance(layer, tf.keras.layers.Conv2D) and layer.name != "stem"]
    for conv in convs:
        n = min(conv.kernel.shape[2:])
        assert np.allclose(conv.kernel.numpy()[1, 1, np.arange(n), np.arange(n)], 1)


def test_tta_levels_average_the_right_images():
    model = sr.speed_cnn(MEAN, STD, widths=(8, 8, 8))
    x = images(4)
    f = lambda z: model(tf.cast(z, tf.float32), training=False).numpy()  # noqa: E731
    mirror = lambda z: (f(z) + f(z[:, :, ::-1])) / 2  # noqa: E731
    assert np.allclose(sr.tta_logits(model, x, 0), f(x), atol=1e-5)
    assert np.allclose(sr.tta_logits(model, x, 1), mirror(x), atol=1e-5)
    padded = np.pad(x, [(0, 0), (1, 1), (1, 1), (0, 0)], mode="reflect")
    expected = (mirror(x) + (mirror(padded[:, :32, :32]) + mirror(padded[:, 2:, 2:])) / 2) / 2
    assert np.allclose(sr.tta_logits(model, x, 2), expected, atol=1e-5)


def test_describe_names_exactly_what_changed():
    whiten = sr.whitening_kernel(images(16), MEAN, STD)
    plain = sr.describe(sr.speed_cnn(MEAN, STD), dict(RECIPE, lookahead=False))
    white = sr.describe(sr.speed_cnn(MEAN, STD, whiten=whiten), dict(RECIPE, lookahead=False))
    assert cifar.changes(plain, white) == "첫 계층: 합성곱 3×3 → 화이트닝 2×2 (고정)"
    ahead = sr.describe(sr.speed_cnn(MEAN, STD, whiten=whiten), RECIPE)
    assert cifar.changes(white, ahead) == "룩어헤드: 없음 → 있음"
    keras_rung = sr.describe(cifar.fast_cnn(MEAN, STD), dict(cifar.RECIPE, epochs=2))
    assert set(keras_rung) == set(plain) and keras_rung["옮기기"] == "±4픽셀"


# ---------------------------------------------------------------- 캐시: 두 모델은 파일이 따로입니다


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("CNNBOOK_FAST", "1")
    yield tmp_path / "cache"


def info(val, **extra):
    return {"val_accuracy": val, "partial": True, "mean": list(MEAN), "std": list(STD), "val_images": 40, **extra}


def test_speedrun_choice_has_its_own_cache(cache, monkeypatch):
    x_val, y_val = images(40, seed=3), np.arange(40, dtype=np.int32) % 10
    monkeypatch.setattr(cifar, "_data", lambda n: ((images(8), np.zeros(8, np.int32)), (x_val, y_val),
                                                   (images(4), np.zeros(4, np.int32))))
    calls = []

    def fake_train(**kwargs):
        calls.append(kwargs)
        model = sr._build_for_cache(info(0))
        return model, info(cifar.accuracy(model, x_val, y_val))

    monkeypatch.setattr(sr, "train_best_model", fake_train)
    first = cifar.trained_cifar_cnn("speedrun", verbose=False)
    assert len(calls) == 1 and first.cache_info["path"].endswith("cifar_speedrun_partial.weights.npz")
    assert first.cache_info["code"] == sr.training_code_hash() and first.cache_info["model"] == "speedrun"
    assert not (cache / cifar.PARTIAL_FILE).exists()  # 4.3의 캐시는 건드리지 않음
    again = cifar.trained_cifar_cnn("speedrun", verbose=False)
    assert len(calls) == 1 and all(np.array_equal(a, b) for a, b in zip(again.get_weights(), first.get_weights()))
    monkeypatch.setattr(sr, "BEST", dict(sr.BEST, epochs=sr.BEST["epochs"] + 1))  # 처방이 바뀌면 다시 학습
    cifar.trained_cifar_cnn("speedrun", verbose=False)
    assert len(calls) == 2


def test_unknown_model_name_is_a_korean_error():
    with pytest.raises(BookError, match="알 수 없는 모델 이름"):
        cifar.trained_cifar_cnn("best")


def test_speedrun_floor_comes_from_its_reference():
    standard_error = math.sqrt(sr.REFERENCE_VAL * (1 - sr.REFERENCE_VAL) / 5000)
    assert 3 * standard_error <= sr.REFERENCE_VAL - sr.VAL_FLOOR < 3 * standard_error + 0.005  # 0.5%p 단위로 내림
    assert cifar.val_floor(False, "speedrun") == sr.VAL_FLOOR and cifar.val_floor(True, "speedrun") == 0.20


def test_exercise_answer_matches_the_whitening_kernel():
    from cnnbook.exercises import chA2, evaluate

    kernel = sr.whitening_kernel(images(40), MEAN, STD, size=3)
    assert kernel.shape[-1] == chA2.WHITEN_CHANNELS == 54
    assert evaluate("A.2-1", 54).status == "right" and evaluate("A.2-1", 27).status != "right"
