"""Why does add_signal_handler raise NotImplementedError on Windows? A portable
way to stop on SIGTERM or Ctrl-C."""

# --8<-- [start:recipe]
import asyncio
import signal
from collections.abc import Callable, Sequence
from types import FrameType

Stop = Callable[[int], None]
POSIX_SIGNALS = (signal.SIGINT, signal.SIGTERM)  # Ctrl-C, and `kill <pid>`
# Windows delivers only Ctrl-C and Ctrl-Break to a handler: os.kill() with any other
# signal ends the process at once. SIGBREAK exists only on Windows.
WINDOWS_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGBREAK") if hasattr(signal, name)
)


def install_stop_handlers(stop: Stop) -> tuple[Sequence[int], Callable[[], None]]:
    """Call `stop(signum)` in the event loop on a stop signal, on any OS. Returns
    the signals watched, and a function that puts the previous handlers back."""
    loop = asyncio.get_running_loop()
    try:
        return POSIX_SIGNALS, watch_with_loop(loop, stop, POSIX_SIGNALS)
    except NotImplementedError:  # Windows: its event loops cannot watch signals
        return WINDOWS_SIGNALS, watch_with_signal_module(loop, stop, WINDOWS_SIGNALS)


def watch_with_loop(
    loop: asyncio.AbstractEventLoop, stop: Stop, signals: Sequence[int]
) -> Callable[[], None]:
    previous = {sig: signal.getsignal(sig) for sig in signals}
    for sig in signals:  # on Windows, the first call raises NotImplementedError
        loop.add_signal_handler(sig, stop, sig)
    print("installed with loop.add_signal_handler()")

    def restore() -> None:
        for sig, old in previous.items():
            loop.remove_signal_handler(sig)
            signal.signal(sig, old)  # remove_signal_handler() does not do this

    return restore


def watch_with_signal_module(
    loop: asyncio.AbstractEventLoop, stop: Stop, signals: Sequence[int]
) -> Callable[[], None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        # Runs between two bytecodes of the main thread: hand over to the loop.
        loop.call_soon_threadsafe(stop, signum)

    previous = {sig: signal.signal(sig, handler) for sig in signals}
    names = ", ".join(signal.Signals(sig).name for sig in signals)
    print(f"installed with signal.signal() (fallback) for {names}")

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore


async def worker(stopping: asyncio.Event) -> int:
    ticks = 0
    while not stopping.is_set():
        try:
            await asyncio.wait_for(stopping.wait(), timeout=1.0)
        except TimeoutError:
            ticks += 1
            print(f"tick {ticks}")
    return ticks


async def main() -> dict[str, object]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    stopping = asyncio.Event()
    received: list[str] = []

    def stop(signum: int) -> None:
        received.append(signal.Signals(signum).name)
        print(f"{received[-1]} received: stopping")
        stopping.set()

    watched, restore = install_stop_handlers(stop)
    try:
        # Stand-in for `kill <pid>` from outside (for Ctrl-C where SIGTERM is not
        # watched): send ourselves the signal after 2.5 s.
        demo = signal.SIGTERM if signal.SIGTERM in watched else signal.SIGINT
        loop.call_later(2.5, signal.raise_signal, demo)
        ticks = await worker(stopping)
    finally:
        restore()
    print(f"stopped cleanly after {ticks} ticks at {loop.time() - start:.2f} s")
    return {"received": received, "ticks": ticks}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
