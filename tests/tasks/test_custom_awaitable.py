"""Claims of docs/tasks/custom-awaitable.md."""

import asyncio
import gc
import inspect
import sys
from collections.abc import Generator

import pytest

from tests.support import load_module, run_main


async def test_await_delay_waits_and_returns_its_seconds(recipe):
    run = await run_main(recipe)
    slept, _ = run.result
    assert slept == 0.5
    assert run.output.splitlines()[0] == "0.50 s  await Delay(0.5) returned 0.5"


async def test_replies_arrive_through_callbacks_in_request_order(recipe):
    run = await run_main(recipe)
    _, texts = run.result
    assert texts == ["PING", "HELLO"]  # HELLO arrived first, at 0.75 s
    assert run.output.splitlines()[1] == "1.50 s  replies: ['PING', 'HELLO']"


# What `await 42` raises: reworded in 3.14 (gh-114091).
if sys.version_info >= (3, 14):
    NOT_AWAITABLE = "'int' object can't be awaited"
else:
    NOT_AWAITABLE = "object int can't be used in 'await' expression"


async def test_await_of_a_non_awaitable_is_a_type_error(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[2] == f"1.50 s  await 42: TypeError: {NOT_AWAITABLE}"
    assert run.elapsed == 1.5
    not_awaitable: object = 42
    with pytest.raises(TypeError) as raised:
        await not_awaitable  # type: ignore[misc]
    assert str(raised.value) == NOT_AWAITABLE


async def test_a_reply_is_done_when_the_callback_runs(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    reply = module.Connection().request("hello", 0.25)
    assert await reply == "HELLO"
    assert loop.time() - start == 0.25


async def test_custom_awaitables_are_awaitable_but_not_coroutines(recipe):
    module = load_module(recipe)
    delay = module.Delay(0.5)
    assert inspect.isawaitable(delay)
    assert not asyncio.iscoroutine(delay)
    coroutine = delay._wait()
    assert asyncio.iscoroutine(coroutine)
    coroutine.close()


async def test_create_task_refuses_an_awaitable_ensure_future_takes_it(recipe):
    module = load_module(recipe)
    with pytest.raises(TypeError, match="a coroutine was expected"):
        asyncio.create_task(module.Delay(0.5))  # noqa: RUF006 (it raises)
    task = asyncio.ensure_future(module.Delay(0.5))
    assert isinstance(task, asyncio.Task)
    assert await task == 0.5


async def test_a_future_backed_awaitable_can_be_awaited_twice(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    reply = module.Connection().request("ping", 1.0)
    assert await reply == "PING"
    assert await reply == "PING"  # at once: the Future keeps its result
    assert loop.time() - start == 1.0


async def test_a_coroutine_backed_awaitable_runs_again_on_each_await(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    delay = module.Delay(0.5)
    await delay
    await delay
    assert loop.time() - start == 1.0


async def test_a_coroutine_cannot_be_awaited_twice(recipe):
    module = load_module(recipe)
    coroutine = module.Delay(0.5)._wait()
    await coroutine
    with pytest.raises(RuntimeError, match="cannot reuse already awaited coroutine"):
        await coroutine


async def test_async_def_await_is_a_type_error(recipe):
    class Wrong:
        async def __await__(self) -> int:  # wrong: __await__ must not be async
            return 1

    async def await_wrong() -> None:
        try:
            await Wrong()
        finally:
            gc.collect()

    # The coroutine that __await__ returned is dropped unawaited: Python warns too.
    with (
        pytest.warns(RuntimeWarning, match="was never awaited"),
        pytest.raises(TypeError) as raised,
    ):
        await await_wrong()
    if sys.version_info >= (3, 15):
        # The class by its fully qualified name (the module is left out for __main__).
        assert str(raised.value) == (
            f"{__name__}.test_async_def_await_is_a_type_error.<locals>.Wrong"
            ".__await__() must return an iterator, not coroutine"
        )
    else:
        assert str(raised.value) == "__await__() returned a coroutine"


async def test_await_must_return_an_iterator(recipe):
    class Wrong:
        def __await__(self) -> Generator[None, None, int]:
            return 1  # type: ignore[return-value]

    with pytest.raises(TypeError) as raised:
        await Wrong()
    if sys.version_info >= (3, 15):
        assert str(raised.value) == (
            f"{__name__}.test_await_must_return_an_iterator.<locals>.Wrong"
            ".__await__() must return an iterator, not int"
        )
    else:
        assert str(raised.value) == "__await__() returned non-iterator of type 'int'"


async def test_a_late_reply_for_a_cancelled_waiter_is_dropped(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    reported = []
    loop.set_exception_handler(lambda _, context: reported.append(context))
    connection = module.Connection()
    reply = connection.request("ping", 1.0)
    waiter = asyncio.create_task(asyncio.wait_for(reply, timeout=0.5))
    with pytest.raises(TimeoutError):
        await waiter
    await asyncio.sleep(1.0)  # the reply arrives: deliver() must not raise
    loop.set_exception_handler(None)
    assert reply._future.cancelled()
    assert reported == []  # no InvalidStateError from the callback
