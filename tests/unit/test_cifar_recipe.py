"""4.3절 처방의 각 부분이 학습에 정말 쓰이는지: 하나라도 빠지거나 고장 나면 실패하는 테스트.

레이블 스무딩, 학습률 스케줄, 가중치 감쇠, 데이터 증강은 강의 코드의 ``train`` 이 실제로 만드는 손실, 옵티마이저,
데이터셋을 확인합니다. 합친 연산의 ``BatchNorm`` 은 케라스 ``BatchNormalization`` 과 값, 기울기, 이동 통계,
얼린 계층(trainable=False)의 동작을 비교합니다. 모두 작은 모델로 몇 초 안에 끝납니다.
"""
import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from cnnbook import cifar  # noqa: E402

RECIPE = cifar.RECIPE
N_IMAGES, BATCH, EPOCHS = 64, 16, 5  # 한 에포크 4단계, 모두 20단계: 워밍업(0.2)이 정확히 4단계에서 끝남
STEPS = EPOCHS * (N_IMAGES // BATCH)


@pytest.fixture(autouse=True)
def float32_policy():
    tf.keras.mixed_precision.set_global_policy("float32")
    yield
    tf.keras.mixed_precision.set_global_policy("float32")


def images(n, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)


def tiny_model():
    """드롭아웃도 배치 정규화도 없어 학습 모드와 추론 모드의 출력이 같은 작은 모델."""
    inputs = tf.keras.Input((32, 32, 3))
    x = tf.keras.layers.Rescaling(1 / 255)(inputs)
    x = tf.keras.layers.GlobalAveragePooling2D()(x)
    return tf.keras.Model(inputs, tf.keras.layers.Dense(10, name="logits")(x))


def trained_tiny(recipe, x=None, y=None):
    """강의 코드의 train으로 작은 모델을 학습하고, fit이 받은 데이터셋을 ``model.seen`` 에 남깁니다."""
    x = images(N_IMAGES) if x is None else x
    y = np.arange(len(x)) % 10 if y is None else y
    model = tiny_model()
    fit = model.fit
    seen = []

    def recording_fit(data, **kwargs):
        seen.append(data)
        return fit(data, **kwargs)

    model.fit = recording_fit
    result = cifar.train(model, (x, y), (x[:BATCH], y[:BATCH]), recipe)
    model.seen = seen
    return model, result


def short_recipe(**changes):
    return dict(RECIPE, epochs=EPOCHS, batch_size=BATCH, **changes)


def test_recipe_turns_every_part_on():
    """맨 위 칸 처방(RECIPE)에 네 부분이 모두 켜져 있어야 아래 테스트들이 그 처방을 확인하는 셈입니다."""
    assert RECIPE["label_smoothing"] == 0.2 and RECIPE["augment"] is True
    assert RECIPE["schedule"] == "one_cycle" and RECIPE["weight_decay"] == 5e-4
    assert RECIPE["lr"] == 0.4 and RECIPE["warmup"] == 0.2


# ------------------------------------------------------------------ 레이블 스무딩

def smoothed_cross_entropy(logits, labels, smoothing):
    target = np.eye(10)[labels] * (1 - smoothing) + smoothing / 10
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return float(np.mean(-(target * log_probs).sum(axis=1)))


def test_compiled_loss_is_label_smoothed_cross_entropy():
    model, _ = trained_tiny(short_recipe())
    # 알려진 로짓: 모든 이미지에서 클래스 0에 5, 나머지에 0 (밀집 계층의 가중치를 0으로, 편향만 둠)
    dense = model.get_layer("logits")
    bias = np.zeros(10, np.float32)
    bias[0] = 5.0
    dense.set_weights([np.zeros_like(dense.kernel.numpy()), bias])
    x, labels = images(8, seed=1), np.array([0, 0, 0, 0, 3, 3, 7, 7])
    logits = np.tile(bias, (8, 1)).astype(np.float64)
    smoothed = smoothed_cross_entropy(logits, labels, RECIPE["label_smoothing"])
    plain = smoothed_cross_entropy(logits, labels, 0.0)
    assert abs(smoothed - plain) > 0.3  # 이 묶음에서는 두 손실이 분명히 다릅니다
    loss = model.evaluate(x.astype(np.float32), np.eye(10, dtype=np.float32)[labels], batch_size=8, verbose=0,
                          return_dict=True)["loss"]
    assert loss == pytest.approx(smoothed, abs=1e-4), f"컴파일된 손실 {loss:.4f}, 스무딩 {smoothed:.4f}, 원래 {plain:.4f}"


# ------------------------------------------------------------------ 학습률 스케줄

def test_one_cycle_values_at_start_peak_and_end():
    schedule = cifar.OneCycle(0.4, 100, warmup=0.2)
    assert float(schedule(0)) == 0.0
    assert float(schedule(10)) == pytest.approx(0.2)  # 워밍업 중간
    assert float(schedule(20)) == pytest.approx(0.4)  # 워밍업 끝 = 최고
    assert float(schedule(60)) == pytest.approx(0.2)  # 내려가는 길의 중간
    assert float(schedule(100)) == 0.0


def test_train_runs_the_one_cycle_schedule_over_its_steps():
    """train이 만든 옵티마이저: 단계 0에서 0, 워밍업 끝에서 최고 학습률, 마지막 단계에서 0. 단계 수도 맞아야 합니다."""
    model, _ = trained_tiny(short_recipe())
    optimizer = model.optimizer
    assert int(optimizer.iterations) == STEPS  # 스케줄의 길이와 실제로 밟은 단계 수가 같음
    assert float(optimizer.learning_rate) == pytest.approx(0.0, abs=1e-7)  # 다 학습한 뒤 = 마지막 단계
    expected = {0: 0.0, 2: RECIPE["lr"] / 2, 4: RECIPE["lr"], 12: RECIPE["lr"] / 2, STEPS: 0.0}
    for step, rate in expected.items():
        optimizer.iterations.assign(step)
        assert float(optimizer.learning_rate) == pytest.approx(rate, abs=1e-6), f"단계 {step}"


def test_constant_rate_without_schedule():
    optimizer = cifar.make_optimizer({"lr": 1e-3}, steps=100)
    assert isinstance(optimizer, tf.keras.optimizers.Adam)
    assert float(optimizer.learning_rate) == pytest.approx(1e-3)


# ------------------------------------------------------------------ 가중치 감쇠

def test_weight_decay_shrinks_weights_by_lr_times_decay():
    """기울기가 0이어도 가중치가 한 단계에 (1 − 학습률 × 감쇠)배로 줄어야 합니다."""
    optimizer = cifar.make_optimizer(RECIPE, steps=10)  # 워밍업 2단계
    weight = tf.Variable(np.full(4, 2.0, np.float32))
    optimizer.build([weight])
    optimizer.iterations.assign(2)  # 워밍업 끝: 학습률 = 최고
    rate = float(optimizer.learning_rate)
    assert rate == pytest.approx(RECIPE["lr"])
    optimizer.apply_gradients([(tf.zeros(4), weight)])
    expected = 2.0 * (1 - rate * RECIPE["weight_decay"])
    assert np.allclose(weight.numpy(), expected, rtol=1e-6, atol=0), (weight.numpy(), expected)
    assert float(weight[0]) < 2.0 - 1e-4  # 줄어든 폭(0.0004)은 float32로 충분히 보입니다


def test_train_compiles_the_lessons_optimizer():
    model, _ = trained_tiny(short_recipe())
    config = model.optimizer.get_config()
    assert isinstance(model.optimizer, tf.keras.optimizers.SGD)
    assert config["weight_decay"] == pytest.approx(RECIPE["weight_decay"])
    assert config["momentum"] == pytest.approx(0.9) and config["nesterov"] is True


# ------------------------------------------------------------------ 데이터 증강

def reflected_windows(image, pad=4):
    """반사 패딩한 이미지에서 잘라 낼 수 있는 32×32 창과 그 좌우 뒤집기 (바이트열 집합)."""
    padded = np.pad(image, ((pad, pad), (pad, pad), (0, 0)), mode="reflect")
    crops = [padded[i:i + 32, j:j + 32] for i in range(2 * pad + 1) for j in range(2 * pad + 1)]
    return {c.tobytes() for c in crops} | {c[:, ::-1].tobytes() for c in crops}


def test_augmented_batches_are_crops_and_flips_of_the_same_images():
    x, y = images(12), np.arange(12) % 10
    tf.random.set_seed(3)
    augmented = list(cifar.make_dataset(x, y, 4, augment=True, shuffle=False))
    plain = list(cifar.make_dataset(x, y, 4, augment=False, shuffle=False))
    assert len(augmented) == len(plain) == 3
    changed = 0
    for (xa, ya), (xp, yp) in zip(augmented, plain):
        assert xa.shape == xp.shape == (4, 32, 32, 3) and xa.dtype == xp.dtype == tf.float32
        assert np.array_equal(ya.numpy(), yp.numpy())  # 레이블은 그대로
        for a, p in zip(xa.numpy().astype(np.uint8), xp.numpy().astype(np.uint8)):
            assert a.tobytes() in reflected_windows(p)  # 잘라 낸 창은 반사 패딩 안에 있음
            changed += not np.array_equal(a, p)
    assert changed >= 9, f"증강한 12장 가운데 {changed}장만 원본과 다릅니다"


def test_augmentation_is_reproducible_with_a_seed():
    """같은 전역 시드면 같은 조각과 뒤집기, 다른 시드면 다른 결과. (tf.data의 병렬 map 안에서는 상태 있는
    난수의 순서가 스레드에 따라 바뀔 수 있어, 미니배치 함수 자체를 확인합니다.)"""
    x = tf.constant(images(8))

    def run(seed):
        tf.random.set_seed(seed)
        return cifar.random_crop_flip(x).numpy()

    assert np.array_equal(run(1), run(1))
    assert not np.array_equal(run(1), run(2))


def test_augmented_pipeline_is_reproducible_with_its_seed():
    """병렬 map 안에서도 make_dataset의 seed가 증강을 정합니다 (미니배치마다 상태 없는 난수의 시드 한 쌍).
    같은 seed면 두 에포크 모두 같고, 에포크끼리는 다르며, 다른 seed면 다릅니다."""
    x, y = images(64), np.arange(64) % 10

    def epochs(seed, n=2):
        data = cifar.make_dataset(x, y, 8, augment=True, shuffle=True, seed=seed)
        return [np.concatenate([b.numpy() for b, _ in data]) for _ in range(n)]

    first, again, other = epochs(5), epochs(5), epochs(6)
    for a, b in zip(first, again):
        assert np.array_equal(a, b)
    assert not np.array_equal(first[0], first[1])  # 에포크마다 새 증강
    assert not np.array_equal(first[0], other[0])
    # 시드를 준 미니배치 함수: 같은 시드 같은 결과, 다른 시드 다른 결과
    batch = tf.constant(images(8))
    same = [cifar.random_crop_flip(batch, seed=tf.constant([3, 4], tf.int64)).numpy() for _ in range(2)]
    assert np.array_equal(*same)
    assert not np.array_equal(same[0], cifar.random_crop_flip(batch, seed=tf.constant([3, 5], tf.int64)).numpy())


def test_global_seed_changes_order_and_augmentation():
    """시드를 바꿔 학습하면(시드 사이의 흩어짐) 초깃값뿐 아니라 섞는 순서와 증강도 바뀌어야 합니다. make_dataset의
    seed는 텐서플로의 전역 시드(cnnbook.seed_everything)와 함께 난수를 정하므로, 같은 전역 시드면 같고 다른 전역
    시드면 다릅니다 (MNIST의 make_dataset도 같음)."""
    import cnnbook
    from cnnbook import mnist_lessons

    x, y = images(32), np.arange(32) % 10

    def run(seed):
        cnnbook.seed_everything(seed)
        pictures = np.concatenate([b.numpy() for b, _ in cifar.make_dataset(x, y, 8, augment=True)])
        order = next(iter(mnist_lessons.make_dataset(x[:, :28, :28, :1].astype("float32"), y, 8)))[1].numpy()
        return pictures, order

    (a, order_a), (b, order_b), (c, order_c) = run(1), run(1), run(2)
    assert np.array_equal(a, b) and np.array_equal(order_a, order_b)
    assert not np.array_equal(a, c) and not np.array_equal(order_a, order_c)


def test_crop_offsets_cover_every_window():
    """창의 위치 9×9와 뒤집기 2가지가 모두 나옵니다 (4.3.2-1의 답 162가 이 함수의 경우의 수)."""
    from cnnbook.exercises import ch04_3_2

    image = images(1, seed=5)
    tf.random.set_seed(0)
    out = cifar.random_crop_flip(tf.constant(np.repeat(image, 3000, axis=0))).numpy()
    seen = {crop.tobytes() for crop in out}
    assert seen <= reflected_windows(image[0])
    assert len(seen) == len(reflected_windows(image[0])) == ch04_3_2.CROPS


def test_train_feeds_augmented_images_to_the_model():
    """train에 augment=True인 처방을 주면 fit이 받는 데이터는 원본이 아니라 잘라 내고 뒤집은 이미지입니다."""
    x, y = images(10, seed=7), np.arange(10)  # 레이블로 원본을 알아볼 수 있게 열 장, 클래스마다 한 장
    model, _ = trained_tiny(dict(RECIPE, epochs=1, batch_size=5), x, y)
    (data,) = model.seen
    windows = {label: reflected_windows(image) for label, image in zip(y, x)}
    changed = total = 0
    for _ in range(3):  # 증강은 볼 때마다 새로 하므로 세 번 돌려 봅니다
        for xb, yb in data:
            for image, label in zip(xb.numpy().astype(np.uint8), yb.numpy().argmax(axis=1)):
                assert image.tobytes() in windows[label]  # 이미지와 레이블이 짝을 유지함
                changed += not np.array_equal(image, x[label])
                total += 1
    assert total == 30 and changed >= 20, f"fit이 받은 {total}장 가운데 {changed}장만 증강되었습니다"


def test_train_without_augment_feeds_originals():
    x, y = images(10, seed=7), np.arange(10)
    model, _ = trained_tiny(dict(RECIPE, epochs=1, batch_size=5, augment=False), x, y)
    for xb, yb in model.seen[0]:
        for image, label in zip(xb.numpy().astype(np.uint8), yb.numpy().argmax(axis=1)):
            assert np.array_equal(image, x[label])


# ------------------------------------------------------------------ 합친 연산의 배치 정규화

def bn_pair(shape):
    ours, theirs = cifar.BatchNorm(), tf.keras.layers.BatchNormalization(momentum=0.9, epsilon=1e-3)
    scale = np.linspace(0.5, 2.0, shape[-1]).astype("float32")
    for layer in (ours, theirs):
        layer.build(shape)
        layer.gamma.assign(scale)
        layer.beta.assign(1 - scale)
    return ours, theirs


def forward_and_gradients(layer, x, weights, training):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x, training=training)
        loss = tf.reduce_sum(y * weights)
    return y, tape.gradient(loss, [x, *layer.trainable_variables])


X = tf.random.stateless_normal([16, 6, 6, 4], seed=[3, 4], mean=2.0, stddev=3.0)
W = tf.random.stateless_normal([16, 6, 6, 4], seed=[5, 6])  # 손실 = Σ y·W (기울기가 0이 되지 않게)


def assert_close(a, b, tolerance=1e-4):
    a, b = np.asarray(a), np.asarray(b)
    scale = max(1.0, float(np.abs(b).max()))
    assert float(np.abs(a - b).max()) <= tolerance * scale, float(np.abs(a - b).max())


@pytest.mark.parametrize("training", [True, False], ids=["학습", "추론"])
def test_batch_norm_forward_and_gradients_match_keras(training):
    ours, theirs = bn_pair(X.shape)
    theirs.moving_mean.assign([0.5, 1.0, 1.5, 2.0])
    theirs.moving_variance.assign([4.0, 9.0, 1.0, 2.0])
    ours.moving_mean.assign(theirs.moving_mean)
    ours.moving_variance.assign(theirs.moving_variance)
    y_ours, g_ours = forward_and_gradients(ours, X, W, training)
    y_theirs, g_theirs = forward_and_gradients(theirs, X, W, training)
    assert_close(y_ours, y_theirs)
    assert len(g_ours) == len(g_theirs) == 3  # 입력, 배율(gamma), 이동(beta)
    for mine, keras in zip(g_ours, g_theirs):
        assert_close(mine, keras)
    assert float(tf.reduce_max(tf.abs(g_theirs[1]))) > 1  # 비교한 기울기가 0이 아님


def test_batch_norm_moving_statistics_update_like_keras():
    ours, theirs = bn_pair(X.shape)
    for step in range(3):
        x = X * (1 + step) + step  # 단계마다 다른 평균과 분산
        ours(x, training=True)
        theirs(x, training=True)
        assert_close(ours.moving_mean.numpy(), theirs.moving_mean.numpy(), 1e-5)
        assert_close(ours.moving_variance.numpy(), theirs.moving_variance.numpy(), 1e-5)
    assert float(np.abs(ours.moving_mean.numpy()).min()) > 0.5  # 실제로 갱신되었음
    assert ours.moving_mean.dtype == "float32" and not ours.moving_mean.trainable
    # 갱신한 이동 통계로 추론해도 같은 값
    assert_close(ours(X, training=False), theirs(X, training=False))


def test_frozen_batch_norm_behaves_like_keras():
    """trainable=False인 계층은 학습 모드로 불러도 이동 통계로 정규화하고, 통계를 바꾸지 않으며, 학습할 변수가 없습니다."""
    ours, theirs = bn_pair(X.shape)
    for layer in (ours, theirs):
        layer.moving_mean.assign([0.5, 1.0, 1.5, 2.0])
        layer.moving_variance.assign([4.0, 9.0, 1.0, 2.0])
        layer.trainable = False
    y_ours, g_ours = forward_and_gradients(ours, X, W, training=True)
    y_theirs, g_theirs = forward_and_gradients(theirs, X, W, training=True)
    assert_close(y_ours, y_theirs)
    assert len(g_ours) == len(g_theirs) == 1  # 입력에 대한 기울기만
    assert_close(g_ours[0], g_theirs[0])
    assert np.allclose(ours.moving_mean.numpy(), [0.5, 1.0, 1.5, 2.0])
    assert np.allclose(ours.moving_variance.numpy(), [4.0, 9.0, 1.0, 2.0])
    assert ours.trainable_variables == []


@pytest.mark.filterwarnings("ignore:The model does not have any trainable weights")
def test_frozen_batch_norm_inside_a_model_keeps_its_statistics():
    inputs = tf.keras.Input((6, 6, 4))
    norm = cifar.BatchNorm()
    model = tf.keras.Model(inputs, tf.keras.layers.Flatten()(norm(inputs)))
    model.trainable = False
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X.numpy(), np.zeros((16, 144), np.float32), epochs=1, verbose=0)
    assert np.array_equal(norm.moving_mean.numpy(), np.zeros(4)) and np.array_equal(norm.gamma.numpy(), np.ones(4))


@pytest.mark.parametrize("policy", ["mixed_bfloat16"])
def test_batch_norm_in_mixed_precision(policy):
    """혼합 정밀도에서도 네 변수는 float32로 두고, 출력은 계산 자료형이며, 케라스와 bfloat16 한 칸 안에서 같습니다."""
    tf.keras.mixed_precision.set_global_policy(policy)
    x = tf.cast(X, tf.keras.mixed_precision.global_policy().compute_dtype)
    ours, theirs = bn_pair(x.shape)
    a, b = ours(x, training=True), theirs(x, training=True)
    assert a.dtype == x.dtype and all(v.dtype == "float32" for v in ours.weights)
    assert float(tf.reduce_max(tf.abs(tf.cast(a, tf.float32) - tf.cast(b, tf.float32)))) < 0.05  # 값 ~4의 bf16 한 칸 0.03
    assert_close(ours.moving_mean.numpy(), theirs.moving_mean.numpy(), 1e-2)
