"""Claims of docs/timeouts/shield.md."""

import asyncio

import pytest

from tests.support import load_module, run_main, timed


async def test_the_handler_is_cancelled_but_the_save_completes(recipe):
    run = await run_main(recipe)
    assert run.result == (True, ["order 1"])
    assert run.output.splitlines() == [
        "1.00 s  client went away: cancelling the handler",
        "1.00 s  handler cancelled: True",
        "1.00 s  saves still running: 1",
        "2.00 s  order 1 saved",
        "2.00 s  done: ['order 1']",
    ]
    assert run.elapsed == 2.0


async def test_code_after_the_shielded_await_does_not_run_when_cancelled(recipe):
    run = await run_main(recipe)
    assert "response sent" not in run.output


async def test_without_cancellation_the_handler_returns_and_responds(recipe):
    module = load_module(recipe)
    background: set[asyncio.Task[str]] = set()
    run = await timed(lambda: module.handle_request(1, 0.0, background))
    assert run.result == "order 1"
    assert run.output.splitlines() == ["2.00 s  order 1 saved", "2.00 s  response sent"]
    assert background == set()  # the done callback removed the finished save


async def test_without_shield_cancelling_the_handler_cancels_the_save(recipe):
    module = load_module(recipe)
    save = asyncio.create_task(module.save_order(1, 0.0))

    async def unshielded_handler() -> str:
        return await save  # no shield()

    handler = asyncio.create_task(unshielded_handler())
    await asyncio.sleep(1.0)
    handler.cancel()
    await asyncio.wait([handler, save])
    assert save.cancelled()  # the cancellation went through to the write


async def test_wait_for_around_shield_stops_waiting_but_not_the_work(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    save = asyncio.create_task(module.save_order(1, loop.time()))
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(asyncio.shield(save), timeout=0.5)
    assert loop.time() == 0.5
    assert not save.done()
    assert await save == "order 1"  # finished at 2 s, as if nothing happened
    assert loop.time() == 2.0


async def test_cancelling_the_inner_task_itself_is_not_prevented(recipe):
    module = load_module(recipe)
    save = asyncio.create_task(module.save_order(1, 0.0))

    async def handler() -> str:
        return await asyncio.shield(save)

    waiter = asyncio.create_task(handler())
    await asyncio.sleep(0.5)
    save.cancel()  # shield() guards `save` against its waiters, not against this
    await asyncio.wait([waiter, save])
    assert save.cancelled()
    assert waiter.cancelled()


def test_asyncio_run_cancels_a_shielded_task_at_exit(recipe):
    module = load_module(recipe)
    saves: list[asyncio.Task[str]] = []

    async def exit_without_waiting() -> None:
        background: set[asyncio.Task[str]] = set()
        handler = asyncio.create_task(module.handle_request(1, 0.0, background))
        await asyncio.sleep(0.1)
        handler.cancel()
        await asyncio.wait([handler])
        saves.extend(background)  # returns without awaiting the save

    asyncio.run(exit_without_waiting())
    assert len(saves) == 1
    assert saves[0].cancelled()  # asyncio.run() cancelled it on the way out
