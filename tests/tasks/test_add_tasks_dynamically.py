"""Claims of docs/tasks/add-tasks-dynamically.md."""

import asyncio
import contextlib
import io

import pytest

from tests.support import load_module, run_main, timed

CRAWL_LINES = [
    "0.50 s  got / -> new: ['/a', '/b']",
    "1.00 s  got /b -> new: ['/b/1', '/gone']",
    "1.25 s  failed /gone: LookupError('404 Not Found: /gone')",
    "1.50 s  got /a -> new: ['/a/1']",
    "1.75 s  got /a/1 -> new: []",
    "2.00 s  got /b/1 -> new: []",
]
CRAWLED = ["/", "/b", "/a", "/a/1", "/b/1"]


async def test_each_result_is_handled_as_it_arrives_and_adds_tasks(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        *CRAWL_LINES,
        f"crawled {CRAWLED} in 2.00 s",
    ]
    assert run.result == CRAWLED


async def test_the_crawl_takes_2_s_while_the_fetches_add_up_to_3_5_s(recipe):
    module = load_module(recipe)
    run = await timed(module.main)
    assert run.elapsed == 2.0
    fetch_times = sum(delay for delay, _ in module.SITE.values()) + 0.25  # /gone
    assert fetch_times == 3.5


async def test_a_failed_fetch_does_not_stop_the_crawl(recipe):
    module = load_module(recipe)
    for crawl in (module.crawl, module.crawl_with_wait):
        with contextlib.redirect_stdout(io.StringIO()) as output:
            crawled = await crawl("/")
        assert "/gone" not in crawled
        assert crawled == CRAWLED
        assert "failed /gone: LookupError('404 Not Found: /gone')" in output.getvalue()


async def test_the_wait_version_prints_the_same_and_takes_as_long(recipe):
    module = load_module(recipe)
    run = await timed(lambda: module.crawl_with_wait("/"))
    assert run.output.splitlines() == CRAWL_LINES
    assert run.result == CRAWLED
    assert run.elapsed == 2.0


async def test_wait_only_waits_on_the_tasks_it_was_given(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    slow = asyncio.create_task(module.fetch("/a"))  # 1.0 s
    waiting = asyncio.create_task(
        asyncio.wait({slow}, return_when=asyncio.FIRST_COMPLETED)
    )
    await asyncio.sleep(0)
    fast = asyncio.create_task(module.fetch("/a/1"))  # 0.25 s, added after the call
    done, pending = await waiting
    assert fast.done()  # finished at 0.25 s, but wait() returned only at 1.0 s
    assert done == {slow}
    assert pending == set()
    assert loop.time() - start == 1.0


async def test_wait_refuses_an_empty_set(recipe):
    load_module(recipe)
    with pytest.raises(ValueError, match="empty"):
        await asyncio.wait(set(), return_when=asyncio.FIRST_COMPLETED)


@pytest.mark.parametrize("crawl", ["crawl", "crawl_with_wait"])
async def test_cancelling_the_crawl_cancels_and_awaits_its_fetches(recipe, crawl):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    fetch = module.fetch
    cancelled: list[str] = []

    async def watched(url: str) -> list[str]:
        try:
            return await fetch(url)
        except asyncio.CancelledError:
            cancelled.append(url)
            raise

    module.fetch = watched
    with contextlib.redirect_stdout(io.StringIO()), pytest.raises(TimeoutError):
        async with asyncio.timeout(1.2):
            await getattr(module, crawl)("/")
    assert loop.time() - start == 1.2
    # /a (until 1.5 s), /b/1 (until 2.0 s) and /gone (until 1.25 s) were running.
    assert sorted(cancelled) == ["/a", "/b/1", "/gone"]
    assert asyncio.all_tasks() == {asyncio.current_task()}  # none left running


async def test_an_error_escaping_a_task_cancels_the_whole_group(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    fetch = module.fetch

    async def fetch_or_crash(url: str) -> list[str]:
        if url == "/gone":
            await asyncio.sleep(0.25)
            raise RuntimeError("crash")  # not the LookupError visit() catches
        return await fetch(url)

    module.fetch = fetch_or_crash
    with (
        contextlib.redirect_stdout(io.StringIO()) as output,
        pytest.raises(ExceptionGroup) as info,
    ):
        await module.crawl("/")
    assert [repr(e) for e in info.value.exceptions] == ["RuntimeError('crash')"]
    assert loop.time() - start == 1.25  # /a and /b/1 were cancelled then
    assert output.getvalue().splitlines() == CRAWL_LINES[:2]


async def test_a_closed_group_accepts_no_new_tasks(recipe):
    module = load_module(recipe)
    async with asyncio.TaskGroup() as tg:
        tg.create_task(module.fetch("/a/1"))
    coroutine = module.fetch("/a/1")
    with pytest.raises(RuntimeError, match="is finished"):
        tg.create_task(coroutine)
    coroutine.close()  # never started: close it so no "never awaited" warning fires


async def test_a_group_shutting_down_refuses_tasks_even_from_its_own_tasks(recipe):
    module = load_module(recipe)
    refused: list[str] = []

    async def crash() -> None:
        await asyncio.sleep(0.25)
        raise RuntimeError("crash")

    async def visit_then_add(tg: asyncio.TaskGroup) -> None:
        try:
            await module.fetch("/a")  # 1.0 s: cancelled at 0.25 s
        finally:
            coroutine = module.fetch("/a/1")
            try:
                tg.create_task(coroutine)
            except RuntimeError as error:
                refused.append(str(error))
            finally:
                coroutine.close()  # a no-op where create_task() closed it (3.13+)

    async def group() -> None:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(crash())
            tg.create_task(visit_then_add(tg))

    with pytest.raises(ExceptionGroup):
        await group()
    assert refused == [
        "TaskGroup <TaskGroup tasks=1 errors=1 cancelling> is shutting down"
    ]
