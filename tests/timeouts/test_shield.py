"""Claims of docs/timeouts/shield.md."""

import asyncio
import contextlib
import gc
import io

import pytest

from tests.support import asyncio_log, load_module, run_main, timed


async def test_the_handlers_are_cancelled_but_the_saves_go_on(recipe):
    run = await run_main(recipe)
    assert run.result == ([True, True], ["order 1"])
    assert run.output.splitlines() == [
        "1.00 s  clients went away: cancelling the handlers",
        "1.00 s  handlers cancelled: [True, True]",
        "1.00 s  saves still running: 2",
        "1.50 s  save of order 2 failed: ConnectionError('database connection lost')",
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


async def failing_save(order_id: int, start: float) -> str:
    await asyncio.sleep(1.5)
    raise ConnectionError("database connection lost")


async def test_a_save_that_fails_after_its_handler_was_cancelled_is_reported_once(
    recipe, monkeypatch
):
    module = load_module(recipe)
    monkeypatch.setattr(module, "save_order", failing_save)
    background: set[asyncio.Task[str]] = set()
    with asyncio_log() as log, contextlib.redirect_stdout(io.StringIO()) as output:
        handler = asyncio.create_task(module.handle_request(1, 0.0, background))
        await asyncio.sleep(1.0)
        handler.cancel()  # the client went away
        await asyncio.wait([handler])
        await asyncio.sleep(2.0)  # the save fails at 1.5 s, with nobody to await it
        assert handler.cancelled()
        del handler  # its traceback refers to the save: let the save be collected
        gc.collect()  # report_failure() read the error: no "never retrieved" now
    assert background == set()  # gone from the set too: only a report can tell
    said = output.getvalue() + log.getvalue()
    assert said.count("database connection lost") == 1, said
    assert output.getvalue() == (
        "1.50 s  save of order 1 failed: ConnectionError('database connection lost')\n"
    )  # reported by the done callback, at the moment it failed


async def test_a_save_that_fails_while_its_handler_waits_is_raised_there_only(
    recipe, monkeypatch
):
    module = load_module(recipe)
    monkeypatch.setattr(module, "save_order", failing_save)
    background: set[asyncio.Task[str]] = set()
    with asyncio_log() as log, contextlib.redirect_stdout(io.StringIO()) as output:
        with pytest.raises(ConnectionError, match="database connection lost"):
            await module.handle_request(1, 0.0, background)
        await asyncio.sleep(1.0)
        gc.collect()
    assert output.getvalue() == ""  # the handler got the error: no report as well
    assert log.getvalue() == ""


async def test_without_the_callback_the_error_surfaces_only_when_the_save_is_collected(
    recipe,
):
    """Why the recipe adds report_failure(): shield() does not read the error of a
    save whose waiter was cancelled (it drops its callback on the save at once), so
    the error waits, unread, until the task is garbage-collected."""
    load_module(recipe)

    async def handler(save: asyncio.Task[str]) -> str:
        return await asyncio.shield(save)  # no callback added when cancelled

    with asyncio_log() as log:
        save = asyncio.create_task(failing_save(1, 0.0))
        waiter = asyncio.create_task(handler(save))
        await asyncio.sleep(1.0)
        waiter.cancel()
        await asyncio.wait([waiter])
        await asyncio.sleep(1.0)
        # It did fail (repr() shows it without marking the error as retrieved)...
        assert "exception=ConnectionError('database connection lost')" in repr(save)
        assert log.getvalue() == ""  # ...and, the save still referenced, nothing said
        # The waiter's CancelledError traceback holds the handler's frame, which
        # refers to the save: drop both, as an application eventually does.
        del save, waiter
        gc.collect()
    # Only now, whenever the task happens to be collected, and with no context:
    assert log.getvalue().startswith("Task exception was never retrieved\n"), (
        log.getvalue()
    )
    assert "database connection lost" in log.getvalue()


async def test_gather_in_main_would_raise_a_reported_error_a_second_time(recipe):
    module = load_module(recipe)
    background: set[asyncio.Task[str]] = set()
    with contextlib.redirect_stdout(io.StringIO()) as output:
        handler = asyncio.create_task(module.handle_request(2, 0.0, background))
        await asyncio.sleep(1.0)
        handler.cancel()
        await asyncio.wait([handler])
        with pytest.raises(ConnectionError, match="database connection lost"):
            await asyncio.gather(*background)  # instead of asyncio.wait()
    assert output.getvalue().count("database connection lost") == 1  # reported too
