"""Claims of docs/basics/calling-async-def.md."""

import asyncio
import inspect
import sys
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
        "create_task() returned",
        "greet('task') starts",  # only now, at main()'s `await task`
        "await task gave 'hello, task' at 2.00 s",
    ]
    assert run.result[1] == "hello, task"


async def test_awaiting_a_coroutine_that_does_not_suspend_does_not_start_it(recipe):
    steps: list[str] = []

    async def record() -> None:
        steps.append("task started")

    async def returns_at_once() -> None:
        steps.append("awaited coroutine returned")  # no await inside: no suspension

    task = asyncio.create_task(record())
    await returns_at_once()  # an await, but control never went back to the loop
    assert steps == ["awaited coroutine returned"]  # the task has not started
    await asyncio.sleep(0)  # a real suspension: now it runs
    assert steps == ["awaited coroutine returned", "task started"]
    await task


async def test_a_task_whose_creator_ends_without_awaiting_still_runs(recipe):
    steps: list[str] = []
    created: list[asyncio.Task[None]] = []

    async def record() -> None:
        steps.append("task started")

    async def creator() -> None:
        created.append(asyncio.create_task(record()))
        steps.append("creator returns")  # and never awaits anything

    await asyncio.create_task(creator())
    # The creator gave control back to the loop by ending: the task ran then.
    assert steps == ["creator returns", "task started"]
    assert created[0].done()


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


needs_eager_factory = pytest.mark.skipif(
    sys.version_info < (3, 12), reason="asyncio.eager_task_factory is new in 3.12"
)


@needs_eager_factory
async def test_an_eager_task_factory_runs_the_body_inside_create_task(recipe):
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    try:
        run = await run_main(recipe)
    finally:
        loop.set_task_factory(None)
    assert run.output.splitlines()[3:6] == [
        "greet('task') starts",  # before create_task() returned
        "create_task() returned",
        "await task gave 'hello, task' at 2.00 s",
    ]
    assert run.elapsed == 2.0  # the waiting itself is the same


async def first_step_then_wait(steps: list[str]) -> str:
    steps.append("first line")
    await asyncio.sleep(0)  # the first point where it suspends
    steps.append("after the first await")
    return "done"


@needs_eager_factory
async def test_an_eager_task_runs_up_to_its_first_suspension_only(recipe):
    load_module(recipe)
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    steps: list[str] = []
    try:
        task = asyncio.create_task(first_step_then_wait(steps))
        assert steps == ["first line"]  # ran inside create_task(), then suspended
        assert not task.done()
        assert await task == "done"
    finally:
        loop.set_task_factory(None)
    assert steps == ["first line", "after the first await"]


@needs_eager_factory
async def test_calling_the_function_still_runs_nothing_under_an_eager_factory(
    recipe, capsys
):
    greet = load_module(recipe).greet
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    try:
        coroutine = greet("world")
        assert capsys.readouterr().out == ""  # the factory acts on tasks only
        coroutine.close()
    finally:
        loop.set_task_factory(None)


async def test_eager_start_runs_one_task_eagerly_from_3_14(recipe):
    load_module(recipe)
    steps: list[str] = []
    coroutine = first_step_then_wait(steps)
    if sys.version_info < (3, 14):
        with pytest.raises(TypeError, match="eager_start"):
            asyncio.create_task(coroutine, eager_start=True)  # noqa: RUF006
        coroutine.close()
        return
    task = asyncio.create_task(coroutine, eager_start=True)
    assert steps == ["first line"]
    assert await task == "done"
