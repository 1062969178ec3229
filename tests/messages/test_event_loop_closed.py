"""Claims of docs/messages/event-loop-closed.md."""

import asyncio

import pytest

from tests.support import load_module, run_main


async def test_a_cached_closed_loop_raises_this_text(recipe):
    # The same text on 3.11 to 3.15.
    run = await run_main(recipe)
    assert run.result["error"] == "Event loop is closed"
    assert run.output.splitlines()[0] == "bug: RuntimeError: Event loop is closed"


async def test_looking_up_the_running_loop_each_time_fixes_it(recipe):
    run = await run_main(recipe)
    assert run.result["price"] == 4.25
    assert run.output.splitlines()[1] == "fix: Client().fetch('cake') -> 4.25"


async def test_the_fixed_client_takes_its_half_second(recipe):
    loop = asyncio.get_running_loop()
    start = loop.time()
    assert await load_module(recipe).Client().fetch("tea") == 3.5
    assert loop.time() - start == 0.5


def test_asyncio_run_closes_its_loop_and_each_call_gets_a_new_one(recipe):
    module = load_module(recipe)
    loops = []

    async def use_client(client: object) -> float:
        loops.append(asyncio.get_running_loop())
        return await client.fetch("tea")

    client = module.Client()
    assert asyncio.run(use_client(client)) == 3.5
    assert asyncio.run(use_client(client)) == 3.5
    assert loops[0] is not loops[1]
    assert loops[0].is_closed()
    assert loops[1].is_closed()


@pytest.mark.parametrize("use", ["call_soon", "call_later", "create_task", "run"])
def test_a_closed_loop_refuses_all_new_work(recipe, use):
    module = load_module(recipe)
    loop = asyncio.new_event_loop()
    loop.close()
    coroutine = module.Client().fetch("tea")
    actions = {
        "call_soon": lambda: loop.call_soon(print),
        "call_later": lambda: loop.call_later(1, print),
        "create_task": lambda: loop.create_task(coroutine),
        "run": lambda: loop.run_until_complete(coroutine),
    }
    try:
        with pytest.raises(RuntimeError, match=r"^Event loop is closed$"):
            actions[use]()
    finally:
        coroutine.close()


def test_closing_a_closed_loop_again_is_harmless(recipe):
    load_module(recipe)
    loop = asyncio.new_event_loop()
    loop.close()
    loop.close()
    assert loop.is_closed()
