"""Claims of docs/basics/calling-async-def.md."""

import asyncio
import inspect
import warnings

import pytest

from tests.support import load_module, run_main


async def test_calling_returns_a_coroutine_and_runs_none_of_the_body(recipe, capsys):
    greet = load_module(recipe).greet
    coroutine = greet("world")
    assert inspect.iscoroutine(coroutine)
    assert type(coroutine).__name__ == "coroutine"
    assert capsys.readouterr().out == ""  # not even the first print ran
    coroutine.close()  # never started: closing it gives no warning


async def test_await_runs_the_body_and_gives_the_return_value(recipe):
    run = await run_main(recipe)
    lines = run.output.splitlines()
    assert lines[:3] == [
        "greet('world') returned a coroutine object",
        "greet('world') starts",
        "await gave 'hello, world' at 1.00 s",
    ]
    assert run.result[0] == "hello, world"


async def test_create_task_starts_the_coroutine_at_the_callers_next_await(recipe):
    run = await run_main(recipe)
    lines = run.output.splitlines()
    assert lines[3:6] == [
        "create_task() returned; greet('task') has not started yet",
        "greet('task') starts",
        "await task gave 'hello, task' at 2.00 s",
    ]
    assert run.result[1] == "hello, task"


async def test_the_two_awaits_take_one_second_each(recipe):
    run = await run_main(recipe)
    assert run.elapsed == 2.0


async def test_a_forgotten_await_warns_with_this_exact_text(recipe):
    run = await run_main(recipe)
    assert run.result[2] == "coroutine 'greet' was never awaited"
    assert run.output.splitlines()[-1] == (
        "RuntimeWarning: coroutine 'greet' was never awaited"
    )


async def test_the_warning_is_a_runtimewarning_raised_when_the_coroutine_dies(recipe):
    greet = load_module(recipe).greet
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        coroutine = greet("nobody")
        assert caught == []  # creating it does not warn
        del coroutine  # the last reference: CPython destroys it here
        assert len(caught) == 1
    assert [w.category for w in caught] == [RuntimeWarning]
    assert str(caught[0].message) == "coroutine 'greet' was never awaited"


async def test_a_forgotten_await_gives_a_truthy_coroutine_not_the_result(recipe):
    coroutine = load_module(recipe).greet("x")
    assert coroutine != "hello, x"
    assert bool(coroutine) is True  # so `if check():` without await is always true
    coroutine.close()


async def test_a_coroutine_can_be_awaited_only_once(recipe):
    coroutine = load_module(recipe).greet("twice")
    assert await coroutine == "hello, twice"
    with pytest.raises(RuntimeError, match="cannot reuse already awaited coroutine"):
        await coroutine


async def test_debug_mode_adds_where_the_coroutine_was_created(recipe):
    greet = load_module(recipe).greet
    loop = asyncio.get_running_loop()
    loop.set_debug(True)
    await asyncio.sleep(0)  # origin tracking switches on in a loop callback
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            greet("nobody")
    finally:
        loop.set_debug(False)
        await asyncio.sleep(0)
    message = str(caught[0].message)
    assert message.startswith(
        "coroutine 'greet' was never awaited\n"
        "Coroutine created at (most recent call last)\n"
    )
    assert "test_debug_mode_adds_where_the_coroutine_was_created" in message


async def test_the_warning_names_the_qualified_name(recipe):
    load_module(recipe)

    class Client:
        async def fetch(self) -> None:
            return None

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Client().fetch()
    assert str(caught[0].message) == (
        "coroutine 'test_the_warning_names_the_qualified_name.<locals>.Client.fetch'"
        " was never awaited"
    )
