"""Claims of docs/messages/loop-already-running.md."""

import asyncio

import pytest

from tests.support import load_module, run_main


async def test_run_until_complete_inside_the_running_loop_raises_this_text(recipe):
    # The same text on 3.11 to 3.15.
    run = await run_main(recipe)
    assert run.output.splitlines()[0] == (
        "bug: RuntimeError: This event loop is already running"
    )


async def test_the_refused_coroutine_also_warns_never_awaited(recipe):
    seen = await load_module(recipe).call_wrapper_from_async()
    assert seen == [
        "RuntimeError: This event loop is already running",
        "RuntimeWarning: coroutine 'fetch_price' was never awaited",
    ]


async def test_run_forever_inside_the_loop_raises_the_same(recipe):
    load_module(recipe)
    with pytest.raises(RuntimeError, match=r"^This event loop is already running$"):
        asyncio.get_running_loop().run_forever()


async def test_a_second_loop_in_the_same_thread_gets_another_message(recipe):
    module = load_module(recipe)
    other = asyncio.new_event_loop()
    coroutine = module.fetch_price("tea")
    try:
        with pytest.raises(
            RuntimeError,
            match=r"^Cannot run the event loop while another loop is running$",
        ):
            other.run_until_complete(coroutine)
    finally:
        coroutine.close()
        other.close()


async def test_the_fixes_await_or_schedule_a_task(recipe):
    run = await run_main(recipe)
    assert run.result == {"price": 3.5, "scheduled": 4.25}
    assert run.elapsed == 1.0  # two awaited fetches of 0.5 s each
    assert run.output.splitlines()[2:] == [
        "fix 1: await fetch_price('tea') -> 3.5",
        "fix 2: task scheduled by on_order('cake') -> 4.25",
    ]


async def test_the_callback_keeps_its_task_until_done(recipe):
    module = load_module(recipe)
    module.on_order("tea")
    assert len(module.pending) == 1
    (task,) = module.pending
    assert await task == 3.5
    await asyncio.sleep(0)  # done-callbacks run on the next loop iteration
    assert module.pending == set()


def test_the_wrapper_works_where_no_loop_is_running(recipe):
    module = load_module(recipe)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        assert module.get_price("tea") == 3.5
    finally:
        asyncio.set_event_loop(None)
        loop.close()
