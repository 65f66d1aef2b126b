"""`SharedRead`: one read for the callers waiting when it starts, and never one that started
before a caller called (what keeps a match current with every commit made before it)."""

from __future__ import annotations

import asyncio

import pytest

from app.db import SharedRead


class Source:
    """A value that commits change, read by reads that the test lets finish one by one."""

    def __init__(self) -> None:
        self.value = 0
        self.started: list[int] = []  # the value each read saw when it started
        self.release = asyncio.Event()
        self.fail_next = False

    async def read(self) -> int:
        seen = self.value
        self.started.append(seen)
        await self.release.wait()
        self.release.clear()
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("the database went away")
        return seen


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_a_caller_alone_reads_at_once() -> None:
    async def scenario() -> None:
        source = Source()
        shared = SharedRead(source.read)
        first = asyncio.create_task(shared())
        await settle()
        source.release.set()
        assert await first == 0
        source.value = 1
        second = asyncio.create_task(shared())
        await settle()
        source.release.set()
        assert await second == 1
        assert source.started == [0, 1]

    asyncio.run(scenario())


def test_callers_during_a_read_share_the_next_one_which_sees_their_commits() -> None:
    async def scenario() -> None:
        source = Source()
        shared = SharedRead(source.read)
        early = asyncio.create_task(shared())
        await settle()  # its read is in flight, having seen 0
        source.value = 1  # a commit, then three matches: the read in flight is too old
        late = [asyncio.create_task(shared()) for _ in range(3)]
        await settle()
        assert source.started == [0]
        source.release.set()
        assert await early == 0
        await settle()
        assert source.started == [0, 1]  # one more read, for the three together
        source.release.set()
        assert await asyncio.gather(*late) == [1, 1, 1]

    asyncio.run(scenario())


def test_a_failed_read_fails_its_callers_only() -> None:
    async def scenario() -> None:
        source = Source()
        shared = SharedRead(source.read)
        first = asyncio.create_task(shared())
        await settle()
        later = asyncio.create_task(shared())
        source.fail_next = True
        source.release.set()
        with pytest.raises(RuntimeError, match="went away"):
            await first
        await settle()
        source.release.set()
        assert await later == 0

    asyncio.run(scenario())


def test_a_caller_that_gives_up_leaves_the_read_to_the_others() -> None:
    async def scenario() -> None:
        source = Source()
        shared = SharedRead(source.read)
        leaving = asyncio.create_task(shared())
        staying = asyncio.create_task(shared())
        await settle()
        leaving.cancel()
        await settle()
        source.release.set()
        assert await staying == 0
        assert leaving.cancelled()
        assert source.started == [0]

    asyncio.run(scenario())


def test_works_in_one_event_loop_after_another() -> None:
    source = Source()
    shared = SharedRead(source.read)

    async def once() -> int:
        source.release = asyncio.Event()  # (an event belongs to one loop, like a future)
        task = asyncio.create_task(shared())
        await settle()
        source.release.set()
        return await task

    assert asyncio.run(once()) == 0
    source.value = 5
    assert asyncio.run(once()) == 5
