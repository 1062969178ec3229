"""Claims of docs/messages/attached-to-different-loop.md."""

import asyncio

import pytest

from tests.support import load_module, run_main

# The same texts on 3.11 to 3.15 (only addresses and task details vary).
BOUND = r"^<{}> is bound to a different event loop$"


async def test_recipe_shows_both_messages_and_the_fix(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "bug: RuntimeError: <asyncio.locks.Event object at 0x… [unset]>"
        " is bound to a different event loop",
        "bug: RuntimeError: Task <…> got Future <Future pending>"
        " attached to a different loop",
        "fix: Event created in this run -> ready",
    ]


def contended(make: str):
    """A coroutine that makes the primitive wait (and so bind to the running loop)."""

    async def use(obj: object) -> None:
        loop = asyncio.get_running_loop()
        if make == "Event":
            loop.call_later(0.01, obj.set)
            await obj.wait()
            obj.clear()
        elif make == "Queue":
            loop.call_later(0.01, obj.put_nowait, 1)
            await obj.get()
        else:  # Lock, Semaphore: two holders, so one must wait

            async def hold() -> None:
                async with obj:
                    await asyncio.sleep(0.01)

            await asyncio.gather(hold(), hold())

    return use


@pytest.mark.parametrize(
    ("make", "text"),
    [
        ("Event", r"asyncio\.locks\.Event object at 0x[0-9a-f]+ \[unset\]"),
        ("Queue", r"Queue at 0x[0-9a-f]+ maxsize=0 tasks=1"),
        ("Lock", r"asyncio\.locks\.Lock object at 0x[0-9a-f]+ \[locked\]"),
        ("Semaphore", r"asyncio\.locks\.Semaphore object at 0x[0-9a-f]+ \[locked\]"),
    ],
)
def test_a_primitive_that_waited_in_one_run_fails_in_the_next(recipe, make, text):
    load_module(recipe)
    obj = getattr(asyncio, make)()
    use = contended(make)
    asyncio.run(use(obj))  # binds to the first loop
    with pytest.raises(RuntimeError, match=BOUND.format(text)):
        asyncio.run(use(obj))


def test_awaiting_another_loops_future_gives_the_got_future_text(recipe):
    load_module(recipe)
    other = asyncio.new_event_loop()
    future = other.create_future()

    async def await_it() -> None:
        await future

    try:
        with pytest.raises(
            RuntimeError,
            match=r"^Task <Task pending name='Task-\d+' coro=<.*>"
            r" got Future <Future pending> attached to a different loop$",
        ):
            asyncio.run(await_it())
    finally:
        other.close()


@pytest.mark.parametrize("make", ["Event", "Queue", "Lock", "Semaphore"])
def test_the_primitives_take_no_loop_argument(recipe, make):
    load_module(recipe)
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'loop'$"):
        getattr(asyncio, make)(loop=None)


def test_uncontended_use_never_binds_so_the_bug_hides(recipe):
    load_module(recipe)
    lock, event = asyncio.Lock(), asyncio.Event()
    event.set()

    async def quiet() -> None:
        async with lock:  # free: acquired without waiting
            pass
        await event.wait()  # already set: returns at once

    asyncio.run(quiet())
    asyncio.run(quiet())  # no error: neither object ever had to wait


def test_import_time_creation_is_fine_when_one_loop_uses_it(recipe):
    module = load_module(recipe)  # creates a fresh module-level shared_ready
    assert asyncio.run(module.wait_until_ready(module.shared_ready)) == "ready"
    assert asyncio.run(module.wait_until_ready(asyncio.Event())) == "ready"


def test_creating_the_object_inside_each_run_fixes_it(recipe):
    module = load_module(recipe)

    async def run_once() -> str:
        return await module.wait_until_ready(asyncio.Event())

    assert [asyncio.run(run_once()) for _ in range(3)] == ["ready"] * 3
