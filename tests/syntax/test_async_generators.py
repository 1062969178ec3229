"""Claims of docs/syntax/async-generators.md."""

import asyncio
import gc
import inspect
import threading
from collections.abc import AsyncIterator

import pytest

from tests.support import load_module, run_main, timed


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
    assert run.output.splitlines()[-4:] == [
        "  4.80 s  got 0, break",
        "  4.80 s  still inside aclosing()",
        "  ticker(100) cleans up",
        "  4.80 s  after aclosing()",
    ]
    assert run.elapsed == 4.8


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
    kept: list[AsyncIterator[int]] = []

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

    async def reader() -> AsyncIterator[int]:
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
