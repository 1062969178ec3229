"""Claims of docs/storage/file-io.md. Real reads on the real clock: figures vary from
run to run, so they are asserted as ratios with wide margins."""

import asyncio
import os
import sys
import threading
import time

import pytest

from tests.support import load_module, run_main

pytestmark = pytest.mark.looptime(False)

PLAIN, TO_THREAD, AIOFILES = "plain open().read()", "asyncio.to_thread", "aiofiles"


async def test_prints_both_comparisons_for_the_three_ways(recipe):
    run = await run_main(recipe)
    labels = [
        line.split("  ")[1] for line in run.output.splitlines() if line[:2] == "  "
    ]
    assert labels == [PLAIN, TO_THREAD, AIOFILES] * 2
    assert run.output.splitlines()[0] == "50 files of 16 KiB, time relative to plain:"


async def test_many_small_reads_are_slower_through_threads_not_faster(recipe):
    run = await run_main(recipe)
    ratios, _ = run.result
    assert ratios[PLAIN] == 1.0
    # Seen: to_thread 3 to 12 times, aiofiles 5 to 35 times as long as plain reads.
    assert ratios[TO_THREAD] > 1.0
    assert ratios[AIOFILES] > 1.0


async def test_a_plain_read_blocks_the_loop_for_the_whole_read(recipe):
    run = await run_main(recipe)
    _, big = run.result
    _, beats = big[PLAIN]
    assert beats == 0  # no other task ran while the file was read
    assert "beats during the read: none" in run.output.splitlines()[5]


async def test_threads_leave_the_loop_free_while_the_file_is_read(recipe):
    run = await run_main(recipe)
    _, big = run.result
    for label in (TO_THREAD, AIOFILES):
        _, beats = big[label]
        assert beats > 0, label
    assert run.output.splitlines()[6].endswith("beats during the read: some")
    assert run.output.splitlines()[7].endswith("beats during the read: some")


def count_thread_hops(loop: asyncio.AbstractEventLoop) -> list[object]:
    """Record every call the loop hands to an executor (to_thread and aiofiles both
    go through loop.run_in_executor)."""
    hops: list[object] = []
    original = loop.run_in_executor

    def recording(executor, func, *args):
        hops.append(func)
        return original(executor, func, *args)

    loop.run_in_executor = recording  # type: ignore[method-assign]
    return hops


async def test_aiofiles_makes_a_thread_hop_for_every_call(recipe, tmp_path):
    module = load_module(recipe)
    path = tmp_path / "small.bin"
    path.write_bytes(bytes(1000))
    loop = asyncio.get_running_loop()
    hops = count_thread_hops(loop)
    try:
        assert await module.aiofiles_read(path) == 1000
        # open, read (1000 bytes), read (b"": the end), close
        assert len(hops) == 4
        hops.clear()
        assert await module.to_thread([path]) == 1000
        assert len(hops) == 1  # the whole read_file() in one hop
    finally:
        del loop.run_in_executor


async def test_the_default_pool_runs_at_most_cpu_count_plus_4_threads(recipe):
    load_module(recipe)
    running = peak = 0
    lock = threading.Lock()

    def blocking_read() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1

    await asyncio.gather(*(asyncio.to_thread(blocking_read) for _ in range(50)))
    assert peak == min(32, (os.cpu_count() or 1) + 4)  # 6 on a 2-core machine


@pytest.mark.skipif(sys.platform != "linux", reason="epoll is Linux's selector")
async def test_the_event_loop_cannot_wait_for_a_regular_file(recipe, tmp_path):
    load_module(recipe)
    path = tmp_path / "any.bin"
    path.write_bytes(b"data")
    loop = asyncio.get_running_loop()
    with open(path, "rb") as file, pytest.raises(PermissionError):  # noqa: ASYNC230
        loop.add_reader(file.fileno(), lambda: None)
