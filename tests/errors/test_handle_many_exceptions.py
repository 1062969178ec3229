"""Claims of docs/errors/handle-many-exceptions.md."""

import asyncio
import sys

import pytest

from tests.support import load_module, run_main

ON_310 = sys.version_info < (3, 11)


async def test_every_task_runs_to_the_end_and_each_outcome_is_reported(recipe):
    run = await run_main(recipe)
    assert run.result == {
        "a.json": "ok: contents of a.json",
        "b.json": "failed: ConnectionError('connection refused')",
        "c.json": "ok: contents of c.json",
        "d.json": "failed: ValueError('invalid JSON')",
    }
    assert run.output.splitlines() == [
        "a.json  ok: contents of a.json",
        "b.json  failed: ConnectionError('connection refused')",
        "c.json  ok: contents of c.json",
        "d.json  failed: ValueError('invalid JSON')",
        "all four finished after 2.00 s",
    ]
    assert run.elapsed == 2.0  # the failure at 0.5 s stopped nothing


async def test_exceptions_come_back_as_values_in_argument_order(recipe):
    module = load_module(recipe)
    error = ConnectionError("connection refused")
    results = await asyncio.gather(
        module.fetch("a.json", 1.0),
        module.fetch("b.json", 0.5, error),
        return_exceptions=True,
    )
    assert results == ["contents of a.json", error]  # the very exception object


async def test_without_return_exceptions_only_the_first_error_arrives(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    slow = asyncio.create_task(module.fetch("c.json", 2.0))
    with pytest.raises(ConnectionError):
        await asyncio.gather(
            module.fetch("b.json", 0.5, ConnectionError("connection refused")),
            module.fetch("d.json", 1.5, ValueError("invalid JSON")),
            slow,
        )
    assert loop.time() == 0.5
    assert not slow.done()  # the others keep running, unobserved
    assert await slow == "contents of c.json"


async def test_a_cancelled_task_appears_as_cancellederror_not_an_exception(recipe):
    module = load_module(recipe)
    victim = asyncio.create_task(module.fetch("a.json", 1.0))
    asyncio.get_running_loop().call_later(0.5, victim.cancel)
    results = await asyncio.gather(
        victim, module.fetch("c.json", 2.0), return_exceptions=True
    )
    assert isinstance(results[0], asyncio.CancelledError)
    assert not isinstance(results[0], Exception)  # `isinstance(r, Exception)` misses it
    assert results[1] == "contents of c.json"


@pytest.mark.skipif(ON_310, reason="asyncio.TaskGroup is new in Python 3.11")
async def test_taskgroup_cancels_the_rest_and_raises_an_exceptiongroup(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    tasks: list[asyncio.Task[str]] = []

    async def run_group() -> None:
        async with asyncio.TaskGroup() as group:
            for name, delay, error in [
                ("a.json", 1.0, None),
                ("b.json", 0.5, ConnectionError("connection refused")),
                ("d.json", 0.5, ValueError("invalid JSON")),
            ]:
                tasks.append(group.create_task(module.fetch(name, delay, error)))

    with pytest.raises(ExceptionGroup) as caught:
        await run_group()
    assert loop.time() == 0.5  # it stopped at the first failures
    assert tasks[0].cancelled()  # a.json never finished
    assert [type(e) for e in caught.value.exceptions] == [ConnectionError, ValueError]


@pytest.mark.skipif(ON_310, reason="ExceptionGroup is new in Python 3.11")
async def test_plain_except_does_not_catch_an_exception_inside_a_group(recipe):
    module = load_module(recipe)

    async def run_group() -> None:
        async with asyncio.TaskGroup() as group:
            group.create_task(module.fetch("d.json", 0.5, ValueError("invalid JSON")))

    with pytest.raises(ExceptionGroup) as caught:
        await run_group()
    assert not isinstance(caught.value, ValueError)  # `except ValueError` misses it
    assert caught.group_contains(ValueError)
