"""Claims of docs/messages/add-signal-handler-windows.md.

Windows itself cannot be tested on these Linux machines. The POSIX path is tested
for real (the process sends itself SIGTERM); the Windows fallback is exercised by
giving the loop the add_signal_handler() that Windows loops inherit, and by calling
its function directly with SIGINT, the one signal of its list that Linux has. What
the page says about Windows itself comes from the Python docs, which it links."""

import ast
import asyncio
import os
import signal
import threading
from pathlib import Path

import pytest

from tests.support import load_module, run_main


@pytest.fixture(autouse=True)
def handlers_put_back():
    """Whatever a failing test leaves installed, the next test starts clean."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


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


def windows_loop(monkeypatch) -> None:
    """Give the running loop the add_signal_handler() that Windows loops have: the
    abstract method, which raises NotImplementedError."""
    loop = asyncio.get_running_loop()
    monkeypatch.setattr(
        type(loop), "add_signal_handler", asyncio.AbstractEventLoop.add_signal_handler
    )


async def test_fallback_path_stops_on_a_real_sigint(recipe, monkeypatch):
    windows_loop(monkeypatch)
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "installed with signal.signal() (fallback) for SIGINT",
        "tick 1",
        "tick 2",
        "SIGINT received: stopping",
        "stopped cleanly after 2 ticks at 2.50 s",
    ]
    assert run.result == {"received": ["SIGINT"], "ticks": 2}


async def test_the_fallback_leaves_sigterm_alone(recipe, monkeypatch):
    windows_loop(monkeypatch)
    module = load_module(recipe)
    before = signal.getsignal(signal.SIGTERM)
    watched, restore = module.install_stop_handlers(lambda signum: None)
    try:
        assert signal.SIGTERM not in watched
        assert signal.getsignal(signal.SIGTERM) is before
    finally:
        restore()


def test_the_windows_list_is_ctrl_c_and_ctrl_break_where_they_exist(recipe):
    module = load_module(recipe)
    # SIGBREAK exists only on Windows; on Linux the list holds SIGINT alone.
    assert not hasattr(signal, "SIGBREAK")
    assert module.WINDOWS_SIGNALS == (signal.SIGINT,)
    assert module.POSIX_SIGNALS == (signal.SIGINT, signal.SIGTERM)


async def test_the_windows_branch_called_directly_hands_sigint_to_the_loop(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    main_thread = threading.get_ident()
    seen: list[tuple[str, bool]] = []
    stopped = asyncio.Event()

    def stop(signum: int) -> None:
        # Runs as a loop callback: the running loop is there, in the main thread.
        running = asyncio.get_running_loop() is loop
        seen.append((signal.Signals(signum).name, running))
        assert threading.get_ident() == main_thread
        stopped.set()

    before = signal.getsignal(signal.SIGINT)
    restore = module.watch_with_signal_module(loop, stop, (signal.SIGINT,))
    try:
        assert signal.getsignal(signal.SIGINT) is not before
        signal.raise_signal(signal.SIGINT)
        await asyncio.wait_for(stopped.wait(), 1)
    finally:
        restore()
    assert seen == [("SIGINT", True)]
    assert signal.getsignal(signal.SIGINT) is before  # put back


def test_no_windows_loop_class_defines_add_signal_handler(recipe):
    """Read from the stdlib's own source: the classes Windows uses (ProactorEventLoop,
    SelectorEventLoop and their bases) never override add_signal_handler()."""
    load_module(recipe)
    folder = Path(asyncio.__file__).parent
    defined = {}
    for name in ("windows_events", "proactor_events", "selector_events", "base_events"):
        tree = ast.parse((folder / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                methods = {
                    item.name
                    for item in node.body
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                }
                defined[f"{name}.{node.name}"] = "add_signal_handler" in methods
    assert "windows_events.ProactorEventLoop" in defined
    assert "windows_events._WindowsSelectorEventLoop" in defined
    assert not any(defined.values())


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
