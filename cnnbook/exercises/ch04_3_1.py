"""4.3.1 연습 문제: VGG 방식에서 완전 연결 계층을 뺀 신경망을 만들고, 학습해 짝지어 비교한 결과를 읽기."""
from __future__ import annotations

from cnnbook.exercises import EMPTY_MESSAGE, Exercise, register

NO_DENSE = "완전 연결 없는 VGG"  # 노트북이 학생의 모델을 학습해 적는 칸의 이름
BASELINE = "VGG 방식"
VERDICTS = {"better": "나아짐", "same": "오차 범위 안", "worse": "나빠짐"}
_MEAN, _STD = (125.0, 123.0, 114.0), (63.0, 62.0, 67.0)


def _layout(model) -> list[tuple]:
    """계층마다 (종류, 매개변수 수, 출력 모양)."""
    return [(type(layer).__name__, layer.count_params(), tuple(layer.output.shape)) for layer in model.layers]


def _solution_vgg(mean, std):
    import tensorflow as tf

    from cnnbook.cifar import input_block, logits_layer

    inputs, x = input_block(mean, std)
    for filters in (32, 64, 128):
        for _ in range(3):
            x = tf.keras.layers.Conv2D(filters, 3, padding="same", kernel_initializer="he_normal", activation="relu")(x)
        x = tf.keras.layers.MaxPooling2D(2)(x)
        x = tf.keras.layers.Dropout(0.25)(x)
    x = tf.keras.layers.GlobalMaxPooling2D()(x)
    return tf.keras.Model(inputs, logits_layer(x), name="vgg_no_dense")


def check_no_dense(answer):
    import numpy as np

    from cnnbook.cifar import vgg_style_cnn

    if not callable(answer):
        return "my_vgg 함수 자체를 넘기세요 (괄호 없이)."
    mean, std = np.array(_MEAN), np.array(_STD)
    model = answer(mean, std)
    if model is None:
        return EMPTY_MESSAGE + ": my_vgg가 아직 모델을 돌려주지 않습니다 (return 줄을 채우세요)."
    if tuple(model.output.shape) != (None, 10):
        return f"출력 모양이 {tuple(model.output.shape)} 입니다. 클래스 10개의 로짓이 나와야 합니다."
    dense = [layer for layer in model.layers if type(layer).__name__ == "Dense"]
    if len(dense) > 1:
        return "완전 연결 계층이 아직 둘입니다. 로짓을 내는 마지막 계층 하나만 남기세요."
    want = _solution_vgg(mean, std)
    if model.count_params() != want.count_params():
        original = vgg_style_cnn(mean, std).count_params()
        return (f"매개변수가 {model.count_params():,}개입니다. VGG 방식({original:,}개)에서 빠지는 것은 512 뉴런 계층과 "
                "로짓 계층의 입력이 줄어든 만큼뿐이어야 합니다. 합성곱 묶음은 그대로 두었나요?")
    if _layout(model) != _layout(want):
        return "매개변수 수는 맞지만 계층의 순서나 종류가 다릅니다. 묶음마다의 드롭아웃과 전역 최대 풀링은 그대로 두세요."
    return None


class _Recorded:
    """테스트용 사다리: 두 칸의 이미지별 정답 여부만 가진 것 (노트북에서는 cnnbook.ladder.Ladder)."""

    def __init__(self, old, new):
        self.results = {BASELINE: {"correct": old}, NO_DENSE: {"correct": new}}

    def compare(self, new, old):
        from cnnbook.stats import paired_difference

        return paired_difference(self.results[old]["correct"], self.results[new]["correct"])


def _recorded_worse():
    import numpy as np

    old = np.ones(600, dtype=bool)
    new = np.arange(600) % 3 != 0  # 200장 더 틀림
    return _Recorded(old, new)


def check_verdict(answer):
    try:
        verdict, ladder = answer
    except (TypeError, ValueError):
        return "(verdict, ladder) 꼴로 넘기세요."
    if verdict is None:
        return EMPTY_MESSAGE + ": verdict에 \"나아짐\", \"오차 범위 안\", \"나빠짐\" 가운데 하나를 적으세요."
    results = getattr(ladder, "results", None)
    if not isinstance(results, dict) or NO_DENSE not in results or BASELINE not in results:
        return "먼저 위 셀에서 완전 연결 없는 VGG를 학습하세요 (문제 1의 모델이 있어야 학습합니다)."
    if str(verdict).strip() not in VERDICTS.values():
        return "\"나아짐\", \"오차 범위 안\", \"나빠짐\" 가운데 하나로 적으세요."
    diff = ladder.compare(NO_DENSE, BASELINE)
    if str(verdict).strip() == VERDICTS[diff.verdict]:
        return None
    return "95% 구간을 다시 보세요. 구간이 0을 품으면 가려낼 수 없는 차이이고, 품지 않으면 구간이 0의 어느 쪽에 있는지가 답입니다."


def _still_dense(mean, std):
    from cnnbook.cifar import vgg_style_cnn

    return vgg_style_cnn(mean, std)


def _no_block_dropout(mean, std):
    """완전 연결 계층과 함께 묶음마다의 드롭아웃까지 뺀 모델 (매개변수 수는 같지만 구조가 다름)."""
    import tensorflow as tf

    from cnnbook.cifar import input_block, logits_layer

    inputs, x = input_block(mean, std)
    for filters in (32, 64, 128):
        for _ in range(3):
            x = tf.keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = tf.keras.layers.MaxPooling2D(2)(x)
    x = tf.keras.layers.GlobalMaxPooling2D()(x)
    return tf.keras.Model(inputs, logits_layer(x))


register(Exercise(
    key="4.3.1-1", check=check_no_dense, solution=_solution_vgg, wrong=(_still_dense, _no_block_dropout, 3),
    done="완전 연결 계층 하나를 빼자 매개변수가 크게 줄었습니다. 이제 아래 셀에서 학습해 비교해 보세요.",
))
register(Exercise(
    key="4.3.1-2", check=check_verdict, solution=("나빠짐", _recorded_worse()),
    wrong=(("나아짐", _recorded_worse()), ("오차 범위 안", _recorded_worse()), ("좋아짐", _recorded_worse())),
    also_right=((" 나빠짐 ", _recorded_worse()),),
    done="짝지은 구간을 바르게 읽었습니다.",
))
