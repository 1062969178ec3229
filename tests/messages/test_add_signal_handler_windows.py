"""Claims of docs/messages/add-signal-handler-windows.md.

Windows itself cannot be tested on these Linux machines. The POSIX path is tested
for real (the process sends itself SIGTERM); the Windows fallback is exercised by
giving the loop the add_signal_handler() that Windows loops inherit."""

import asyncio
import os
import signal
import threading

import pytest

from tests.support import load_module, run_main


async def test_posix_path_stops_on_a_real_sigterm(recipe):
    run = await run_main(recipe)
    assert run.result == {"received": ["SIGTERM"], "ticks": 2}
    assert run.elapsed == 2.5
    assert run.output.splitlines() == [
        "installed with loop.add_signal_handler()",
        "tick 1",
        "tick 2",
        "SIGTERM received: stopping",
        "stopped cleanly after 2 ticks at 2.50 s",
    ]


async def test_fallback_path_stops_on_a_real_sigterm(recipe, monkeypatch):
    loop = asyncio.get_running_loop()
    # What a Windows loop has: the abstract method, which raises NotImplementedError.
    monkeypatch.setattr(
        type(loop), "add_signal_handler", asyncio.AbstractEventLoop.add_signal_handler
    )
    run = await run_main(recipe)
    assert run.output.splitlines()[0] == "installed with signal.signal() (fallback)"
    assert run.result == {"received": ["SIGTERM"], "ticks": 2}


def test_loops_without_unix_support_raise_not_implemented_error(recipe):
    load_module(recipe)
    # Windows' ProactorEventLoop and SelectorEventLoop inherit this method unchanged.
    assert (
        asyncio.base_events.BaseEventLoop.add_signal_handler
        is asyncio.AbstractEventLoop.add_signal_handler
    )
    loop = asyncio.new_event_loop()
    try:
        with pytest.raises(NotImplementedError) as raised:
            asyncio.AbstractEventLoop.add_signal_handler(loop, signal.SIGTERM, print)
        assert str(raised.value) == ""  # the exception carries no message at all
    finally:
        loop.close()


def test_add_signal_handler_works_only_in_the_main_thread(recipe):
    load_module(recipe)
    errors = []

    async def try_it() -> None:
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, print)
        except RuntimeError as exc:
            errors.append(str(exc))

    thread = threading.Thread(target=asyncio.run, args=(try_it(),))
    thread.start()
    thread.join()
    assert errors == ["set_wakeup_fd only works in main thread of the main interpreter"]


async def test_sigkill_cannot_be_handled(recipe):
    load_module(recipe)
    with pytest.raises(RuntimeError, match=r"^sig 9 cannot be caught$"):
        asyncio.get_running_loop().add_signal_handler(signal.SIGKILL, print)


async def test_previous_handlers_are_restored(recipe):
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    await run_main(recipe)
    after = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    assert after == before


async def test_remove_signal_handler_does_not_restore_the_previous_handler(recipe):
    load_module(recipe)
    loop = asyncio.get_running_loop()

    def mine(signum, frame):
        pass

    previous = signal.signal(signal.SIGTERM, mine)
    try:
        loop.add_signal_handler(signal.SIGTERM, print)
        loop.remove_signal_handler(signal.SIGTERM)
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # not `mine`
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_asyncio_run_installs_its_own_sigint_handler(recipe):
    load_module(recipe)

    async def current() -> object:
        return signal.getsignal(signal.SIGINT)

    handler = asyncio.run(current())
    assert "Runner._on_sigint" in repr(handler)


def test_ctrl_c_under_asyncio_run_cancels_the_main_task(recipe):
    load_module(recipe)
    seen = []

    async def main() -> None:
        asyncio.get_running_loop().call_later(0.1, os.kill, os.getpid(), signal.SIGINT)
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            seen.append("main task cancelled")
            raise

    with pytest.raises(KeyboardInterrupt):
        asyncio.run(main())
    assert seen == ["main task cancelled"]
