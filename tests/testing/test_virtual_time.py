"""Claims of docs/testing/virtual-time.md.

This project runs every async test with `--looptime`, so the tests below run in
virtual time unless marked `@pytest.mark.looptime(False)`.
"""

import asyncio
import socket
import threading
import time

import pytest

from tests.support import load_module, run_main


def code_under_test(recipe) -> dict:
    """The functions defined in the recipe's embedded test file."""
    namespace: dict = {}
    exec(load_module(recipe).TEST_FILE, namespace)
    return namespace


async def test_the_embedded_tests_pass_with_looptime(recipe):
    run = await run_main(recipe)
    assert run.result["pytest"] == (
        0,
        [
            "PASSED test_reply.py::test_gives_up_after_a_minute",
            "PASSED test_reply.py::test_returns_the_reply_in_time",
            "PASSED test_reply.py::test_real_work_on_the_real_clock",
            "3 passed",
        ],
    )


async def test_a_60_second_timeout_takes_60_loop_seconds_and_no_real_time(recipe):
    wait_for_reply = code_under_test(recipe)["wait_for_reply"]
    loop = asyncio.get_running_loop()
    start, real_start = loop.time(), time.perf_counter()
    with pytest.raises(TimeoutError):
        await wait_for_reply(loop.create_future())
    assert loop.time() - start == 60.0
    assert time.perf_counter() - real_start < 1.0


async def test_a_reply_after_30_seconds_arrives_at_exactly_30(recipe, looptime):
    wait_for_reply = code_under_test(recipe)["wait_for_reply"]
    reply = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().call_later(30, reply.set_result, "pong")
    assert await wait_for_reply(reply) == "pong"
    assert looptime == 30


@pytest.mark.looptime(False)
async def test_looptime_false_puts_a_test_back_on_the_real_clock(recipe):
    loop = asyncio.get_running_loop()
    start, real_start = loop.time(), time.perf_counter()
    await asyncio.sleep(0.2)
    assert time.perf_counter() - real_start >= 0.2
    assert loop.time() - start >= 0.2


async def test_an_injected_fake_sleep_records_the_waits(recipe):
    run = await run_main(recipe)
    assert run.result["poll"] == (3, [5.0, 5.0])
    assert run.output.splitlines()[-1] == (
        "fake sleep: ready after 3 checks, slept [5.0, 5.0] without waiting"
    )


@pytest.mark.looptime(False)
async def test_an_injected_fake_sleep_needs_no_plugin_and_no_real_time(recipe):
    module = load_module(recipe)
    real_start = time.perf_counter()
    assert await module.test_poll_with_a_fake_sleep() == (3, [5.0, 5.0])
    assert time.perf_counter() - real_start < 0.5


def socket_reply_after(delay: float) -> tuple[socket.socket, threading.Timer]:
    """A socket that receives b"x" after `delay` real seconds (sent by a thread)."""
    receiver, sender = socket.socketpair()
    receiver.setblocking(False)

    def send() -> None:
        sender.send(b"x")
        sender.close()

    timer = threading.Timer(delay, send)
    timer.start()
    return receiver, timer


async def test_pitfall_real_io_under_a_pending_timeout_times_out_at_once(recipe):
    loop = asyncio.get_running_loop()
    receiver, timer = socket_reply_after(0.5)
    start = loop.time()
    try:
        # The reply is 0.5 real seconds away, but nothing in the loop is due
        # before the 5 s timeout, so looptime jumps straight to it.
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(loop.sock_recv(receiver, 1), timeout=5)
        assert loop.time() - start == 5.0
        assert timer.is_alive()  # the reply has not even been sent yet
    finally:
        timer.join()
        receiver.close()


@pytest.mark.looptime(False)
async def test_the_same_real_io_succeeds_on_the_real_clock(recipe):
    loop = asyncio.get_running_loop()
    receiver, timer = socket_reply_after(0.5)
    try:
        assert await asyncio.wait_for(loop.sock_recv(receiver, 1), timeout=5) == b"x"
    finally:
        timer.join()
        receiver.close()


async def test_threads_are_waited_for_in_real_time_steps(recipe, looptime):
    # run_in_executor/to_thread futures are tracked: looptime waits for them in
    # real time instead of jumping to the next timer.
    result = await asyncio.wait_for(
        asyncio.to_thread(lambda: time.sleep(0.2) or "done"), timeout=5
    )
    assert result == "done"
    assert looptime < 5
