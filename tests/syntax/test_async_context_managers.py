"""Claims of docs/syntax/async-context-managers.md."""

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import pytest

from tests.support import load_module, run_main


async def test_the_inner_manager_exits_first_and_commits(recipe):
    run = await run_main(recipe)
    assert run.result[:5] == [
        "db: connected",
        "db: BEGIN",
        "db: UPDATE",
        "db: COMMIT",
        "db: closed (no error)",
    ]


async def test_an_error_rolls_back_closes_and_still_reaches_the_caller(recipe):
    run = await run_main(recipe)
    assert run.result[5:10] == [
        "db: connected",
        "db: BEGIN",
        "db: ROLLBACK",
        "db: closed (ValueError)",  # __aexit__ saw the exception
        "caught ValueError(constraint violated)",  # and did not swallow it
    ]


async def test_exit_stack_closes_in_reverse_order_of_entering(recipe):
    run = await run_main(recipe)
    assert run.result[10:] == [
        "replica-0: connected",
        "replica-1: connected",
        "replica-2: connected",
        "querying 3 replicas",
        "replica-2: closed (no error)",
        "replica-1: closed (no error)",
        "replica-0: closed (no error)",
    ]


async def test_enter_and_exit_are_awaited(recipe):
    run = await run_main(recipe)
    # 0.1 s to connect and 0.1 s to close, for each of 5 connections in turn.
    assert run.elapsed == 5 * 0.2


async def test_exit_stack_closes_what_it_opened_when_entering_fails(recipe):
    module = load_module(recipe)
    module.EVENTS.clear()

    class Refused(module.Connection):
        async def __aenter__(self):
            raise ConnectionRefusedError(self.name)

    async def connect_all() -> None:
        async with AsyncExitStack() as stack:
            for name in ["replica-0", "replica-1"]:
                await stack.enter_async_context(module.Connection(name))
            await stack.enter_async_context(Refused("replica-2"))

    with pytest.raises(ConnectionRefusedError):
        await connect_all()
    assert module.EVENTS == [
        "replica-0: connected",
        "replica-1: connected",
        "replica-1: closed (ConnectionRefusedError)",
        "replica-0: closed (ConnectionRefusedError)",
    ]


async def test_cancellation_rolls_back_because_it_catches_base_exception(recipe):
    module = load_module(recipe)
    module.EVENTS.clear()

    async def work() -> None:
        async with module.Connection("db") as conn, module.transaction(conn):
            await asyncio.sleep(10)

    task = asyncio.create_task(work())
    await asyncio.sleep(1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert module.EVENTS == [
        "db: connected",
        "db: BEGIN",
        "db: ROLLBACK",
        "db: closed (CancelledError)",
    ]


async def test_except_exception_misses_cancellation(recipe):
    load_module(recipe)
    events = []

    @asynccontextmanager
    async def transaction() -> AsyncIterator[None]:
        events.append("BEGIN")
        try:
            yield
        except Exception:  # CancelledError is not an Exception
            events.append("ROLLBACK")
            raise
        events.append("COMMIT")

    async def work() -> None:
        async with transaction():
            await asyncio.sleep(10)

    task = asyncio.create_task(work())
    await asyncio.sleep(1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert events == ["BEGIN"]  # neither ROLLBACK nor COMMIT


async def test_without_try_the_code_after_yield_is_skipped_on_error(recipe):
    load_module(recipe)
    events = []

    @asynccontextmanager
    async def resource() -> AsyncIterator[None]:
        events.append("open")
        yield  # no try/finally around it
        events.append("close")

    with pytest.raises(ValueError, match="boom"):
        async with resource():
            raise ValueError("boom")
    assert events == ["open"]  # never closed


async def test_returning_true_from_aexit_swallows_the_exception(recipe):
    module = load_module(recipe)
    module.EVENTS.clear()

    class Swallowing(module.Connection):
        async def __aexit__(self, exc_type, exc, traceback):
            await super().__aexit__(exc_type, exc, traceback)
            return True

    async with Swallowing("db"):
        raise ValueError("lost")
    assert module.EVENTS == ["db: connected", "db: closed (ValueError)"]


async def test_plain_with_does_not_work_on_an_async_context_manager(recipe):
    module = load_module(recipe)
    with (
        pytest.raises(TypeError) as info,
        module.Connection("db"),  # type: ignore[attr-defined]
    ):
        pass
    protocol = "object does not support the context manager protocol"
    if sys.version_info >= (3, 14):  # the hint, and the module's name, are new
        assert str(info.value) == (
            f"'{module.__name__}.Connection' {protocol} (missed __exit__ method) but"
            " it supports the asynchronous context manager protocol. Did you mean to"
            " use 'async with'?"
        )
    else:
        assert str(info.value) == f"'Connection' {protocol}"


async def test_push_async_callback_joins_the_same_last_in_first_out_order(recipe):
    module = load_module(recipe)
    module.EVENTS.clear()

    async def flush(name: str) -> None:
        module.log(f"{name}: flushed")

    async with AsyncExitStack() as stack:
        await stack.enter_async_context(module.Connection("db"))
        stack.push_async_callback(flush, "cache")
    assert module.EVENTS == ["db: connected", "cache: flushed", "db: closed (no error)"]


async def test_aexit_gets_three_nones_when_the_block_succeeds(recipe):
    module = load_module(recipe)
    seen = []

    class Recording(module.Connection):
        async def __aexit__(self, *exc_info):
            seen.append(exc_info)

    async with Recording("db") as conn:
        assert isinstance(conn, Recording)  # what __aenter__ returned
    assert seen == [(None, None, None)]
