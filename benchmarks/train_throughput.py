"""4.2.4절 MNIST 합성곱 신경망의 학습 처리량 벤치마크 (손으로 실행, 테스트 아님).

같은 실행 안에서 다음을 잽니다.
1. 이 컴퓨터의 fp32 행렬 곱 성능(GFLOP/s): 학습 속도를 견줄 "천장"
2. 책의 저수준 학습 반복(tf.Module + tf.function + tf.data)의 초당 이미지 수
3. 같은 구조의 케라스 ``fit`` 의 초당 이미지 수
그리고 이미지 한 장의 학습 FLOP 수로 각 방법이 낸 GFLOP/s 와 행렬 곱 천장 대비 비율, 방법 사이의 비율을 출력합니다.

    python benchmarks/train_throughput.py                       # 기본: 미니배치 50, 128, 256
    python benchmarks/train_throughput.py --batch-sizes 128 --jit both --repeats 5
    TF_ENABLE_ONEDNN_OPTS=0 python benchmarks/train_throughput.py   # oneDNN 끄고 비교

시간은 다른 프로그램이 CPU를 함께 쓰면 크게 흔들리므로 여러 번 재서 가장 빠른 값을 씁니다.
실행 전후의 부하(load average)도 함께 출력합니다.
"""
from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

# 이미지 한 장의 순전파 FLOP (곱셈과 덧셈을 각각 1로 셈; 편향, ReLU, 풀링은 무시할 만큼 작음)
FORWARD_FLOPS = {
    "conv1": 2 * 28 * 28 * 5 * 5 * 1 * 32,
    "conv2": 2 * 14 * 14 * 5 * 5 * 32 * 64,
    "fc1": 2 * 7 * 7 * 64 * 1024,
    "fc2": 2 * 1024 * 10,
}
# 역전파: 모든 계층의 가중치 기울기(순전파와 같은 양) + 입력 기울기(첫 계층은 필요 없음)
TRAIN_FLOPS = 3 * sum(FORWARD_FLOPS.values()) - FORWARD_FLOPS["conv1"]


def load_average() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "알 수 없음"


def matmul_gflops(n: int = 2048, repeats: int = 5) -> float:
    """n×n fp32 행렬 곱의 GFLOP/s (여러 번 재서 가장 빠른 값)."""
    a = tf.random.normal([n, n])
    b = tf.random.normal([n, n])
    matmul = tf.function(lambda a, b: tf.matmul(a, b))
    matmul(a, b).numpy()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(5):
            c = matmul(a, b)
        c.numpy()
        best = min(best, (time.perf_counter() - start) / 5)
    return 2 * n**3 / best / 1e9


# --- 책의 저수준 모델 (notebooks/04_2_4_mnist_cnn.ipynb 의 layers.py 와 MnistCNN 과 같은 계산) ---
def weight_variable(shape):
    return tf.Variable(tf.random.truncated_normal(shape, stddev=0.1))


def bias_variable(shape):
    return tf.Variable(tf.fill(shape, 0.1))


class MnistCNN(tf.Module):
    def __init__(self):
        super().__init__()
        self.W_conv1, self.b_conv1 = weight_variable([5, 5, 1, 32]), bias_variable([32])
        self.W_conv2, self.b_conv2 = weight_variable([5, 5, 32, 64]), bias_variable([64])
        self.W_fc1, self.b_fc1 = weight_variable([3136, 1024]), bias_variable([1024])
        self.W_fc2, self.b_fc2 = weight_variable([1024, 10]), bias_variable([10])

    def __call__(self, x, training=False):
        h = tf.nn.relu(tf.nn.conv2d(x, self.W_conv1, 1, "SAME") + self.b_conv1)
        h = tf.nn.max_pool2d(h, 2, 2, "SAME")
        h = tf.nn.relu(tf.nn.conv2d(h, self.W_conv2, 1, "SAME") + self.b_conv2)
        h = tf.nn.max_pool2d(h, 2, 2, "SAME")
        h = tf.nn.relu(tf.reshape(h, [-1, 3136]) @ self.W_fc1 + self.b_fc1)
        if training:
            h = tf.nn.dropout(h, rate=0.5)
        return h @ self.W_fc2 + self.b_fc2


def make_train_step(model, optimizer, jit: bool):
    @tf.function(jit_compile=jit)
    def train_step(x_batch, y_batch):
        with tf.GradientTape() as tape:
            logits = model(x_batch, training=True)
            loss = tf.reduce_mean(
                tf.nn.softmax_cross_entropy_with_logits(labels=tf.one_hot(y_batch, 10), logits=logits)
            )
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        predicted = tf.argmax(logits, axis=1, output_type=tf.int32)
        return loss, tf.reduce_mean(tf.cast(predicted == y_batch, tf.float32))

    return train_step


def load_data():
    try:
        import cnnbook

        (x_train, y_train), _ = cnnbook.load_mnist()
        source = "MNIST"
    except Exception:  # 데이터가 없으면 같은 모양의 난수로 (속도는 데이터 값과 무관)
        rng = np.random.default_rng(0)
        x_train = rng.integers(0, 256, (60000, 28, 28), dtype=np.uint8)
        y_train = rng.integers(0, 10, 60000).astype(np.uint8)
        source = "난수 (MNIST 없음)"
    x_train = (x_train / 255.0).astype("float32")[..., np.newaxis]
    return x_train, y_train.astype("int32"), source


def make_dataset(x_train, y_train, batch_size):
    dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(10_000, seed=42).repeat()
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def time_loop(x_train, y_train, batch_size, steps, repeats, jit, pipeline=True, read_loss=True):
    """저수준 반복의 초당 이미지 (가장 빠른 반복). pipeline=False 이면 같은 미니배치 하나만 되풀이."""
    tf.keras.utils.set_random_seed(42)
    model = MnistCNN()
    train_step = make_train_step(model, tf.keras.optimizers.Adam(1e-4), jit)
    dataset = make_dataset(x_train, y_train, batch_size)
    iterator = iter(dataset)
    fixed = next(iterator)
    for _ in range(3):  # 트레이싱과 첫 실행
        train_step(*fixed)[0].numpy()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            batch = next(iterator) if pipeline else fixed
            loss, accuracy = train_step(*batch)
            if read_loss:  # 책의 진행 막대처럼 단계마다 손실을 파이썬 수로 읽음
                float(loss), float(accuracy)
        float(loss)
        best = min(best, time.perf_counter() - start)
    return steps * batch_size / best


def time_fit(x_train, y_train, batch_size, steps, repeats, jit):
    """케라스 fit 의 초당 이미지 (steps_per_epoch=steps 인 fit 한 번을 repeats 번 재서 가장 빠른 값)."""
    import cnnbook.mnist_model as mm

    tf.keras.utils.set_random_seed(42)
    model = mm.build_keras_cnn(probabilities=False)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(1e-4),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        jit_compile=jit,
    )
    dataset = make_dataset(x_train, y_train, batch_size)
    model.fit(dataset, epochs=1, steps_per_epoch=3, verbose=0, shuffle=False)  # 트레이싱
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        model.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0, shuffle=False)
        best = min(best, time.perf_counter() - start)
    return steps * batch_size / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch-sizes", default="50,128,256", help="쉼표로 구분한 미니배치 크기")
    parser.add_argument("--images", type=int, default=4000, help="한 번 잴 때 학습할 이미지 수 (대략)")
    parser.add_argument("--repeats", type=int, default=3, help="같은 측정을 되풀이할 횟수 (가장 빠른 값 사용)")
    parser.add_argument("--jit", choices=["off", "on", "both"], default="both", help="tf.function(jit_compile=...) XLA")
    parser.add_argument("--variants", action="store_true", help="데이터 파이프라인과 손실 읽기의 영향도 잼")
    args = parser.parse_args()
    batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    jits = {"off": [False], "on": [True], "both": [False, True]}[args.jit]

    onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "(기본값: x86에서 켜짐)")
    print(f"TensorFlow {tf.__version__}, 파이썬 {platform.python_version()}, CPU 코어 {os.cpu_count()}개, "
          f"TF_ENABLE_ONEDNN_OPTS={onednn}")
    print(f"시작 부하(load average 1/5/15분): {load_average()}")
    print(f"이미지 한 장의 FLOP: 순전파 {sum(FORWARD_FLOPS.values()) / 1e6:.2f} M, 학습(순전파+역전파) {TRAIN_FLOPS / 1e6:.2f} M")

    x_train, y_train, source = load_data()
    print(f"데이터: {source}")
    peak = matmul_gflops()
    print(f"fp32 행렬 곱 2048×2048: {peak:.1f} GFLOP/s\n")

    rows = []

    def report(name, batch, jit, images_per_second):
        gflops = images_per_second * TRAIN_FLOPS / 1e9
        rows.append((name, batch, jit, images_per_second, gflops))
        print(f"{name:<26} 미니배치 {batch:>4}  XLA {'켬' if jit else '끔'}  "
              f"{images_per_second:8.0f} 이미지/초  {gflops:6.1f} GFLOP/s  시작 때 잰 천장의 {gflops / peak:6.1%}", flush=True)

    for batch in batch_sizes:
        steps = max(10, args.images // batch)
        for jit in jits:
            report("저수준 반복 (책)", batch, jit, time_loop(x_train, y_train, batch, steps, args.repeats, jit))
            report("케라스 fit", batch, jit, time_fit(x_train, y_train, batch, steps, args.repeats, jit))
            if args.variants:
                report("저수준, 손실 안 읽음", batch, jit,
                       time_loop(x_train, y_train, batch, steps, args.repeats, jit, read_loss=False))
                report("저수준, tf.data 없이", batch, jit,
                       time_loop(x_train, y_train, batch, steps, args.repeats, jit, pipeline=False))

    peak_after = matmul_gflops()
    print(f"\nfp32 행렬 곱(끝에 다시 잼): {peak_after:.1f} GFLOP/s, 끝 부하: {load_average()}")
    ceiling = max(peak, peak_after)
    print(f"\n요약 (천장 = 두 번 잰 행렬 곱 가운데 큰 값 {ceiling:.1f} GFLOP/s):")
    print("| 방법 | 미니배치 | XLA | 이미지/초 | GFLOP/s | 천장 대비 |")
    print("|---|---:|---|---:|---:|---:|")
    for name, batch, jit, ips, gflops in rows:
        print(f"| {name} | {batch} | {'켬' if jit else '끔'} | {ips:,.0f} | {gflops:.1f} | {gflops / ceiling:.0%} |")
    print("\n비율 (같은 미니배치·XLA 설정에서 저수준 반복 ÷ 케라스 fit):")
    table = {(name, batch, jit): ips for name, batch, jit, ips, _ in rows}
    for batch in batch_sizes:
        for jit in jits:
            loop, fit = table[("저수준 반복 (책)", batch, jit)], table[("케라스 fit", batch, jit)]
            print(f"  미니배치 {batch:>4}, XLA {'켬' if jit else '끔'}: {loop / fit:.2f}배")
    best = max((r for r in rows if r[0] == "저수준 반복 (책)"), key=lambda r: r[3])
    print(f"\n책의 반복 최고: 미니배치 {best[1]}, XLA {'켬' if best[2] else '끔'} → {best[3]:.0f} 이미지/초, "
          f"{best[4]:.1f} GFLOP/s = 행렬 곱 천장({ceiling:.1f})의 {best[4] / ceiling:.0%}")


if __name__ == "__main__":
    main()
