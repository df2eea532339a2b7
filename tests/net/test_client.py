"""The Limiter's slots (``verifier/net/client.py``): in order, an urgent request first, none lost; the requests'
deadlines (``Deadlines``): asyncio.timeout's contract."""

from __future__ import annotations

import asyncio

import pytest

from verifier.net.client import Deadlines, Limiter, Slots


def test_slots_serve_waiters_in_order_and_an_urgent_one_first() -> None:
    order: list[str] = []

    async def go() -> None:
        slots = Slots(1)
        await slots.acquire()  # held: every one below waits

        async def take(name: str, urgent: bool = False) -> None:
            await slots.acquire(urgent)
            order.append(name)
            await asyncio.sleep(0)
            slots.release()

        tasks = [asyncio.ensure_future(take("a")), asyncio.ensure_future(take("b"))]
        await asyncio.sleep(0)
        tasks.append(asyncio.ensure_future(take("probe", urgent=True)))
        await asyncio.sleep(0)
        slots.release()
        await asyncio.gather(*tasks)
        assert slots.free == 1 and not slots.waiters

    asyncio.run(go())
    assert order == ["probe", "a", "b"]


def test_a_waiter_cancelled_as_it_is_handed_a_slot_passes_it_on() -> None:
    async def go() -> None:
        slots = Slots(1)
        await slots.acquire()
        first = asyncio.ensure_future(slots.acquire())
        second = asyncio.ensure_future(slots.acquire())
        await asyncio.sleep(0)
        slots.release()  # handed to `first`…
        first.cancel()  # …which is cancelled before it runs: the slot goes to `second`
        await second
        assert first.cancelled() and slots.free == 0
        slots.release()
        assert slots.free == 1 and not slots.waiters

    asyncio.run(go())


def test_a_host_never_has_more_requests_in_flight_than_its_slots() -> None:
    async def go() -> dict[str, int]:
        limiter = Limiter(total=5, per_host=2)
        active: dict[str, int] = {}
        most: dict[str, int] = {}

        async def request(host: str, urgent: bool) -> None:
            async with limiter.slot(host, urgent=urgent):
                active[host] = active.get(host, 0) + 1
                most[host] = max(most.get(host, 0), active[host])
                await asyncio.sleep(0)
                active[host] -= 1

        await asyncio.gather(*(request(f"h{i % 3}", i % 4 == 0) for i in range(40)))
        return most

    assert asyncio.run(go()) == {"h0": 2, "h1": 2, "h2": 2}


async def _timed(deadlines: Deadlines, wait: asyncio.Event | None) -> str:
    async with deadlines.within():
        if wait is not None:
            await wait.wait()
    return "done"


def test_deadlines_end_only_the_requests_that_outlive_them() -> None:
    async def go() -> list[object]:
        deadlines = Deadlines(0.05)
        never = asyncio.Event()
        soon = asyncio.Event()
        tasks = [asyncio.ensure_future(_timed(deadlines, w)) for w in (None, never, soon, never, None)]
        await asyncio.sleep(0)
        soon.set()
        first = await asyncio.gather(*tasks, return_exceptions=True)
        # a second wave after the timer fired: timed again from its own start
        second = await asyncio.gather(_timed(deadlines, never), _timed(deadlines, None), return_exceptions=True)
        return [*first, *second]

    got = asyncio.run(go())
    assert [type(r) if isinstance(r, BaseException) else r for r in got] == \
        ["done", TimeoutError, "done", TimeoutError, "done", TimeoutError, "done"]


def test_a_cancelled_request_stays_cancelled_and_the_task_goes_on() -> None:
    async def go() -> tuple[bool, str]:
        deadlines = Deadlines(60)
        task = asyncio.ensure_future(_timed(deadlines, asyncio.Event()))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        after = await _timed(deadlines, None)  # the queue holds nothing of the cancelled one that matters
        return task.cancelled(), after

    assert asyncio.run(go()) == (True, "done")


def test_a_timed_out_request_leaves_its_task_usable() -> None:
    async def go() -> tuple[str, int]:
        deadlines = Deadlines(0.02)
        try:
            await _timed(deadlines, asyncio.Event())
        except TimeoutError:
            pass
        await asyncio.sleep(0.01)  # no cancellation left pending on this task
        task = asyncio.current_task()
        assert task is not None
        return await _timed(deadlines, None), task.cancelling()

    assert asyncio.run(go()) == ("done", 0)


def test_deadlines_work_across_event_loops() -> None:
    deadlines = Deadlines(0.02)

    async def go() -> list[object]:
        return await asyncio.gather(_timed(deadlines, asyncio.Event()), _timed(deadlines, None),
                                    return_exceptions=True)

    for _ in range(2):
        got = asyncio.run(go())
        assert isinstance(got[0], TimeoutError) and got[1] == "done"


def test_the_network_runs_with_the_collector_on_and_seldom_and_leaves_it_as_it_was() -> None:
    import gc

    from verifier.net.client import COLLECT_EVERY, run_sync

    async def inside() -> tuple[bool, int]:
        return gc.isenabled(), gc.get_threshold()[0]

    before = gc.get_threshold(), gc.isenabled()
    gc.disable()  # as the pipeline's pure stages leave it
    try:
        assert run_sync(inside()) == (True, COLLECT_EVERY)
        assert not gc.isenabled() and gc.get_threshold() == before[0]
    finally:
        if before[1]:
            gc.enable()
