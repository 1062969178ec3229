"""Claims of docs/basics/use-asyncio.md."""

import asyncio
import inspect
import sys
import time
import warnings

import pytest

from tests.support import load_module, run_main


async def test_three_fetches_take_the_longest_delay_not_the_sum(recipe):
    run = await run_main(recipe)
    assert run.elapsed == 2.0  # not 2.0 + 1.0 + 0.5 = 3.5


async def test_each_fetch_finishes_after_its_own_delay(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[:3] == [
        "0.50 s  c.json done",
        "1.00 s  b.json done",
        "2.00 s  a.json done",
    ]


async def test_results_come_back_in_argument_order_not_finish_order(recipe):
    run = await run_main(recipe)
    assert run.result == ["a.json", "b.json", "c.json"]


async def test_asyncio_run_refuses_to_start_inside_a_running_loop(recipe):
    coroutine = load_module(recipe).main()
    with pytest.raises(
        RuntimeError, match=r"cannot be called from a running event loop"
    ):
        asyncio.run(coroutine)
    coroutine.close()  # never started: close it so no "never awaited" warning fires


@pytest.mark.skipif(
    sys.version_info < (3, 14),
    reason="asyncio.run() takes any awaitable from Python 3.14 (gh-120284)",
)
def test_asyncio_run_takes_any_awaitable_from_3_14(recipe):
    module = load_module(recipe)
    job = module.Job("d.json", 0.1)
    assert not asyncio.iscoroutine(job)  # an awaitable, not a coroutine
    start = time.monotonic()
    assert module.run_job() == "d.json"
    assert time.monotonic() - start >= 0.1


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="3.11 to 3.13 only")
def test_before_3_14_asyncio_run_wants_a_coroutine(recipe):
    module = load_module(recipe)
    # The recipe defines run_job() on 3.14+ only (its hints hold only there):
    # make the same call here.
    assert not hasattr(module, "run_job")
    job = module.Job("d.json", 0.1)
    with pytest.raises(
        ValueError, match=r"^a coroutine was expected, got <.*\.Job object at 0x"
    ):
        asyncio.run(job)


def test_awaiting_it_inside_a_coroutine_works_on_every_version(recipe):
    module = load_module(recipe)
    assert module.run_job_before_3_14() == "d.json"


def test_asyncio_run_of_the_function_itself_fails_by_version(recipe):
    module = load_module(recipe)
    if sys.version_info >= (3, 14):
        with pytest.raises(TypeError) as raised:
            asyncio.run(module.main)
        assert str(raised.value) == (
            "An asyncio.Future, a coroutine or an awaitable is required"
        )
    else:
        with pytest.raises(
            ValueError, match=r"^a coroutine was expected, got <function main at 0x"
        ):
            asyncio.run(module.main)


def test_asyncio_iscoroutinefunction_is_deprecated_from_3_14(recipe):
    module = load_module(recipe)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert asyncio.iscoroutinefunction(module.main)
    if sys.version_info >= (3, 14):
        assert [(w.category, str(w.message)) for w in caught] == [
            (
                DeprecationWarning,
                "'asyncio.iscoroutinefunction' is deprecated and slated for removal"
                " in Python 3.16; use inspect.iscoroutinefunction() instead",
            )
        ]
    else:
        assert caught == []
    assert inspect.iscoroutinefunction(module.main)  # no warning, every version
    assert not inspect.iscoroutinefunction(module.run_job_before_3_14)
