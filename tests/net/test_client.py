"""The Limiter's slots (``verifier/net/client.py``): in order, an urgent request first, none lost."""

from __future__ import annotations

import asyncio

from verifier.net.client import Limiter, Slots


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
