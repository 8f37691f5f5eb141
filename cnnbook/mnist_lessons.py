"""4.2.4–4.2.5절이 가르치는 MNIST 합성곱 신경망 코드 (노트북의 ``#@save`` 셀에서 내보낸 것).

표시(``# @save-begin`` … ``# @save-end``) 사이의 코드는 노트북 셀과 글자 하나까지 같습니다.
노트북을 고친 뒤 ``python scripts/export_lessons.py`` 로 다시 씁니다(``--check`` 는 차이를 찾음).
패키지의 :func:`cnnbook.trained_mnist_cnn`, 구조도, 벤치마크가 모두 이 코드를 씁니다.
텐서플로를 바로 불러오므로 ``cnnbook/__init__.py`` 는 이 모듈을 불러오지 않습니다.
"""
import numpy as np
import tensorflow as tf


# @save-begin 04_2_4_mnist_cnn.ipynb save-prepare
def prepare_images(images):
    """0–255 정수 이미지 (N, 28, 28)를 0–1 실수 4차원 텐서 (N, 28, 28, 1)로 바꿉니다."""
    return (np.asarray(images, dtype="float32") / 255.0)[..., np.newaxis]
# @save-end


# @save-begin 04_2_4_mnist_cnn.ipynb save-layers
def weight_variable(shape, stddev=0.1, name=None):
    """절단 정규분포(표준편차 stddev, 2σ 밖의 값은 다시 뽑음)로 초기화한 가중치 변수."""
    return tf.Variable(tf.random.truncated_normal(shape, stddev=stddev), name=name)


def bias_variable(shape, name=None):
    """모든 값이 0.1인 편향 변수."""
    return tf.Variable(tf.fill(shape, 0.1), name=name)


def conv2d(x, W):
    """스트라이드 1, SAME 패딩 합성곱: 출력의 높이와 너비가 입력과 같습니다."""
    return tf.nn.conv2d(x, W, strides=1, padding="SAME")


def max_pool_2x2(x):
    """2×2 창, 스트라이드 2 최대 풀링: 높이와 너비가 절반이 됩니다."""
    return tf.nn.max_pool2d(x, ksize=2, strides=2, padding="SAME")


def conv_layer(x, W, b):
    """합성곱 계층: 합성곱 + 편향 + ReLU."""
    return tf.nn.relu(conv2d(x, W) + b)


def full_layer(x, W, b):
    """완전 연결 계층: 행렬 곱 + 편향 (활성화 함수는 부르는 쪽에서 적용)."""
    return tf.matmul(x, W) + b
# @save-end


# @save-begin 04_2_4_mnist_cnn.ipynb save-train
import time

from cnnbook.progress import TrainingLog


def make_train_step(model, optimizer):
    """model을 optimizer로 한 단계 학습하고 (손실, 미니배치 정확도)를 돌려주는 함수를 만듭니다."""

    @tf.function
    def train_step(x_batch, y_batch):
        with tf.GradientTape() as tape:
            logits = model(x_batch, training=True)
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(
                labels=tf.one_hot(y_batch, 10), logits=logits))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        predicted = tf.argmax(logits, axis=1, output_type=tf.int32)
        accuracy = tf.reduce_mean(tf.cast(predicted == y_batch, tf.float32))
        return loss, accuracy

    return train_step


def make_dataset(images, labels, batch_size, seed=42):
    """(images, labels)를 섞어 이미지 batch_size장짜리 미니배치로 끝없이 내놓는 데이터셋."""
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    dataset = dataset.shuffle(10_000, seed=seed).repeat()
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def train(model, optimizer, dataset, steps, desc="학습"):
    """steps 단계 학습하고 (단계별 기록, 걸린 초)를 돌려줍니다."""
    train_step = make_train_step(model, optimizer)
    log = TrainingLog(steps, desc=desc, every=max(1, steps // 200))
    start = time.perf_counter()
    for x_batch, y_batch in dataset.take(steps):
        loss, accuracy = train_step(x_batch, y_batch)
        log.step(loss, accuracy)
    log.close()
    return log.history, time.perf_counter() - start


def predict_probabilities(model, images, batch_size=1000):
    """images를 batch_size장씩 모델에 넣어 소프트맥스 확률 (이미지 수, 10)을 돌려줍니다."""
    parts = [tf.nn.softmax(model(images[i:i + batch_size])).numpy()
             for i in range(0, len(images), batch_size)]
    return np.concatenate(parts)


def accuracy_of(model, images, labels):
    """모델이 images를 맞힌 비율 (드롭아웃은 꺼진 상태)."""
    return float(np.mean(predict_probabilities(model, images).argmax(axis=1) == labels))
# @save-end


# @save-begin 04_2_4_mnist_cnn.ipynb save-seed-recipe
SEED_BATCH = 50  # 원래 장의 처방: 이미지 50장짜리 미니배치, Adam 학습률 10⁻⁴
SEED_LR = 1e-4


def train_seed_recipe(images, labels, steps, model=None, desc="원래 처방"):
    """원래 장의 처방으로 model(없으면 새 MnistCNN)을 steps 단계 학습합니다."""
    model = MnistCNN() if model is None else model
    optimizer = tf.keras.optimizers.Adam(learning_rate=SEED_LR)
    dataset = make_dataset(images, labels, SEED_BATCH)
    history, seconds = train(model, optimizer, dataset, steps, desc)
    return model, history, seconds
# @save-end


# @save-begin 04_2_4_mnist_cnn.ipynb save-model
def he_stddev(shape):
    """He 초깃값: 입력 수(shape에서 마지막 축을 뺀 곱)에 맞춘 표준편차 √(2/입력 수)."""
    return float(np.sqrt(2.0 / np.prod(shape[:-1])))


class MnistCNN(tf.Module):
    """합성곱 5×5×32 → 풀링 → 합성곱 5×5×64 → 풀링 → 완전 연결 1024 → 드롭아웃 → 완전 연결 10."""

    def __init__(self, dropout_rate=0.5, he_init=False, kernel_size=5, name="mnist_cnn"):
        super().__init__(name=name)
        self.dropout_rate = dropout_rate
        k = kernel_size

        def weight(shape, name):
            # 원래 장은 모든 계층에 표준편차 0.1, he_init=True이면 계층마다 He 값(4.2.5절).
            # 절단 정규분포는 표준편차가 약 0.88배로 줄므로 He 값은 그만큼 나눠 맞춥니다.
            stddev = he_stddev(shape) / 0.8796 if he_init else 0.1
            return weight_variable(shape, stddev=stddev, name=name)

        self.W_conv1 = weight([k, k, 1, 32], name="W_conv1")
        self.b_conv1 = bias_variable([32], name="b_conv1")
        self.W_conv2 = weight([k, k, 32, 64], name="W_conv2")
        self.b_conv2 = bias_variable([64], name="b_conv2")
        self.W_fc1 = weight([7 * 7 * 64, 1024], name="W_fc1")
        self.b_fc1 = bias_variable([1024], name="b_fc1")
        self.W_fc2 = weight([1024, 10], name="W_fc2")
        self.b_fc2 = bias_variable([10], name="b_fc2")

    def __call__(self, x, training=False):
        conv1 = conv_layer(x, self.W_conv1, self.b_conv1)  # (N, 28, 28, 32)
        conv1_pool = max_pool_2x2(conv1)  # (N, 14, 14, 32)
        conv2 = conv_layer(conv1_pool, self.W_conv2, self.b_conv2)  # (N, 14, 14, 64)
        conv2_pool = max_pool_2x2(conv2)  # (N, 7, 7, 64)
        flat = tf.reshape(conv2_pool, [-1, 7 * 7 * 64])  # (N, 3136): -1은 "남는 만큼" = N
        full_1 = tf.nn.relu(full_layer(flat, self.W_fc1, self.b_fc1))  # (N, 1024)
        if training:
            full_1 = tf.nn.dropout(full_1, rate=self.dropout_rate)
        return full_layer(full_1, self.W_fc2, self.b_fc2)  # 로짓 (N, 10)

    def ordered_weights(self):
        """계층 순서대로 [W, b, W, b, ...] (케라스의 get_weights()와 같은 순서)."""
        return [self.W_conv1, self.b_conv1, self.W_conv2, self.b_conv2,
                self.W_fc1, self.b_fc1, self.W_fc2, self.b_fc2]
# @save-end


# @save-begin 04_2_5_better_training.ipynb save-split
def split_validation(images, labels, size=5000):
    """학습 데이터의 마지막 size장을 검증 데이터로 떼어 ((학습), (검증))으로 돌려줍니다."""
    return (images[:-size], labels[:-size]), (images[-size:], labels[-size:])
# @save-end


# @save-begin 04_2_5_better_training.ipynb save-better
BETTER_BATCH = 128  # 더 나은 처방: He 초깃값, 미니배치 128, 학습률 0 → 2×10⁻³ → 0
BETTER_PEAK_LR = 2e-3
BETTER_EPOCHS = 3


def warmup_cosine(steps, peak=BETTER_PEAK_LR, warmup_fraction=0.1):
    """처음 10% 단계는 0 → peak로 올리고, 나머지는 코사인 곡선으로 0까지 줄이는 학습률 스케줄."""
    warmup = int(steps * warmup_fraction)
    return tf.keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=0.0, decay_steps=steps - warmup,
        warmup_target=peak, warmup_steps=warmup)


def train_better_recipe(images, labels, steps, model=None, desc="더 나은 처방"):
    """더 나은 처방으로 model(없으면 He 초깃값의 새 MnistCNN)을 steps 단계 학습합니다."""
    model = MnistCNN(he_init=True) if model is None else model
    optimizer = tf.keras.optimizers.Adam(warmup_cosine(steps))
    dataset = make_dataset(images, labels, BETTER_BATCH)
    history, seconds = train(model, optimizer, dataset, steps, desc)
    return model, history, seconds
# @save-end


# @save-begin 04_2_5_better_training.ipynb save-keras
def build_keras_cnn(probabilities=True):
    """MnistCNN과 같은 구조의 케라스 모델 (He 초깃값, 편향 0.1).

    probabilities=True이면 끝에 소프트맥스 계층을 붙여 predict가 확률을 돌려줍니다
    (매개변수는 늘지 않습니다). False이면 로짓을 돌려줍니다.
    """
    layers = tf.keras.layers
    init = {"kernel_initializer": "he_normal",
            "bias_initializer": tf.keras.initializers.Constant(0.1)}
    stack = [
        tf.keras.Input(shape=(28, 28, 1), name="image"),
        layers.Conv2D(32, 5, padding="same", activation="relu", name="conv1", **init),
        layers.MaxPooling2D(2, padding="same", name="pool1"),
        layers.Conv2D(64, 5, padding="same", activation="relu", name="conv2", **init),
        layers.MaxPooling2D(2, padding="same", name="pool2"),
        layers.Flatten(name="flatten"),
        layers.Dense(1024, activation="relu", name="fc1", **init),
        layers.Dropout(0.5, name="dropout"),
        layers.Dense(10, name="fc2", **init),  # 로짓
    ]
    if probabilities:
        stack.append(layers.Softmax(name="probabilities"))
    return tf.keras.Sequential(stack, name="mnist_cnn")
# @save-end
