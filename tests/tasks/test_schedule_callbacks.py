"""Claims of docs/tasks/schedule-callbacks.md."""

import asyncio
import functools
import gc
import threading

import pytest

from tests.support import run_main


async def test_callbacks_run_only_once_main_awaits(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[:3] == [
        "0.00 s  main runs on; timer due at 0.75 s cancelled",
        "0.00 s  call_soon #1",
        "0.00 s  call_soon #2",
    ]


async def test_timers_run_at_their_exact_times_cancelled_one_never(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[3:5] == [
        "0.50 s  call_at(start + 0.5, ...)",
        "1.00 s  call_later(1.0, ...)",
    ]
    assert "never printed" not in run.result


async def test_a_thread_hands_work_to_the_loop_with_call_soon_threadsafe(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[5] == "1.50 s  set by call_soon_threadsafe"
    assert run.result == [
        "call_soon #1",
        "call_soon #2",
        "call_at(start + 0.5, ...)",
        "call_later(1.0, ...)",
        "set by call_soon_threadsafe",
    ]
    assert run.elapsed == 1.5


async def test_call_soon_callbacks_run_in_fifo_order(recipe):
    loop = asyncio.get_running_loop()
    ran = []
    for i in range(8):
        loop.call_soon(ran.append, i)
    await asyncio.sleep(0)
    assert ran == list(range(8))


async def test_timers_due_at_the_same_moment_may_run_out_of_order(recipe):
    loop = asyncio.get_running_loop()
    ran = []
    when = loop.time() + 1.0
    for i in range(8):
        loop.call_at(when, ran.append, i)
    await asyncio.sleep(2.0)
    assert sorted(ran) == list(range(8))
    assert ran != list(range(8))  # the timer heap does not keep insertion order


async def test_call_later_returns_a_handle_that_knows_its_time(recipe):
    loop = asyncio.get_running_loop()
    start = loop.time()
    handle = loop.call_later(0.75, print, "never")
    assert isinstance(handle, asyncio.TimerHandle)
    assert handle.when() - start == 0.75
    assert not handle.cancelled()
    handle.cancel()
    assert handle.cancelled()


async def test_callbacks_take_no_keyword_arguments_use_partial(recipe):
    loop = asyncio.get_running_loop()
    with pytest.raises(TypeError):
        loop.call_soon(print, "x", sep="")
    ran = []
    loop.call_soon(functools.partial(ran.append, "partial"))
    await asyncio.sleep(0)
    assert ran == ["partial"]


async def test_an_async_def_callback_never_runs(recipe):
    loop = asyncio.get_running_loop()
    ran = []

    async def job() -> None:
        ran.append("job")

    async def call_and_collect() -> None:
        loop.call_soon(job)  # calls job(): creates a coroutine, nothing awaits it
        await asyncio.sleep(0)
        gc.collect()

    with pytest.warns(RuntimeWarning, match="coroutine .*job' was never awaited"):
        await call_and_collect()
    assert ran == []


async def test_in_debug_mode_an_async_def_callback_is_refused(recipe):
    loop = asyncio.get_running_loop()

    async def job() -> None:
        pass

    loop.set_debug(True)
    try:
        with pytest.raises(
            TypeError, match=r"coroutines cannot be used with call_at\(\)"
        ):
            loop.call_later(1.0, job)
    finally:
        loop.set_debug(False)


async def test_an_exception_in_a_callback_goes_to_the_exception_handler(recipe):
    loop = asyncio.get_running_loop()
    reported = []
    loop.set_exception_handler(lambda _, context: reported.append(context))

    def broken() -> None:
        raise ValueError("boom")

    loop.call_soon(broken)
    await asyncio.sleep(0)
    loop.set_exception_handler(None)
    assert len(reported) == 1
    assert reported[0]["message"].startswith(
        f"Exception in callback {broken.__qualname__}()"
    )
    assert isinstance(reported[0]["exception"], ValueError)


async def test_call_soon_from_another_thread_fails_in_debug_mode(recipe):
    loop = asyncio.get_running_loop()
    loop.set_debug(True)
    errors = []

    def in_a_thread() -> None:
        try:
            loop.call_soon(print, "unsafe")
        except RuntimeError as error:
            errors.append(str(error))

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join()
    loop.set_debug(False)
    assert len(errors) == 1
    assert errors[0].startswith("Non-thread-safe operation invoked on an event loop")
