"""Claims of docs/testing/mock-async.md."""

import gc
import inspect
import sys
import warnings
from unittest.mock import AsyncMock, MagicMock, patch

import pytest

from tests.support import load_module, run_main

# What `await 21.4` raises: reworded in 3.14 (gh-114091).
if sys.version_info >= (3, 14):
    NOT_AWAITABLE = "'float' object can't be awaited"
else:
    NOT_AWAITABLE = "object float can't be used in 'await' expression"


async def test_patch_puts_an_asyncmock_in_place_of_an_async_def(recipe):
    run = await run_main(recipe)
    assert run.result["patched with"] == "AsyncMock"
    module = load_module(recipe)
    with patch.object(module, "fetch_temperature") as fake:
        assert isinstance(fake, AsyncMock)
        assert inspect.iscoroutinefunction(fake)
    with patch.object(module, "forecast") as fake:
        assert isinstance(fake, AsyncMock)


async def test_patch_of_a_plain_function_gives_a_magicmock(recipe):
    def plain() -> int:
        return 1

    holder = type("Holder", (), {"plain": staticmethod(plain)})
    with patch.object(holder, "plain") as fake:
        assert isinstance(fake, MagicMock)
        assert not isinstance(fake, AsyncMock)
        assert fake() is fake.return_value  # a plain value, nothing to await


async def test_return_value_is_what_the_await_gives(recipe):
    run = await run_main(recipe)
    assert run.result["return_value"] == "Oslo: 21 °C"


async def test_exception_side_effect_is_raised_when_awaited(recipe):
    run = await run_main(recipe)
    assert run.result["exception"] == "Oslo: unknown"
    fake = AsyncMock(side_effect=TimeoutError)
    awaitable = fake("Oslo")  # calling does not raise yet
    with pytest.raises(TimeoutError):
        await awaitable


async def test_iterable_side_effect_gives_one_item_per_await_then_stopasynciteration(
    recipe,
):
    run = await run_main(recipe)
    assert run.result["iterable"] == ["Oslo: 18 °C", "Rome: 19 °C"]
    assert run.result["exhausted"] == "StopAsyncIteration"


async def test_async_function_side_effect_is_awaited_and_takes_its_time(recipe):
    run = await run_main(recipe)
    assert run.result["async function"] == "Cairo: 30 °C"
    assert run.result["took"] == "2.00 s"
    assert run.elapsed == 2.0


async def test_await_count_and_args_record_every_await(recipe):
    run = await run_main(recipe)
    assert run.result["await_count"] == 6
    assert run.result["await_args_list"] == [
        ("Oslo",),
        ("Oslo",),
        ("Oslo",),
        ("Rome",),
        ("Paris",),
        ("Cairo",),
    ]


async def test_assert_awaited_once_with_fails_on_a_second_await(recipe):
    fake = AsyncMock(return_value=1.0)
    await fake("Oslo")
    fake.assert_awaited_once_with("Oslo")
    await fake("Oslo")
    with pytest.raises(AssertionError, match="Awaited 2 times"):
        fake.assert_awaited_once_with("Oslo")


async def test_a_magicmock_returns_a_non_awaitable(recipe):
    run = await run_main(recipe)
    assert run.result["MagicMock"] == f"TypeError: {NOT_AWAITABLE}"
    assert run.result["AsyncMock"] == "Oslo: 21 °C"


async def test_a_call_without_await_counts_as_called_not_awaited(recipe):
    fake = AsyncMock()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        coroutine = fake("Oslo")
        fake.assert_called_once_with("Oslo")  # passes: it was called
        assert fake.await_count == 0
        with pytest.raises(AssertionError, match="Awaited 0 times"):
            fake.assert_awaited_once()
        coroutine.close()


async def test_the_printed_lines(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "patched with: AsyncMock",
        "return_value: Oslo: 21 °C",
        "exception: Oslo: unknown",
        "iterable: ['Oslo: 18 °C', 'Rome: 19 °C']",
        "exhausted: StopAsyncIteration",
        "async function: Cairo: 30 °C",
        "took: 2.00 s",
        "await_count: 6",
        "await_args_list: [('Oslo',), ('Oslo',), ('Oslo',), ('Rome',), ('Paris',),"
        " ('Cairo',)]",
        f"MagicMock: TypeError: {NOT_AWAITABLE}",
        "AsyncMock: Oslo: 21 °C",
    ]


async def test_the_patch_is_undone_after_the_with_block(recipe):
    module = load_module(recipe)
    await run_main(recipe)
    with pytest.raises(ConnectionError):
        await module.fetch_temperature("Oslo")


async def test_a_forgotten_await_on_a_mock_warns_never_awaited(recipe):
    fake = AsyncMock()
    with pytest.warns(RuntimeWarning, match="was never awaited"):  # noqa: PT031
        fake("Oslo")  # the coroutine is dropped at once...
        gc.collect()  # ...and reported when it is destroyed
