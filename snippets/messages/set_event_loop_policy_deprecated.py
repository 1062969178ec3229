"""How do I fix "DeprecationWarning: 'asyncio.set_event_loop_policy' is deprecated"?
Choose the event loop with a loop factory where the program starts, instead of
setting a process-wide event loop policy."""

# --8<-- [start:recipe]
import asyncio
import sys
import unittest
import warnings
from collections.abc import Callable
from pathlib import Path

import uvloop

LoopFactory = Callable[[], asyncio.AbstractEventLoop]


async def app() -> str:
    """Your program: nothing in it says which event loop runs it."""
    await asyncio.sleep(0.01)
    loop = type(asyncio.get_running_loop())
    return f"{loop.__module__}.{loop.__name__}"


def start(loop_factory: LoopFactory | None = None) -> str:
    """Your `if __name__ == "__main__":` block: the loop is chosen here, for this
    run only. None means asyncio's default loop."""
    if sys.version_info >= (3, 12):
        return asyncio.run(app(), loop_factory=loop_factory)
    # Python 3.11: asyncio.run() has no loop_factory, asyncio.Runner has.
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        return runner.run(app())


# --8<-- [end:recipe]
# --8<-- [start:policy]
def the_deprecated_way() -> str:
    """What the warning is about: a process-wide policy, which asyncio.run() asks
    for a new loop. (It puts the previous policy back, as a test fixture does.)"""
    previous = asyncio.get_event_loop_policy()
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    try:
        return asyncio.run(app())
    finally:
        asyncio.set_event_loop_policy(previous)


def warnings_shown(function: Callable[[], str]) -> tuple[str, list[str]]:
    """Call function; return its result and the warnings that point at this file:
    the ones `python this_script.py` prints, as Python's default filters hide a
    DeprecationWarning that points into a library."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function()
    here = Path(__file__).name
    shown = [
        f"{here}:{w.lineno}: {w.category.__name__}: {w.message}"
        for w in caught
        if Path(w.filename).name == here
    ]
    return result, shown


# --8<-- [end:policy]
# --8<-- [start:pytest]
# conftest.py, with pytest-asyncio 1.4 or later: every async test runs on uvloop.
def pytest_asyncio_loop_factories(
    config: object, item: object
) -> dict[str, LoopFactory]:
    return {"uvloop": uvloop.new_event_loop}


# --8<-- [end:pytest]
# --8<-- [start:unittest]
class AppOnUvloop(unittest.IsolatedAsyncioTestCase):
    loop_factory = uvloop.Loop  # Python 3.13+; a class, not uvloop.new_event_loop

    async def test_runs_on_uvloop(self) -> None:
        self.assertEqual(await app(), "uvloop.Loop")  # noqa: PT009


# --8<-- [end:unittest]
# --8<-- [start:main]
def program() -> dict[str, str | list[str]]:
    results: dict[str, str | list[str]] = {
        "default loop": start(),
        "uvloop.new_event_loop": start(uvloop.new_event_loop),
        "uvloop.run()": uvloop.run(app()),
        # On Windows this replaces asyncio.WindowsSelectorEventLoopPolicy();
        # on Linux the selector loop is the default loop already.
        "asyncio.SelectorEventLoop": start(asyncio.SelectorEventLoop),
    }
    for label, loop in results.items():
        print(f"{label + ':':27} {loop}")
    loop, shown = warnings_shown(the_deprecated_way)
    print(f"{'uvloop.EventLoopPolicy():':27} {loop}")
    for line in shown or ["(no warning)"]:
        print(f"  {line}")
    return {**results, "uvloop.EventLoopPolicy()": loop, "warnings": shown}


async def main() -> dict[str, str | list[str]]:
    # The page's tests await main() inside a running loop, where no other loop can
    # start; so the program runs in a worker thread, where no loop runs yet.
    return await asyncio.to_thread(program)


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
