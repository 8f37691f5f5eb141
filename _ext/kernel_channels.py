"""노트북을 실행하는 동안 커널의 답을 놓쳐 책 만들기가 멈추는 일을 막습니다 (Sphinx 확장).

myst-nb는 nbclient로 노트북을 실행하고, nbclient는 jupyter_client의 비동기 채널
(``AsyncZMQSocketChannel.get_msg``)로 커널의 답을 기다립니다. 이 함수는 ``socket.poll(timeout)`` 을 한 번만
부르므로, pyzmq의 asyncio 소켓이 메시지 도착 알림을 놓치면 메시지가 이미 와 있는데도 제한 시간(셀마다 30분)까지
기다립니다. 이 기계와 CI에서 커널은 셀을 끝내고 쉬는데 실행기는 답을 기다리며 멈춘 것을 보았습니다
(py-spy: 두 프로세스 모두 epoll 대기; 커널의 ``In`` 에는 그 셀이 들어 있음).

여기서는 ``get_msg`` 를 1초씩 나누어 기다리게 바꿉니다. 알림을 놓쳐도 다음 ``poll`` 이 먼저 기다리지 않고 소켓을
확인하므로(pyzmq의 비동기 poll은 처음에 바로 확인함) 늦어도 1초 뒤에 답을 받습니다. 전체 제한 시간은 그대로입니다.

바꾸기 전에 원래 함수의 소스 해시를 확인하고(``KNOWN_SOURCES``), 모르는 소스이면 책 만들기를 멈춥니다.
jupyter_client, pyzmq, nbclient 의 판은 requirements.txt 가 고정합니다. 위로 올라간 고침(upstream fix)이
있는지는 CONTRIBUTING.md 의 "노트북 실행이 멈출 때"에 적었습니다.
"""
from __future__ import annotations

import hashlib
import inspect
import textwrap
import time
from queue import Empty

STEP_SECONDS = 1.0
# 바꿔 끼우는 원래 함수(``AsyncZMQSocketChannel.get_msg``, 들여쓰기를 뺀 소스)의 SHA-256 → 그 소스를 담은
# jupyter_client 판. 셋 모두 ``socket.poll(timeout)`` 을 한 번 부르고 답을 받는 같은 동작입니다 (소스를 읽어 확인;
# 8.10.0 은 requirements.txt 가 고정한 판으로 책 만들기와 테스트가 돈 판). 모르는 소스이면 바꾸지 않고 멈춥니다:
# 새 판이 동작을 바꿨을 수 있으므로 읽어 보고 여기에 더하거나, 고침이 필요 없어졌으면 이 확장을 빼세요.
KNOWN_SOURCES = {
    "c23dcb25261856b3ec1614abcdb85d77b14487ae1c7f090c44c2847776716d9a": "8.0.0–8.6.1",
    "fae4331f9f979ea70fb8a4fd8a55a352aa2a330f2a73fabb805a0a2d1a7b6e32": "8.6.2–8.6.3",
    "a9db0fd2e0f533b39d66516a62cf1a7b838aeae8a8dbb615576e2e1e28504644": "8.7.0–8.10.0",
}


class UnknownChannelCode(RuntimeError):
    """jupyter_client 의 ``get_msg`` 가 이 고침이 아는 소스가 아닙니다."""


def source_hash(function) -> str:
    """함수 소스(들여쓰기를 뺀 것)의 SHA-256. 소스를 읽을 수 없으면 빈 글자."""
    try:
        return hashlib.sha256(textwrap.dedent(inspect.getsource(function)).encode()).hexdigest()
    except (OSError, TypeError):
        return ""


def check_original(function) -> str:
    """바꿔 끼울 원래 함수가 아는 소스이면 그 jupyter_client 판 범위를, 아니면 :class:`UnknownChannelCode`."""
    digest = source_hash(function)
    if digest in KNOWN_SOURCES:
        return KNOWN_SOURCES[digest]
    try:
        from importlib.metadata import version

        installed = version("jupyter_client")
    except Exception:  # noqa: BLE001 - 판을 모르면 모른다고 적습니다
        installed = "?"
    raise UnknownChannelCode(
        f"_ext/kernel_channels.py: jupyter_client {installed} 의 AsyncZMQSocketChannel.get_msg 가 이 고침이 아는 "
        f"소스가 아닙니다 (sha256 {digest[:12] or '없음'}…). 새 소스를 읽고 KNOWN_SOURCES 에 더하거나, requirements.txt "
        "가 고정한 판을 설치하세요 (bash scripts/install.sh).\n"
        f"Unknown jupyter_client {installed} AsyncZMQSocketChannel.get_msg source; refusing to patch it. "
        "Review the new source and add its hash to KNOWN_SOURCES, or install the pinned versions."
    )


def patch_async_channel() -> bool:
    """``AsyncZMQSocketChannel.get_msg`` 를 나누어 기다리는 판으로 바꿉니다. 이미 바꿨으면 그대로 둡니다."""
    from jupyter_client.channels import AsyncZMQSocketChannel

    if getattr(AsyncZMQSocketChannel.get_msg, "_cnnbook_patched", False):
        return False
    check_original(AsyncZMQSocketChannel.get_msg)  # 모르는 소스이면 여기서 멈춥니다

    async def get_msg(self, timeout: float | None = None):
        """메시지가 있으면 돌려주고, ``timeout`` 초 안에 없으면 ``queue.Empty``."""
        assert self.socket is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = STEP_SECONDS if deadline is None else max(0.0, deadline - time.monotonic())
            if await self.socket.poll(int(min(STEP_SECONDS, left) * 1000)):
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty

    get_msg._cnnbook_patched = True  # type: ignore[attr-defined]
    AsyncZMQSocketChannel.get_msg = get_msg  # type: ignore[method-assign]
    return True


def setup(app):
    patch_async_channel()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
