"""부록 A.3: 원래 장의 MNIST 모델(합성곱 5×5×32 → 풀링 → 합성곱 5×5×64 → 풀링 → 완전 연결 1024 → 드롭아웃 →
완전 연결 10)을 구조는 그대로 두고 학습 방법만으로 어디까지 올릴 수 있는지 재는 코드.

두 표시 줄(save-begin, save-end) 사이는 부록 A.3 노트북의 ``#@save cnnbook/mnist_best.py`` 셀을 그대로 옮긴
강의 코드입니다(노트북이 원본). 텐서플로를 바로 불러오므로 ``cnnbook/__init__.py`` 는 이 모듈을 불러오지 않습니다.
"""
import time

import numpy as np
import tensorflow as tf

from cnnbook.mnist_lessons import BETTER_BATCH, MnistCNN, make_dataset, predict_probabilities, warmup_cosine
from cnnbook.progress import TrainingLog

# @save-begin A3_fast_mnist.ipynb mb-augment
def shift_rotate(images, seed, shift=2.0, degrees=10.0):
    """미니배치 [B, 28, 28, 1]의 이미지마다 가운데를 중심으로 ±degrees도 안에서 돌리고 ±shift픽셀 안에서 옮깁니다.

    출력 픽셀마다 입력의 어느 자리를 읽을지 정하는 아핀 변환 하나로 하고(쌍선형 보간), 밖에서 온 자리는 0입니다.
    seed(정수 두 개)가 같으면 늘 같은 결과입니다.
    """
    batch = tf.shape(images)[0]
    u = tf.random.stateless_uniform([batch, 3], seed=seed, minval=-1.0, maxval=1.0)
    angle = u[:, 0] * degrees * np.pi / 180
    cos, sin = tf.cos(angle), tf.sin(angle)
    dx, dy = u[:, 1] * shift, u[:, 2] * shift
    c = 13.5  # 28×28의 가운데
    zeros = tf.zeros_like(cos)
    # 출력 (x, y)는 입력 (cos·x − sin·y + a, sin·x + cos·y + b)를 읽습니다 (가운데를 중심으로 돌리고 옮김)
    transforms = tf.stack([cos, -sin, c - cos * c + sin * c - dx,
                           sin, cos, c - sin * c - cos * c - dy, zeros, zeros], axis=1)
    return tf.raw_ops.ImageProjectiveTransformV3(
        images=images, transforms=transforms, output_shape=[28, 28], fill_value=0.0,
        interpolation="BILINEAR", fill_mode="CONSTANT")
# @save-end

# @save-begin A3_fast_mnist.ipynb mb-train
def train_augmented(images, labels, steps, shift=2.0, degrees=10.0, smoothing=0.0, average_decay=0.999, seed=0,
                    desc="증강 처방"):
    """4.2.5의 더 나은 처방(He 초깃값, Adam, 워밍업 뒤 코사인, 이미지 128장짜리 미니배치)에 증강, 레이블 스무딩,
    가중치 평균을 더해 새 MnistCNN을 steps 단계 학습합니다.

    shift=degrees=0이면 증강 없이, smoothing=0이면 원-핫 레이블로, average_decay=0이면 평균 없이 합니다.
    (모델, 평균 가중치를 넣은 모델 또는 None, 걸린 초)를 돌려줍니다.
    """
    model = MnistCNN(he_init=True)
    variables = model.ordered_weights()
    optimizer = tf.keras.optimizers.Adam(warmup_cosine(steps))
    average = [tf.Variable(v) for v in variables] if average_decay else []
    done = tf.Variable(0.0)

    @tf.function
    def train_step(x, y):
        if shift or degrees:
            x = shift_rotate(x, tf.stack([tf.constant(seed, tf.int64), tf.cast(done, tf.int64)]), shift, degrees)
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            target = tf.one_hot(y, 10) * (1 - smoothing) + smoothing / 10  # 레이블 스무딩
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=target, logits=logits))
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        # 가중치의 지수 이동 평균: 처음에는 decay를 작게 해 초깃값이 평균에 오래 남지 않게 합니다
        decay = tf.minimum(average_decay, (1 + done) / (10 + done))
        for mean, v in zip(average, variables):
            mean.assign(decay * mean + (1 - decay) * v)
        done.assign_add(1)
        return loss, tf.reduce_mean(tf.cast(tf.argmax(logits, 1, output_type=tf.int32) == y, tf.float32))

    log = TrainingLog(steps, desc=desc, every=max(1, steps // 200))
    start = time.perf_counter()
    for x, y in make_dataset(images, labels, BETTER_BATCH, seed=seed).take(steps):
        log.step(*train_step(x, y))
    log.close()
    seconds = time.perf_counter() - start
    averaged = None
    if average:
        averaged = MnistCNN(he_init=True)
        for v, mean in zip(averaged.ordered_weights(), average):
            v.assign(mean)
    return model, averaged, seconds
# @save-end


# @save-begin A3_fast_mnist.ipynb mb-tta
def shift_average(model, images, batch_size=1000):
    """원본과 위·아래·왼쪽·오른쪽으로 1픽셀 옮긴 네 장, 모두 다섯 장의 소프트맥스 확률 평균 (이미지 수, 10)."""
    padded = np.pad(images, [(0, 0), (1, 1), (1, 1), (0, 0)])  # 옮겨서 빈 자리는 0(배경)
    views = [padded[:, 1 + dy:29 + dy, 1 + dx:29 + dx] for dy, dx in [(0, 0), (-1, 0), (1, 0), (0, -1), (0, 1)]]
    return np.mean([predict_probabilities(model, view, batch_size) for view in views], axis=0)
# @save-end
