"""Why does add_signal_handler raise NotImplementedError on Windows? A portable
way to stop on SIGTERM or Ctrl-C."""

# --8<-- [start:recipe]
import asyncio
import os
import signal
from collections.abc import Callable
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def install_stop_handlers(stop: Callable[[int], None]) -> Callable[[], None]:
    """Call `stop(signum)` in the event loop on SIGINT or SIGTERM, on any OS.
    Returns a function that puts the previous handlers back."""
    loop = asyncio.get_running_loop()
    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    watched_by_loop = True
    try:
        for sig in STOP_SIGNALS:
            loop.add_signal_handler(sig, stop, sig)
        print("installed with loop.add_signal_handler()")
    except NotImplementedError:  # Windows: its event loops cannot watch signals

        def handler(signum: int, frame: FrameType | None) -> None:
            # Runs between two bytecodes of the main thread: hand over to the loop.
            loop.call_soon_threadsafe(stop, signum)

        watched_by_loop = False
        for sig in STOP_SIGNALS:
            signal.signal(sig, handler)
        print("installed with signal.signal() (fallback)")

    def restore() -> None:
        for sig, old in previous.items():
            if watched_by_loop:
                loop.remove_signal_handler(sig)
            signal.signal(sig, old)  # remove_signal_handler() does not do this

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

    restore = install_stop_handlers(stop)
    try:
        # Stand-in for `kill <pid>` from outside: signal ourselves after 2.5 s.
        loop.call_later(2.5, os.kill, os.getpid(), signal.SIGTERM)
        ticks = await worker(stopping)
    finally:
        restore()
    print(f"stopped cleanly after {ticks} ticks at {loop.time() - start:.2f} s")
    return {"received": received, "ticks": ticks}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
