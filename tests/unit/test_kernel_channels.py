"""_ext/kernel_channels.py: 커널의 답을 기다리다 알림을 놓쳐도 멈추지 않습니다."""
from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from queue import Empty

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "_ext"))
import kernel_channels  # noqa: E402
from jupyter_client.channels import AsyncZMQSocketChannel  # noqa: E402


class MissedWakeupSocket:
    """메시지는 이미 와 있는데 첫 poll 은 알림을 놓친 것처럼 제한 시간 내내 기다리고 0을 돌려주는 소켓."""

    def __init__(self, ready_after: int):
        self.calls = []
        self.ready_after = ready_after

    async def poll(self, timeout_ms):
        self.calls.append(timeout_ms)
        if len(self.calls) <= self.ready_after:
            await asyncio.sleep(timeout_ms / 1000 if timeout_ms is not None else 3600)
            return 0
        return 1


def channel(socket):
    chan = AsyncZMQSocketChannel.__new__(AsyncZMQSocketChannel)
    chan.socket = socket

    async def recv():
        return {"msg": "reply"}

    chan._recv = recv
    return chan


ORIGINAL = AsyncZMQSocketChannel.get_msg


@pytest.fixture(autouse=True)
def patched(monkeypatch):
    monkeypatch.setattr(kernel_channels, "STEP_SECONDS", 0.05)
    original = AsyncZMQSocketChannel.get_msg
    kernel_channels.patch_async_channel()
    yield
    AsyncZMQSocketChannel.get_msg = original


def test_missed_wakeup_costs_one_step_not_the_whole_timeout():
    socket = MissedWakeupSocket(ready_after=1)
    start = time.monotonic()
    reply = asyncio.run(channel(socket).get_msg(timeout=30))
    assert reply == {"msg": "reply"}
    assert time.monotonic() - start < 1, "제한 시간(30초)까지 기다렸습니다"
    assert socket.calls[0] == 50  # 한 번에 한 걸음(0.05초)씩만 기다립니다


def test_no_message_still_times_out_and_no_timeout_waits_in_steps():
    with pytest.raises(Empty):
        asyncio.run(channel(MissedWakeupSocket(ready_after=10**6)).get_msg(timeout=0.2))
    socket = MissedWakeupSocket(ready_after=3)
    assert asyncio.run(channel(socket).get_msg(timeout=None)) == {"msg": "reply"}
    assert socket.calls[:3] == [50, 50, 50]


def test_patch_is_applied_once():
    assert kernel_channels.patch_async_channel() is False
    assert getattr(AsyncZMQSocketChannel.get_msg, "_cnnbook_patched", False)


def test_every_notebook_runner_applies_the_patch():
    """nbclient로 노트북을 돌리는 스크립트는 모두 같은 고침을 씁니다 (timings.py가 고침 없이 멈춘 적이 있음)."""
    root = Path(__file__).resolve().parents[2]
    runners = [p for p in [*root.glob("scripts/*.py"), *root.glob("tests/**/*.py")]
               if "NotebookClient(" in p.read_text(encoding="utf-8")]
    assert runners, "NotebookClient를 쓰는 스크립트를 찾지 못했습니다"
    missing = [str(p.relative_to(root)) for p in runners
               if "patch_async_channel()" not in p.read_text(encoding="utf-8")]
    assert not missing, f"커널 대기 고침(_ext/kernel_channels.py)을 쓰지 않습니다: {missing}"


def test_installed_jupyter_client_is_a_known_source():
    """설치된 jupyter_client 의 get_msg 는 고침이 아는 소스입니다 (requirements.txt 가 고정한 판)."""
    assert not getattr(ORIGINAL, "_cnnbook_patched", False)
    assert kernel_channels.check_original(ORIGINAL) in kernel_channels.KNOWN_SOURCES.values()


def test_unknown_source_is_not_patched_and_stops_loudly():
    """jupyter_client 가 get_msg 를 바꾸면(예: 새 판) 고치지 않고 한국어와 영어로 멈춥니다."""
    async def get_msg(self, timeout=None):  # 새 판이 고쳤다고 가정한 다른 소스
        return await self._recv_with_retry(timeout)

    patched_one = AsyncZMQSocketChannel.get_msg
    AsyncZMQSocketChannel.get_msg = get_msg
    try:
        with pytest.raises(kernel_channels.UnknownChannelCode, match="KNOWN_SOURCES") as error:
            kernel_channels.patch_async_channel()
        assert AsyncZMQSocketChannel.get_msg is get_msg, "모르는 소스는 바꾸지 않습니다"
        assert "jupyter_client" in str(error.value) and "Unknown" in str(error.value)
    finally:
        AsyncZMQSocketChannel.get_msg = patched_one


def test_kernel_packages_are_pinned_to_the_tested_ranges():
    """jupyter_client, pyzmq, nbclient 는 requirements.txt 에 범위가 고정되어 있고, 설치된 판이 그 안에 있습니다."""
    from importlib.metadata import version

    from packaging.requirements import Requirement

    root = Path(__file__).resolve().parents[2]
    lines = [line.split("#")[0].strip() for line in (root / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    pins = {}
    for line in lines:
        if line and not line.startswith("-"):
            requirement = Requirement(line)
            pins[requirement.name.lower().replace("_", "-")] = requirement.specifier
    for name in ("jupyter-client", "pyzmq", "nbclient"):
        assert name in pins and pins[name], f"requirements.txt 가 {name} 의 판 범위를 고정하지 않습니다"
        assert any(spec.operator == "<" for spec in pins[name]), f"{name}: 위쪽 한계(<)가 없습니다"
        assert pins[name].contains(version(name)), f"설치된 {name} {version(name)} 이 {pins[name]} 밖입니다"
