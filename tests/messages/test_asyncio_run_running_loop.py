"""Claims of docs/messages/asyncio-run-running-loop.md."""

import asyncio
import gc
import subprocess
import sys
import warnings

import pytest

from tests.support import load_module, run_main


async def test_asyncio_run_inside_a_running_loop_raises_this_text(recipe):
    # The same text on 3.11 to 3.15.
    run = await run_main(recipe)
    assert run.output.splitlines()[0] == (
        "bug: RuntimeError: asyncio.run() cannot be called from a running event loop"
    )


async def test_the_refused_coroutine_also_warns_never_awaited(recipe):
    module = load_module(recipe)
    seen = await module.call_wrapper_from_async()
    assert seen == [
        "RuntimeError: asyncio.run() cannot be called from a running event loop",
        "RuntimeWarning: coroutine 'fetch_price' was never awaited",
    ]


async def test_closing_the_refused_coroutine_avoids_the_second_warning(recipe):
    module = load_module(recipe)
    coroutine = module.fetch_price("tea")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(RuntimeError, match=r"^asyncio\.run\(\) cannot be called"):
            asyncio.run(coroutine)
        coroutine.close()
        del coroutine
        gc.collect()
    assert caught == []


async def test_awaiting_instead_works_without_error(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    assert await module.fetch_price("tea") == 3.5
    assert loop.time() - start == 0.5


async def test_the_sync_wrapper_works_from_a_worker_thread(recipe):
    run = await run_main(recipe)
    assert run.result == {"price": 3.5, "threaded": 4.25}
    assert run.output.splitlines()[-1] == (
        "fix 2: await asyncio.to_thread(get_price, 'cake') -> 4.25"
    )


async def test_run_until_complete_inside_the_loop_fails_differently(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    coroutine = module.fetch_price("tea")
    with pytest.raises(RuntimeError, match=r"^This event loop is already running$"):
        loop.run_until_complete(coroutine)
    coroutine.close()


def test_python_m_asyncio_repl_takes_top_level_await(recipe):
    source = "import asyncio\nasync def f(): return 42\n\nawait f()\nasyncio.run(f())\n"
    done = subprocess.run(
        [sys.executable, "-m", "asyncio"],
        input=source,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "42\n" in done.stderr + done.stdout
    assert (
        "RuntimeError: asyncio.run() cannot be called from a running event loop"
        in done.stderr
    )
    assert recipe.snippet.exists()
