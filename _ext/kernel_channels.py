"""노트북을 실행하는 동안 커널의 답을 놓쳐 책 만들기가 멈추는 일을 막습니다 (Sphinx 확장).

myst-nb는 nbclient로 노트북을 실행하고, nbclient는 jupyter_client의 비동기 채널
(``AsyncZMQSocketChannel.get_msg``)로 커널의 답을 기다립니다. 이 함수는 ``socket.poll(timeout)`` 을 한 번만
부르므로, pyzmq의 asyncio 소켓이 메시지 도착 알림을 놓치면 메시지가 이미 와 있는데도 제한 시간(셀마다 30분)까지
기다립니다. 이 기계와 CI에서 커널은 셀을 끝내고 쉬는데 실행기는 답을 기다리며 멈춘 것을 보았습니다
(py-spy: 두 프로세스 모두 epoll 대기; 커널의 ``In`` 에는 그 셀이 들어 있음).

여기서는 ``get_msg`` 를 1초씩 나누어 기다리게 바꿉니다. 알림을 놓쳐도 다음 ``poll`` 이 먼저 기다리지 않고 소켓을
확인하므로(pyzmq의 비동기 poll은 처음에 바로 확인함) 늦어도 1초 뒤에 답을 받습니다. 전체 제한 시간은 그대로입니다.
"""
from __future__ import annotations

import time
from queue import Empty

STEP_SECONDS = 1.0


def patch_async_channel() -> bool:
    """``AsyncZMQSocketChannel.get_msg`` 를 나누어 기다리는 판으로 바꿉니다. 이미 바꿨으면 그대로 둡니다."""
    from jupyter_client.channels import AsyncZMQSocketChannel

    if getattr(AsyncZMQSocketChannel.get_msg, "_cnnbook_patched", False):
        return False

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
