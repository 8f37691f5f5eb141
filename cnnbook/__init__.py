"""합성곱 신경망 교재의 노트북이 함께 쓰는 코드.

강의 자체의 코드(합성곱 계층, 모델)는 노트북에 그대로 보이도록 두고,
여기에는 데이터 불러오기, 한글 글꼴, 재현성, 위젯 틀처럼 매번 반복되는 것만 둡니다.
텐서플로는 필요한 함수 안에서만 불러오므로 이 패키지를 import해도 느려지지 않습니다.
"""
from cnnbook.data import load_cifar10, load_mnist
from cnnbook.errors import BookError
from cnnbook import exercises  # cnnbook.exercises.check(...) 를 바로 쓰도록
from cnnbook.fonts import use_korean_font
from cnnbook.mnist_model import trained_mnist_cnn
from cnnbook.runtime import SEED, is_fast, pick, seed_everything, setup


def trained_cifar_cnn(which="lesson", *, retrain=False, epochs=None, train_size=None, verbose=True):
    """학습된 CIFAR-10 모델 (:func:`cnnbook.cifar.trained_cifar_cnn`). 텐서플로는 이때 불러옵니다.

    ``which="lesson"`` (기본): 4.3의 맨 위 칸. ``which="speedrun"``: 부록 A.2의 맨 위 칸. 캐시 파일은 따로입니다.

    캐시는 검증 정확도와 학습 코드의 지문으로 확인하고, 확인에서 탈락한 파일은 지우지 않고 옆으로 치웁니다.
    기준에 못 미친 모델도 버리지 않고 경고와 함께 돌려줍니다(``model.cache_info['below_floor']``).
    """
    from cnnbook.cifar import trained_cifar_cnn as load

    return load(which, retrain=retrain, epochs=epochs, train_size=train_size, verbose=verbose)


__all__ = [
    "BookError",
    "SEED",
    "is_fast",
    "load_cifar10",
    "load_mnist",
    "pick",
    "seed_everything",
    "setup",
    "trained_cifar_cnn",
    "trained_mnist_cnn",
    "use_korean_font",
]
__version__ = "0.3.7"
