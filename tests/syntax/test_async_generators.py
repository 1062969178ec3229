"""Claims of docs/syntax/async-generators.md."""

import asyncio
import contextlib
import gc
import inspect
import sys
import threading
import typing
from collections.abc import AsyncGenerator
from contextlib import aclosing

import pytest

from tests.support import load_module, run_main, timed

ON_315 = sys.version_info >= (3, 15)


async def test_async_for_gets_each_value_as_the_generator_yields_it(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[:5] == [
        "async for:",
        "  0.50 s  got 0",
        "  1.00 s  got 1",
        "  1.50 s  got 2",
        "  ticker(3) cleans up",  # finally runs when the generator is exhausted
    ]


async def test_async_comprehensions_collect_the_values(recipe):
    run = await run_main(recipe)
    assert run.result == {"squares": [0, 1, 4, 9], "odd": [1, 3], "doubled": [0, 2, 4]}
    lines = run.output.splitlines()
    assert "  2.50 s  squares: [0, 1, 4, 9]" in lines  # 4 values, 0.25 s apart
    assert "  3.50 s  odd: {1, 3}" in lines


async def test_awaits_in_a_comprehension_run_one_after_the_other(recipe):
    run = await run_main(recipe)
    # Three awaits of 0.1 s each: 0.30 s after "odd", not 0.10 s.
    assert "  3.80 s  doubled: [0, 2, 4]" in run.output.splitlines()


async def test_after_a_break_cleanup_waits_for_aclose(recipe):
    run = await run_main(recipe)
    lines = run.output.splitlines()
    at = lines.index("break out early, then aclose():")
    assert lines[at + 1 : at + 4] == [
        "  4.30 s  got 0, break",
        "  4.30 s  after the break: no cleanup yet",
        "  ticker(100) cleans up",  # printed by aclose()
    ]


async def test_aclosing_cleans_up_when_the_block_ends(recipe):
    run = await run_main(recipe)
    lines = run.output.splitlines()
    at = lines.index("break out early inside aclosing():")
    assert lines[at + 1 : at + 5] == [
        "  4.80 s  got 0, break",
        "  4.80 s  still inside aclosing()",
        "  ticker(100) cleans up",
        "  4.80 s  after aclosing()",
    ]


async def test_an_abandoned_generator_waits_until_asyncio_closes_it(recipe, capsys):
    module = load_module(recipe)
    async for _ in module.ticker(100, 0.5):
        break  # nothing refers to the generator any more
    assert "cleans up" not in capsys.readouterr().out  # not at the break
    # When the garbage collector finds it, asyncio's hook schedules its aclose() in
    # a task of its own, which runs at the loop's next turn.
    gc.collect()
    for _ in range(3):  # the hook's callback, then the task's first step
        await asyncio.sleep(0)
    assert capsys.readouterr().out == "  ticker(100) cleans up\n"


async def test_asyncio_run_closes_generators_left_open_at_exit(recipe, capsys):
    module = load_module(recipe)
    kept: list[AsyncGenerator[int, None]] = []

    async def program() -> None:
        numbers = module.ticker(100, 0.01)
        kept.append(numbers)  # still referenced: no garbage collection
        async for _ in numbers:
            break
        print("program returns")  # noqa: T201

    # A fresh asyncio.run(), in a thread because this test's loop is running.
    thread = threading.Thread(target=asyncio.run, args=(program(),))
    thread.start()
    await asyncio.to_thread(thread.join)
    assert capsys.readouterr().out == "program returns\n  ticker(100) cleans up\n"


async def test_cleanup_in_finally_may_await(recipe):
    load_module(recipe)

    async def reader() -> AsyncGenerator[int, None]:
        try:
            yield 1
            yield 2
        finally:
            await asyncio.sleep(1.0)  # say, closing a connection

    numbers = reader()
    assert await anext(numbers) == 1
    run = await timed(numbers.aclose)
    assert run.elapsed == 1.0


async def test_two_tasks_cannot_advance_one_generator_at_once(recipe):
    module = load_module(recipe)
    numbers = module.ticker(3, 0.5)
    first, second = await asyncio.gather(
        anext(numbers), anext(numbers), return_exceptions=True
    )
    assert first == 0
    assert isinstance(second, RuntimeError)
    assert "asynchronous generator is already running" in str(second)
    await numbers.aclose()


async def test_a_plain_for_loop_cannot_iterate_an_async_generator(recipe):
    module = load_module(recipe)
    numbers = module.ticker(3, 0.5)
    with pytest.raises(TypeError, match="'async_generator' object is not iterable"):
        for _ in numbers:  # type: ignore[attr-defined]
            pass
    await numbers.aclose()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("yield from [1, 2]", "'yield from' inside async function"),
        ("yield 1\n    return 2", "'return' with value in async generator"),
    ],
)
def test_async_generators_have_no_yield_from_and_no_return_value(recipe, body, message):
    with pytest.raises(SyntaxError, match=message):
        compile(f"async def agen():\n    {body}\n", "<page>", "exec")


async def test_anext_takes_a_default_like_next(recipe):
    module = load_module(recipe)
    async with module.aclosing(module.ticker(1, 0.5)) as numbers:
        assert await anext(numbers) == 0
        assert await anext(numbers, "done") == "done"


async def test_calling_an_async_generator_function_runs_nothing(recipe, capsys):
    module = load_module(recipe)
    numbers = module.ticker(3, 0.5)
    assert inspect.isasyncgen(numbers)
    await numbers.aclose()  # never started: its finally never entered
    assert capsys.readouterr().out == ""


def test_async_comprehensions_only_work_inside_async_def(recipe):
    source = "async def agen():\n    yield 1\n\nvalues = [x async for x in agen()]\n"
    with pytest.raises(SyntaxError, match="asynchronous comprehension outside"):
        compile(source, "<page>", "exec")


def test_the_generators_are_typed_as_async_generators(recipe):
    module = load_module(recipe)
    # AsyncIterator has no aclose(): a type checker rejects numbers.aclose() and
    # aclosing(ticker(...)) on it. AsyncGenerator[yielded, sent] has both.
    for generator in (module.ticker, module.ticks_within):
        assert typing.get_type_hints(generator)["return"] == AsyncGenerator[int, None]


async def test_a_timeout_around_yield_cancels_the_consumers_own_code(recipe):
    run = await run_main(recipe)
    lines = run.output.splitlines()
    at = lines.index("yield inside asyncio.timeout():")
    assert lines[at + 1 : at + 4] == [
        "  5.00 s  got 0",
        "  5.70 s  got 1",
        # At 6.10 s the consumer was in its own sleep, not in the generator: it was
        # cancelled there, and nothing turned that into a TimeoutError.
        "  6.10 s  consumer task cancelled: True",
    ]


async def test_a_timeout_in_the_consumer_raises_timeout_error_there(recipe):
    run = await run_main(recipe)
    lines = run.output.splitlines()
    at = lines.index("asyncio.timeout() around the consumer's loop:")
    assert lines[at + 1 :] == [
        "  6.30 s  got 0",
        "  7.00 s  got 1",
        "  ticker(100) cleans up",  # aclosing() closed it on the way out
        "  7.40 s  TimeoutError in the consumer",
    ]
    assert run.elapsed == 7.4


async def test_the_stray_cancellation_is_withdrawn_only_when_the_generator_closes(
    recipe,
):
    module = load_module(recipe)
    seen: list[str] = []

    def cancelling(where: str) -> None:
        task = asyncio.current_task()
        assert task is not None
        seen.append(f"{where}: cancelling() = {task.cancelling()}")

    async def consumer() -> None:
        try:
            async with aclosing(module.ticks_within(1.0, 0.2)) as values:
                async for _ in values:
                    try:
                        await asyncio.sleep(0.5)  # the consumer's own work
                    except asyncio.CancelledError:
                        cancelling("in the consumer's sleep")
                        raise
        finally:
            cancelling("after aclosing()")

    task = asyncio.create_task(consumer())
    await asyncio.wait([task])
    assert task.cancelled()  # a cancellation, never a TimeoutError
    # The timeout's request stays pending while the consumer's code runs; the
    # generator's timeout withdraws it (uncancel()) only when aclose() throws
    # GeneratorExit in at its yield, far from where the cancellation struck.
    assert seen == [
        "in the consumer's sleep: cancelling() = 1",
        "after aclosing(): cancelling() = 0",
    ]


async def test_the_consumers_own_timeout_takes_it_for_a_real_cancellation(recipe):
    module = load_module(recipe)
    log: list[str] = []

    async def consumer() -> None:
        async with asyncio.timeout(10):  # its own, far away: not expired
            await module.consume(module.ticks_within(1.0, 0.2), log.append)

    task = asyncio.create_task(consumer())
    await asyncio.wait([task])
    assert task.cancelled()  # the CancelledError went through the consumer's timeout
    assert asyncio.get_running_loop().time() == 1.0
    assert log == ["got 0", "got 1"]


async def test_a_timeout_around_the_generators_own_awaits_only_is_safe(recipe):
    load_module(recipe)

    async def readings(deadline: float) -> AsyncGenerator[int, None]:
        for i in range(100):
            async with asyncio.timeout_at(deadline):  # the generator's waits only
                await asyncio.sleep(0.2)
            yield i  # outside the timeout

    loop = asyncio.get_running_loop()
    start = loop.time()
    got = []

    async def consume() -> None:
        async for value in readings(start + 1.0):
            got.append(value)
            await asyncio.sleep(0.5)  # not under the generator's deadline

    with pytest.raises(TimeoutError):
        await consume()
    # 0 at 0.2 s, 1 at 0.9 s; the consumer's work ran to 1.4 s, then the
    # generator's next wait was already past its deadline: TimeoutError from it.
    assert got == [0, 1]
    assert loop.time() - start == 1.4


async def boom() -> None:
    await asyncio.sleep(0.3)
    raise ValueError("boom")


async def with_task_group() -> AsyncGenerator[int, None]:
    async with asyncio.TaskGroup() as tg:
        tg.create_task(boom())
        for i in range(5):
            yield i  # the consumer runs here, inside the group


async def test_a_task_group_around_yield_cancels_the_consumer(recipe):
    load_module(recipe)
    cancelled_in: list[str] = []

    async def consumer() -> None:
        async with contextlib.aclosing(with_task_group()) as values:
            async for _ in values:
                try:
                    await asyncio.sleep(0.5)  # the consumer's own work
                except asyncio.CancelledError:
                    cancelled_in.append("the consumer's own sleep")
                    raise

    task = asyncio.create_task(consumer())
    await asyncio.wait([task])
    assert cancelled_in == ["the consumer's own sleep"]  # at 0.3 s, by the group
    # The error arrives mixed with the GeneratorExit of aclosing()'s aclose().
    error = task.exception()
    assert isinstance(error, BaseExceptionGroup)
    assert [repr(e) for e in error.exceptions] == [
        "ValueError('boom')",
        "GeneratorExit()",
    ]


async def test_closing_a_generator_suspended_in_a_task_group(recipe):
    load_module(recipe)

    async def with_idle_task_group() -> AsyncGenerator[int, None]:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(asyncio.sleep(3600))
            for i in range(5):
                yield i

    values = with_idle_task_group()
    assert await anext(values) == 0
    if ON_315:  # 3.15: the group re-raises a lone GeneratorExit
        await values.aclose()
    else:
        with pytest.raises(BaseExceptionGroup) as raised:
            await values.aclose()
        assert [repr(e) for e in raised.value.exceptions] == ["GeneratorExit()"]
