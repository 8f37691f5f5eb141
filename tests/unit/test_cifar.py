"""cnnbook.cifar: 4.3절의 강의 코드(나누기, 모델, 파이프라인, FLOP, 뒤집기 평균)와 장치(캐시, 연습 문제 4.3).

처방의 각 부분(레이블 스무딩, 스케줄, 가중치 감쇠, 증강)과 BatchNorm은 test_cifar_recipe.py 가 확인합니다.
캐시 테스트는 학습을 가짜로 바꾸고 작은 합성 데이터를 써서 몇 초 안에 끝납니다. 결정은 검증 정확도로만 합니다.
"""
import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

import cnnbook  # noqa: E402
from cnnbook import BookError, cifar  # noqa: E402
from cnnbook.exercises import ch04_3_2, chA1, evaluate  # noqa: E402
from cnnbook.weights_file import read_weights, write_weights  # noqa: E402

MEAN, STD = np.array([125.0, 123.0, 114.0]), np.array([63.0, 62.0, 67.0])


def images(n=6, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)


def test_split_and_stats():
    x, y = images(20), np.arange(20).reshape(-1, 1) % 10
    (xt, yt), (xv, yv) = cifar.split_validation(x, y, n_val=5)
    assert len(xt) == 15 and len(xv) == 5 and np.array_equal(xv, x[-5:])
    assert yt.shape == (15,) and yt.dtype == np.int32 and np.array_equal(yv, np.arange(15, 20) % 10)
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


def test_dataset_batches_one_hot_labels():
    x, y = images(10), np.arange(10)
    batches = list(cifar.make_dataset(x, y, 4, augment=True))
    assert len(batches) == 2  # 학습용은 남는 미니배치를 버립니다
    xb, yb = batches[0]
    assert xb.shape == (4, 32, 32, 3) and xb.dtype == tf.float32
    assert yb.shape == (4, 10) and np.array_equal(yb.numpy().sum(1), np.ones(4))
    ordered = list(cifar.make_dataset(x, y, 4, shuffle=False))
    assert len(ordered) == 3 and np.array_equal(ordered[0][0].numpy(), x[:4].astype(np.float32))
    assert np.array_equal(ordered[2][1].numpy().argmax(1), [8, 9])


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
    assert channels == [32, 64, 64, 256, 256, 256, 256]


def test_tta_averages_original_and_flipped():
    model = cifar.fast_cnn(MEAN, STD)
    x = images(5)
    plain = cifar.predict_probs(model, x)
    flipped = cifar.predict_probs(model, x[:, :, ::-1])
    both = cifar.predict_probs(model, x, tta=True, batch_size=2)
    assert np.allclose(plain.sum(1), 1, atol=1e-5)
    assert np.allclose(both, (plain + flipped) / 2, atol=1e-5)
    labels = np.array([0, 1, 2, 3, 4])
    assert cifar.accuracy(model, x, labels) == np.mean(plain.argmax(1) == labels)
    assert cifar.accuracy(model, x, plain.argmax(1)) == 1.0


def test_bf16_detection(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor : 0\nflags : fpu sse avx2 avx512f amx_bf16\n")
    assert cifar.cpu_flags(str(info)) >= {"avx2", "amx_bf16"}
    assert cifar.has_native_bf16({"avx512_bf16"}) and not cifar.has_native_bf16({"avx2", "fma"})
    assert cifar.cpu_flags(str(tmp_path / "missing")) == set()


def test_train_images_per_s_is_batch_over_median_step_time(monkeypatch):
    """초당 이미지 수 = 미니배치 크기 / (첫 단계를 뺀 단계 시간의 중앙값)."""
    timers = []

    class Recording(cifar._StepTimer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            timers.append(self)

    monkeypatch.setattr(cifar, "_StepTimer", Recording)
    rate = cifar.train_images_per_s(cifar.original_cnn(MEAN, STD, filters=(4,), dense=8), batch_size=8, steps=3)
    (timer,) = timers
    assert len(timer.seconds) == 4  # 단계 3개 + 버리는 첫 단계
    assert rate == pytest.approx(8 / float(np.median(timer.seconds[1:])))


# ------------------------------------------------------------------ 캐시: 검증 정확도로 결정하고, 버리지 않음

@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("CNNBOOK_FAST", "1")
    yield tmp_path / "cache"
    tf.keras.mixed_precision.set_global_policy("float32")


def info(val, partial=False, **extra):
    return {"val_accuracy": val, "partial": partial, "mean": list(MEAN), "std": list(STD), **extra}


def rejected(path):
    return path.with_name(f"{path.stem}.rejected{path.suffix}")


SYNTHETIC_VAL = (images(40, seed=11), np.arange(40) % 10)


@pytest.fixture
def synthetic(monkeypatch):
    """_data를 작은 합성 데이터로 바꾸고, 새로 학습하는 대신 부른 횟수를 세는 가짜 학습을 넣습니다."""
    calls = []

    def fake_data(train_size=None):
        return (images(40, seed=10), np.arange(40) % 10), SYNTHETIC_VAL, (images(40, seed=12), np.arange(40) % 10)

    def fake_train(epochs=None, train_size=None, verbose=True):
        calls.append({"epochs": epochs, "train_size": train_size})
        model = cifar.fast_cnn(MEAN, STD)
        return model, info(measured(model), partial=True, val_images=40, test_accuracy=0.11)

    monkeypatch.setattr(cifar, "_data", fake_data)
    monkeypatch.setattr(cifar, "train_cifar_model", fake_train)
    return calls


def measured(model):
    return cifar.accuracy(model, *SYNTHETIC_VAL)


def test_validation_floor_comes_from_the_reference_validation_accuracy():
    standard_error = np.sqrt(cifar.REFERENCE_VAL * (1 - cifar.REFERENCE_VAL) / cifar.N_VAL)
    assert cifar.VAL_FLOOR == 0.895
    assert 2.5 * standard_error < cifar.REFERENCE_VAL - cifar.VAL_FLOOR < 4 * standard_error
    assert cifar.val_floor(False) == cifar.VAL_FLOOR and cifar.val_floor(True) == cifar.PARTIAL_VAL_FLOOR
    assert cifar.N_VAL == 5000 and len(cifar.split_validation(images(5010), np.zeros(5010))[1][0]) == cifar.N_VAL


def test_save_needs_a_validation_accuracy(cache):
    model = cifar.fast_cnn(MEAN, STD)
    with pytest.raises(BookError, match="검증 정확도"):
        cifar.save_cifar_weights(model, {"test_accuracy": 0.93, "mean": list(MEAN), "std": list(STD)})
    with pytest.raises(BookError, match="검증 이미지 수"):
        cifar.save_cifar_weights(model, info(0.93, val_images=0))
    assert not cache.exists() or not list(cache.iterdir())


def test_save_keeps_a_model_below_the_floor_and_marks_it(cache, capsys):
    model = cifar.fast_cnn(MEAN, STD)
    path = cifar.save_cifar_weights(model, info(0.5, test_accuracy=0.99))  # 테스트 정확도는 결정에 쓰지 않음
    err = capsys.readouterr().err
    assert "기준" in err and "버리지 않고" in err and "50.00%" in err
    weights, saved = cifar.load_cifar_weights(path)
    assert path == cache / cifar.FULL_FILE
    assert saved["below_floor"] is True and saved["val_floor"] == cifar.VAL_FLOOR and saved["val_accuracy"] == 0.5
    assert saved["code"] == cifar.training_code_hash() and saved["val_images"] == cifar.N_VAL
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))
    good = cifar.save_cifar_weights(model, info(0.9, partial=False))
    assert capsys.readouterr().err == "" and cifar.load_cifar_weights(good)[1]["below_floor"] is False
    partial = cifar.save_cifar_weights(model, info(0.25, partial=True))
    assert partial == cache / cifar.PARTIAL_FILE and cifar.load_cifar_weights(partial)[1]["below_floor"] is False


def test_corrupt_weights_give_korean_error(cache):
    cache.mkdir(parents=True)
    bad = cache / cifar.FULL_FILE
    bad.write_bytes(b"not a zip file")
    with pytest.raises(BookError, match="손상"):
        cifar.load_cifar_weights(bad)


def test_fresh_model_below_the_floor_is_returned_and_saved(cache, monkeypatch, capsys):
    model = cifar.fast_cnn(MEAN, STD)
    monkeypatch.setattr(cifar, "train_cifar_model",
                        lambda **kwargs: (model, info(0.42, partial=False, test_accuracy=0.4)))
    got = cifar.trained_cifar_cnn(verbose=True)
    out, err = capsys.readouterr()
    assert got is model and got.cache_info["below_floor"] is True and got.cache_info["val_accuracy"] == 0.42
    assert "42.00%" in err and "버리지 않고" in err
    assert "검증 정확도 42.00%" in out and "보고용 테스트 정확도 40.00%" in out
    assert cifar.load_cifar_weights(cache / cifar.FULL_FILE)[1]["below_floor"] is True


def test_matching_cache_is_reused_without_training(cache, synthetic, capsys):
    model = cifar.fast_cnn(MEAN, STD)
    path = cifar.save_cifar_weights(model, info(measured(model), partial=True, val_images=40))
    capsys.readouterr()
    got = cifar.trained_cifar_cnn(verbose=False)
    assert synthetic == [] and got.cache_info["path"] == str(path)
    assert got.cache_info["measured_val_accuracy"] == measured(model)
    assert all(np.array_equal(a, b) for a, b in zip(got.get_weights(), model.get_weights()))


def test_cache_with_a_wrong_validation_score_is_set_aside(cache, synthetic, capsys):
    model = cifar.fast_cnn(MEAN, STD)
    path = cifar.save_cifar_weights(model, info(min(1.0, measured(model) + 0.5), val_images=40))
    original = path.read_bytes()
    got = cifar.trained_cifar_cnn(verbose=False)
    out = capsys.readouterr().out
    assert len(synthetic) == 1 and got.cache_info["path"].endswith(cifar.PARTIAL_FILE)
    assert rejected(path).read_bytes() == original and not path.exists()  # 지우지 않고 옆으로
    assert "다시 잰 검증 정확도" in out


def test_changed_recipe_retrains_with_the_reason(cache, synthetic, monkeypatch, capsys):
    model = cifar.fast_cnn(MEAN, STD)
    path = cifar.save_cifar_weights(model, info(measured(model), partial=True, val_images=40))
    monkeypatch.setattr(cifar, "RECIPE", dict(cifar.RECIPE, label_smoothing=0.1))
    got = cifar.trained_cifar_cnn(verbose=False)
    out, err = capsys.readouterr()
    assert cifar.CODE_CHANGED in err and len(synthetic) == 1
    assert rejected(path).is_file() and path.is_file()  # 옛 파일은 옆에, 새로 학습한 것은 제자리에
    assert got.cache_info["code"] == cifar.training_code_hash()


def test_cache_without_a_code_hash_is_set_aside(cache, synthetic, capsys):
    model = cifar.fast_cnn(MEAN, STD)
    stamped = dict(info(measured(model), partial=True, val_images=40), format=cifar.FORMAT_VERSION)
    path = write_weights(cache / cifar.PARTIAL_FILE, model.get_weights(), stamped)  # 지문이 없는 예전 캐시
    cifar.trained_cifar_cnn(verbose=False)
    assert cifar.CODE_CHANGED in capsys.readouterr().err and len(synthetic) == 1 and rejected(path).is_file()


def test_unreadable_cache_is_set_aside_not_deleted(cache, synthetic):
    cache.mkdir(parents=True)
    bad = cache / cifar.FULL_FILE
    bad.write_bytes(b"not a zip file")
    cifar.trained_cifar_cnn(verbose=False)
    assert rejected(bad).read_bytes() == b"not a zip file" and len(synthetic) == 1


def test_cache_below_the_floor_is_used_with_a_warning(cache, synthetic, monkeypatch, capsys):
    model = cifar.fast_cnn(MEAN, STD)
    cifar.save_cifar_weights(model, info(measured(model), partial=True, val_images=40))
    monkeypatch.setattr(cifar, "PARTIAL_VAL_FLOOR", measured(model) + 0.05)
    capsys.readouterr()
    got = cifar.trained_cifar_cnn(verbose=False)
    assert synthetic == [] and got.cache_info["below_floor"] is True
    assert "retrain=True" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["split_validation", "fast_cnn", "conv_bn", "BatchNorm", "make_dataset",
                                  "random_crop_flip", "OneCycle", "make_optimizer", "train"])
def test_code_hash_covers_the_lesson_code(monkeypatch, name):
    before = cifar.training_code_hash()

    def replacement(*args, **kwargs):  # 다른 소스 코드
        return None

    monkeypatch.setattr(cifar, name, replacement)
    assert cifar.training_code_hash() != before


def test_missing_data_keeps_cached_weights(cache, monkeypatch):
    """데이터를 읽지 못하면 그 한국어 오류를 그대로 내고, 멀쩡한 가중치 파일은 옆으로 치우지 않습니다."""
    path = cifar.save_cifar_weights(cifar.fast_cnn(MEAN, STD), info(0.93))

    def no_data(*args):
        raise BookError("CIFAR-10 데이터를 찾지 못했습니다.")

    monkeypatch.setattr(cifar, "_data", no_data)
    with pytest.raises(BookError, match="찾지 못했습니다"):
        cifar.trained_cifar_cnn(verbose=False)
    assert path.is_file() and not rejected(path).exists()


def test_train_cifar_model_records_validation_and_reports_test(cache, monkeypatch):
    fit, val, test = (images(64, seed=1), np.arange(64) % 10), SYNTHETIC_VAL, (images(20, seed=2), np.arange(20) % 10)
    monkeypatch.setattr(cifar, "_data", lambda train_size: (fit, val, test))
    seen = {}

    def fake_train(model, train_xy, val_xy, recipe, progress=None, desc=""):
        seen.update(recipe=recipe, val=val_xy)
        return {"seconds": 1.0, "images_per_s": 64.0, "val": 0.375}

    monkeypatch.setattr(cifar, "train", fake_train)
    monkeypatch.setattr(cifar, "use_precision", lambda *args, **kwargs: "float32")
    model, result = cifar.train_cifar_model(epochs=2, verbose=False)
    assert seen["val"] is val and seen["recipe"]["batch_size"] == 64 and seen["recipe"]["epochs"] == 2
    assert result["val_accuracy"] == 0.375 and result["val_images"] == 40 and result["partial"] is True
    assert result["test_accuracy"] == cifar.accuracy(model, *test)
    path = cifar.save_cifar_weights(model, result)
    assert read_weights(path, cifar.FORMAT_VERSION)[1]["below_floor"] is False  # 0.375 ≥ 일부 학습 기준 0.20


def test_trained_cifar_cnn_on_real_data(cache, real_data, real_cifar10, capsys):
    """실제 데이터로 짧게(2,000장, 4 에포크) 학습: 일부 학습 기준을 검증 데이터에서 넘고, 다음에는 캐시에서 읽습니다."""
    fake = cifar.fast_cnn(MEAN, STD)
    fake_path = cifar.save_cifar_weights(fake, info(0.95))  # 학습하지 않은 가중치에 높은 점수를 적은 캐시
    model = cifar.trained_cifar_cnn(verbose=False)
    assert rejected(fake_path).is_file()
    assert model.cache_info["partial"] and model.cache_info["val_images"] == cifar.N_VAL
    assert model.cache_info["val_accuracy"] >= cifar.PARTIAL_VAL_FLOOR and not model.cache_info["below_floor"]
    again = cifar.trained_cifar_cnn(verbose=False)  # 이번에는 캐시에서
    assert again.cache_info["path"].endswith(cifar.PARTIAL_FILE)
    assert again.cache_info["measured_val_accuracy"] == pytest.approx(model.cache_info["val_accuracy"], abs=0.01)


# ------------------------------------------------------------------ 연습 문제 4.3

def test_conv_flops_key_agrees_with_flops_per_image():
    """정답(공식으로 계산)이 fast_cnn의 해당 합성곱을 flops_per_image로 센 값과 같습니다."""
    model = cifar.fast_cnn(MEAN, STD)
    conv = [layer for layer in model.layers if isinstance(layer, tf.keras.layers.Conv2D)][1]
    assert tuple(conv.kernel.shape) == (3, 3, 32, 64) and tuple(conv.output.shape[1:3]) == (32, 32)
    assert cifar.flops_per_image(tf.keras.Model(conv.input, conv.output)) == chA1.CONV_FLOPS == 37_748_736


@pytest.mark.parametrize("answer", [37748736, "37748736", "37,748,736", " 37 748 736 ", 37748736.0, "3.7748736e7",
                                    np.int64(37748736)])
def test_conv_flops_accepts_the_answer_written_many_ways(answer):
    assert evaluate("A.1-1", answer).status == "right"


@pytest.mark.parametrize("answer", ["37,748,737", "삼천칠백만", 3.5, "3.5", True, [37748736], float("nan"), "1e400"])
def test_conv_flops_rejects_wrong_answers_with_a_korean_hint(answer):
    result = evaluate("A.1-1", answer)  # 확인 함수가 오류("error")를 내지 않고 힌트를 줍니다
    assert result.status == "wrong" and any("가" <= ch <= "힣" for ch in result.message)


@pytest.mark.parametrize("answer", [162, "162", 162.0])
def test_crops_accepts_the_answer(answer):
    assert evaluate("4.3.2-1", answer).status == "right"


def test_crops_rejects_text_without_crashing():
    result = evaluate("4.3.2-1", "백육십이")
    assert result.status == "wrong" and "수" in result.message
