"""독자에게 보여 줄 한국어 오류."""


class BookError(ValueError):
    """잘못된 입력이나 환경을 한국어로 설명하는 오류.

    노트북에서는 :func:`cnnbook.runtime.setup` 이 이 오류를 긴 트레이스백 대신
    메시지 한 줄로 보여 주도록 IPython을 설정합니다.
    """


def require(condition: bool, message: str) -> None:
    """``condition`` 이 거짓이면 ``message`` 로 :class:`BookError` 를 일으킵니다."""
    if not condition:
        raise BookError(message)
