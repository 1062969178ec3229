"""How do I shut down gracefully on Ctrl-C or SIGTERM? A queue-fed service that stops
accepting work, finishes what it accepted, cleans up and exits with the right status."""

# --8<-- [start:recipe]
import asyncio
import itertools
import os
import signal
import sys
from dataclasses import dataclass, field

WORKERS = 2
ARRIVAL_SECONDS = 0.5  # a new job arrives this often
JOB_SECONDS = 1.4  # processing one job takes this long
DRAIN_TIMEOUT = 5.0  # how long shutdown may wait for accepted jobs
EXIT_STATUS = {"SIGTERM": 0, "SIGINT": 130}  # 130 = 128 + SIGINT, as shells report


@dataclass
class Report:
    signal: str = ""
    accepted: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)  # hand these back, log them
    cleaned_up: bool = False


class Service:
    def __init__(self, drain_timeout: float = DRAIN_TIMEOUT) -> None:
        self.loop = asyncio.get_running_loop()
        self.start = self.loop.time()
        self.queue: asyncio.Queue[str] = asyncio.Queue(maxsize=10)
        self.stopping = asyncio.Event()
        self.drain_timeout = drain_timeout
        self.report = Report()

    def log(self, message: str) -> None:
        print(f"{self.loop.time() - self.start:.2f} s  {message}")

    def on_signal(self, sig: signal.Signals) -> None:
        # Run by the loop like any callback, so it may touch asyncio objects.
        if not self.stopping.is_set():
            self.report.signal = sig.name
            self.log(f"{sig.name} received: stop accepting, finish accepted jobs")
            self.stopping.set()

    async def accept(self) -> None:
        """Stand-in for a listening socket or a message broker."""
        for n in itertools.count(1):
            await self.queue.put(f"job-{n}")
            self.report.accepted.append(f"job-{n}")
            self.log(f"accepted job-{n}")
            await asyncio.sleep(ARRIVAL_SECONDS)

    async def work(self, name: str) -> None:
        while True:
            job = await self.queue.get()
            try:
                await asyncio.sleep(JOB_SECONDS)  # the real work
                self.report.done.append(job)
                self.log(f"{name} finished {job}")
            except asyncio.CancelledError:
                self.report.unfinished.append(job)  # interrupted: not lost
                raise
            finally:
                self.queue.task_done()

    async def cleanup(self) -> None:
        await asyncio.sleep(0.1)  # close connections, flush buffers, ...
        self.report.cleaned_up = True
        self.log("cleanup done")

    async def run(self) -> Report:
        signals = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.getsignal(sig) for sig in signals}  # asyncio.run()'s
        for sig in signals:  # POSIX only: see the Windows page
            self.loop.add_signal_handler(sig, self.on_signal, sig)
        acceptor = asyncio.create_task(self.accept())
        workers = [
            asyncio.create_task(self.work(f"worker {i}")) for i in range(1, WORKERS + 1)
        ]
        try:
            self.log(f"ready: {WORKERS} workers; stop with Ctrl-C or SIGTERM")
            await self.stopping.wait()
            acceptor.cancel()  # 1. stop accepting new work
            try:  # 2. let accepted work finish, within a deadline
                await asyncio.wait_for(self.queue.join(), self.drain_timeout)
                self.log(f"drained: all {len(self.report.accepted)} jobs finished")
            except TimeoutError:
                self.log(f"drain deadline of {self.drain_timeout:.2f} s passed")
        finally:
            for task in (acceptor, *workers):  # 3. stop the tasks, wait for them
                task.cancel()
            await asyncio.wait({acceptor, *workers})
            while not self.queue.empty():  # accepted, never started
                self.report.unfinished.append(self.queue.get_nowait())
            try:
                await self.cleanup()  # 4. release resources, still handling signals
            finally:
                for sig in signals:
                    self.loop.remove_signal_handler(sig)
                    signal.signal(sig, previous[sig])  # not done by remove_...()
        if self.report.unfinished:
            self.log(f"not processed: {', '.join(self.report.unfinished)}")
        return self.report


async def main(stop_after: float | None = 2.7) -> Report:
    """Serve until SIGINT or SIGTERM. The demo sends itself SIGTERM after `stop_after`
    seconds, as `kill <pid>` would; with None it waits for a real signal."""
    loop = asyncio.get_running_loop()
    demo = None
    if stop_after is not None:
        demo = loop.call_later(stop_after, os.kill, os.getpid(), signal.SIGTERM)
    try:
        report = await Service().run()
    finally:
        if demo is not None:
            demo.cancel()
    status = EXIT_STATUS[report.signal]
    print(f"exit status {status}")
    if status:
        sys.exit(status)  # 130 after Ctrl-C; returning normally exits with 0
    return report


# `python graceful_shutdown.py serve` runs until you press Ctrl-C or `kill` it.
if __name__ == "__main__":
    asyncio.run(main(None if sys.argv[1:] == ["serve"] else 2.7))
# --8<-- [end:recipe]
