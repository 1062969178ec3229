"""Claims of docs/threads/to-thread-vs-run-in-executor.md."""

import asyncio
import functools
import inspect
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from tests.support import load_module, run_main


async def test_to_thread_copies_the_callers_contextvars(recipe):
    run = await run_main(recipe)
    assert run.result["to_thread"] == "req-42"


async def test_run_in_executor_does_not_copy_contextvars(recipe):
    run = await run_main(recipe)
    assert run.result["run_in_executor"] == "unset"


async def test_copy_context_run_carries_contextvars_through_run_in_executor(recipe):
    run = await run_main(recipe)
    assert run.result["copied"] == "req-42"


@pytest.mark.looptime(False)
async def test_run_in_executor_accepts_a_process_pool_to_thread_cannot(recipe):
    load_module(recipe)
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=1) as pool:
        child = await loop.run_in_executor(pool, os.getpid)
    assert child != os.getpid()
    assert "executor" not in inspect.signature(asyncio.to_thread).parameters


async def test_max_workers_bounds_how_many_calls_run_at_once(recipe):
    run = await run_main(recipe)
    assert run.result["peak"] == 2
    assert run.output.splitlines()[-1] == (
        "ThreadPoolExecutor(max_workers=2): 6 jobs, at most 2 at once"
    )


async def test_prints_what_each_call_saw(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[:3] == [
        "to_thread sees request_id=req-42",
        "run_in_executor sees request_id=unset",
        "run_in_executor + copy_context() sees request_id=req-42",
    ]


async def test_a_value_set_inside_to_thread_does_not_leak_back(recipe):
    module = load_module(recipe)
    module.request_id.set("outer")
    await asyncio.to_thread(module.request_id.set, "inner")  # sets it in a copy
    assert module.request_id.get() == "outer"


@pytest.mark.looptime(False)
async def test_to_thread_uses_the_loops_default_executor(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(max_workers=1))
    counter = module.PeakCounter()
    await asyncio.gather(*(asyncio.to_thread(counter.work, 0.05) for _ in range(3)))
    assert counter.peak == 1  # one thread in the default pool: one at a time


async def test_to_thread_takes_keyword_arguments_run_in_executor_does_not(recipe):
    load_module(recipe)
    loop = asyncio.get_running_loop()
    assert await asyncio.to_thread(int, "ff", base=16) == 255
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        await loop.run_in_executor(None, int, "ff", base=16)  # type: ignore[call-arg]
    call = functools.partial(int, "ff", base=16)
    assert await loop.run_in_executor(None, call) == 255
