"""Claims of docs/threads/loop-in-thread.md."""

import asyncio
import concurrent.futures
import threading
import time

import pytest

from tests.support import load_module, run_main, within_bound_sync


async def test_prints_what_the_page_shows(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "finished first to last: ['c (0.2 s)', 'b (0.4 s)', 'a (0.6 s)']",
        "results in submission order: ['a (0.6 s)', 'b (0.4 s)', 'c (0.2 s)']",
        "the loop received: ['one', 'two', 'three']",
        "after shutdown: thread alive False, loop closed True,"
        " leftover task cancelled True",
    ]
    assert run.result == ["a (0.6 s)", "b (0.4 s)", "c (0.2 s)"]


def test_submitted_coroutines_run_concurrently_on_the_loop_thread(recipe):
    module = load_module(recipe)

    async def where() -> str:
        await asyncio.sleep(0.2)
        return threading.current_thread().name

    def five_at_once() -> tuple[list[str], float]:
        with module.BackgroundLoop() as background:
            start = time.perf_counter()
            futures = [background.submit(where()) for _ in range(5)]
            names = [f.result(timeout=5) for f in futures]
            return names, time.perf_counter() - start

    names, elapsed = within_bound_sync(five_at_once, lambda r: r[1] < 0.9)
    assert names == ["loop"] * 5
    assert elapsed < 0.9  # 5 x 0.2 s waited together, not one after another


def test_submit_returns_a_concurrent_future(recipe):
    module = load_module(recipe)
    with module.BackgroundLoop() as background:
        future = background.submit(module.download("x", 0.01))
        assert isinstance(future, concurrent.futures.Future)
        assert future.result(timeout=5) == "x (0.01 s)"


def test_result_timeout_raises_and_cancel_reaches_the_task(recipe):
    module = load_module(recipe)
    with module.BackgroundLoop() as background:
        future = background.submit(asyncio.sleep(3600))
        with pytest.raises(concurrent.futures.TimeoutError):
            future.result(timeout=0.05)
        assert future.cancel()
        still_running = background.submit(
            asyncio.sleep(0.05, result=len(asyncio.all_tasks(background.loop)))
        )
        assert still_running.result(timeout=5) == 1  # only this one: the sleep died


def test_exit_cancels_leftovers_stops_the_thread_and_closes_the_loop(recipe):
    module = load_module(recipe)
    with module.BackgroundLoop() as background:
        leftover = background.submit(asyncio.sleep(3600))
    assert leftover.cancelled()
    assert not background.thread.is_alive()
    assert background.loop.is_closed()


def test_exceptions_come_back_through_the_future(recipe):
    module = load_module(recipe)
    with module.BackgroundLoop() as background:
        failing = background.submit(module.download("x", "soon"))  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            failing.result(timeout=5)


def test_loop_methods_from_another_thread_are_refused_in_debug_mode(recipe):
    module = load_module(recipe)
    with module.BackgroundLoop() as background:
        background.loop.set_debug(True)
        with pytest.raises(RuntimeError, match="Non-thread-safe operation"):
            background.loop.call_soon(print, "unsafe")
        done = threading.Event()
        background.loop.call_soon_threadsafe(done.set)  # the safe way
        assert done.wait(5)


def test_a_running_loop_cannot_be_closed(recipe):
    module = load_module(recipe)
    with module.BackgroundLoop() as background:
        assert background.submit(asyncio.sleep(0.01, result=True)).result(timeout=5)
        with pytest.raises(RuntimeError, match="Cannot close a running event loop"):
            background.loop.close()
    assert background.loop.is_closed()
