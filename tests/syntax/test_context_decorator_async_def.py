"""Claims of docs/syntax/context-decorator-async-def.md.

What a ContextDecorator does around an async def changed in Python 3.15 (gh-125862):
each test asserts what this Python does, 3.11 to 3.14 on one side, 3.15 on the other.
"""

import asyncio
import contextlib
import inspect
import sys

from tests.support import load_module, run_main

WRAPS_COROUTINES = sys.version_info >= (3, 15)  # gh-125862


async def test_each_version_prints_its_own_truth(recipe):
    run = await run_main(recipe)
    if WRAPS_COROUTINES:
        decorated = [
            "@timed(...) on an async def (iscoroutinefunction: True):",
            "  the coroutine exists; awaiting it",
            "  decorated: enter",
            "  fetch: body runs",
            "  decorated: exit after 0.20 s",
        ]
    else:
        decorated = [
            "@timed(...) on an async def (iscoroutinefunction: False):",
            "  decorated: enter",
            "  decorated: exit after 0.00 s",  # before the body ran
            "  the coroutine exists; awaiting it",
            "  fetch: body runs",
        ]
    assert run.output.splitlines() == [
        *decorated,
        "with timed(...) inside the async def:",
        "  with block: enter",
        "  with block: exit after 0.20 s",
        "@timed_async(...) from @asynccontextmanager:",
        "  async decorated: enter",
        "  async decorated: exit after 0.20 s",
    ]
    assert run.elapsed == 0.6  # the body did run and wait, on every version


async def test_iscoroutinefunction_of_the_decorated_function(recipe):
    run = await run_main(recipe)
    assert run.result == {
        "fetch": WRAPS_COROUTINES,  # False on 3.11 to 3.14: a plain function
        "fetch_async_decorated": True,  # fix 2, on every version
    }
    module = load_module(recipe)
    assert inspect.iscoroutinefunction(module.fetch_with_block)


def recording():
    """A context manager that records what its exit saw."""
    seen: list[str] = []

    @contextlib.contextmanager
    def record():
        seen.append("enter")
        try:
            yield
        except Exception as error:
            seen.append(f"exit saw {error!r}")
            raise
        else:
            seen.append("exit saw no error")

    return seen, record


async def test_the_body_s_exception_reaches_the_decorator_on_3_15_only(recipe):
    load_module(recipe)
    seen, record = recording()

    @record()
    async def fails() -> None:
        await asyncio.sleep(0.1)
        raise ValueError("body failed")

    coroutine = fails()
    seen.append("called")
    try:
        await coroutine
    except ValueError:
        seen.append("await raised")
    if WRAPS_COROUTINES:
        assert seen == [
            "called",
            "enter",
            "exit saw ValueError('body failed')",
            "await raised",
        ]
    else:
        assert seen == ["enter", "exit saw no error", "called", "await raised"]


async def test_the_fixes_see_the_exception_on_every_version(recipe):
    load_module(recipe)
    seen, record = recording()

    async def fails_inside() -> None:
        with record():
            await asyncio.sleep(0.1)
            raise ValueError("body failed")

    @contextlib.asynccontextmanager
    async def record_async():
        with record():
            yield

    @record_async()
    async def fails_decorated() -> None:
        await asyncio.sleep(0.1)
        raise ValueError("body failed")

    for way in (fails_inside, fails_decorated):
        seen.clear()
        try:
            await way()
        except ValueError:
            seen.append("await raised")
        assert seen == ["enter", "exit saw ValueError('body failed')", "await raised"]


async def test_the_block_starts_at_the_first_step_not_at_the_call(recipe):
    module = load_module(recipe)
    ways = [module.fetch_with_block, module.fetch_async_decorated]
    if WRAPS_COROUTINES:
        ways.append(module.fetch)
    for way in ways:
        lines: list[str] = []
        with contextlib.redirect_stdout(Lines(lines)):
            coroutine = way()
            assert lines == [], way.__name__  # calling it ran nothing
            task = asyncio.create_task(coroutine)
            await asyncio.sleep(0)  # the task's first step
            assert lines[0].endswith(": enter"), way.__name__
            assert await task == "data"


class Lines:
    """A stdout that keeps each printed line."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def write(self, text: str) -> int:
        self.lines.extend(line for line in text.splitlines() if line)
        return len(text)

    def flush(self) -> None:
        pass


async def test_every_asynccontextmanager_object_is_an_async_context_decorator(recipe):
    module = load_module(recipe)
    assert isinstance(module.timed_async("x"), contextlib.AsyncContextDecorator)


def test_generator_functions_are_wrapped_from_3_15_too(recipe):
    load_module(recipe)
    seen, record = recording()

    @record()
    def numbers():
        seen.append("body")
        yield 1

    iterator = numbers()
    seen.append("called")
    assert list(iterator) == [1]
    if WRAPS_COROUTINES:
        assert seen == ["called", "enter", "body", "exit saw no error"]
    else:
        assert seen == ["enter", "exit saw no error", "called", "body"]


async def test_async_generator_functions_are_wrapped_from_3_15_too(recipe):
    load_module(recipe)
    seen, record = recording()

    @record()
    async def numbers():
        seen.append("body")
        yield 1

    iterator = numbers()
    seen.append("called")
    assert [n async for n in iterator] == [1]
    if WRAPS_COROUTINES:
        assert seen == ["called", "enter", "body", "exit saw no error"]
    else:
        assert seen == ["enter", "exit saw no error", "called", "body"]
