"""Claims of docs/messages/timeout-outside-task.md."""

import asyncio
import threading

import aiohttp
import pytest

from tests.support import load_module, run_main


async def test_a_session_from_another_loop_raises_this_text(recipe):
    # aiohttp's text, the same on 3.11 to 3.15.
    run = await run_main(recipe)
    assert run.result["bug"] == (
        "RuntimeError: Timeout context manager should be used inside a task"
    )
    assert run.output.splitlines()[0] == (
        "bug: RuntimeError: Timeout context manager should be used inside a task"
    )


async def test_a_session_made_in_the_running_loop_works(recipe):
    run = await run_main(recipe)
    assert run.result["fixed"] == "200 ok"
    assert run.output.splitlines()[1] == "fix: session made in this loop -> 200 ok"


async def test_asyncio_timeout_outside_a_task_has_its_own_text(recipe):
    load_module(recipe)

    async def guarded() -> str:
        async with asyncio.timeout(1):
            await asyncio.sleep(0.5)
        return "done"

    errors = []

    def callback() -> None:
        # A loop callback is not a task: drive the coroutine by hand from here.
        coroutine = guarded()
        try:
            coroutine.send(None)
        except RuntimeError as exc:
            errors.append(str(exc))
        finally:
            coroutine.close()

    asyncio.get_running_loop().call_soon(callback)
    await asyncio.sleep(0)
    assert errors == ["Timeout should be used inside a task"]
    assert await asyncio.create_task(guarded()) == "done"  # inside a task: fine


async def test_debug_mode_reports_a_running_foreign_loop_differently(recipe):
    module = load_module(recipe)
    other = asyncio.new_event_loop()
    other.set_debug(True)
    thread = threading.Thread(target=other.run_forever)
    thread.start()
    try:
        made = asyncio.run_coroutine_threadsafe(module.open_session(), other)
        session = await asyncio.wrap_future(made)
        with pytest.raises(
            RuntimeError,
            match=r"^Non-thread-safe operation invoked on an event loop other than"
            r" the current one$",
        ):
            await module.fetch(session, "http://127.0.0.1:9/")
        closed = asyncio.run_coroutine_threadsafe(session.close(), other)
        await asyncio.wrap_future(closed)
    finally:
        other.call_soon_threadsafe(other.stop)
        await asyncio.to_thread(thread.join)
        other.close()
    assert isinstance(session, aiohttp.ClientSession)
