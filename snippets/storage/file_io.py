"""Does asyncio make file I/O faster? Plain reads, asyncio.to_thread and aiofiles,
timed on the same files."""

# --8<-- [start:recipe]
import asyncio
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiofiles

SMALL_FILES = 50
SMALL_SIZE = 16 * 1024  # bytes: 50 files of 16 KiB
BIG_SIZE = 8 * 1024 * 1024  # bytes: one file of 8 MiB, read in chunks of 1 MiB
CHUNK = 1024 * 1024
ROUNDS = 5  # each way reads the small files this many times; the best time counts

Reader = Callable[[list[Path]], Awaitable[int]]


def read_file(path: Path) -> int:
    size = 0
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            size += len(chunk)
    return size


async def plain(paths: list[Path]) -> int:
    # Blocking reads, straight in the coroutine: nothing else runs meanwhile.
    return sum(read_file(path) for path in paths)


async def to_thread(paths: list[Path]) -> int:
    sizes = await asyncio.gather(*(asyncio.to_thread(read_file, p) for p in paths))
    return sum(sizes)


async def aiofiles_read(path: Path) -> int:
    size = 0
    async with aiofiles.open(path, "rb") as file:  # each call is a thread hop
        while chunk := await file.read(CHUNK):
            size += len(chunk)
    return size


async def with_aiofiles(paths: list[Path]) -> int:
    return sum(await asyncio.gather(*(aiofiles_read(p) for p in paths)))


WAYS: dict[str, Reader] = {
    "plain open().read()": plain,
    "asyncio.to_thread": to_thread,
    "aiofiles": with_aiofiles,
}


async def best_time(read: Reader, paths: list[Path]) -> float:
    loop = asyncio.get_running_loop()
    times = []
    for _ in range(ROUNDS):
        start = loop.time()
        await read(paths)
        times.append(loop.time() - start)
        await asyncio.sleep(0)  # let other tasks run between rounds
    return min(times)


async def beats_during(read: Reader, paths: list[Path]) -> tuple[float, int]:
    """Read while a heartbeat task tries to wake up every millisecond. Returns the
    time of the read and how many beats happened during it: none means the loop
    was blocked for the whole read."""
    loop = asyncio.get_running_loop()
    beats = 0

    async def heartbeat() -> None:
        nonlocal beats
        while True:
            await asyncio.sleep(0.001)
            beats += 1

    beating = asyncio.create_task(heartbeat())
    await asyncio.sleep(0.01)  # let the heartbeat settle
    beats, start = 0, loop.time()
    await read(paths)
    elapsed, beats_during_read = loop.time() - start, beats
    beating.cancel()
    await asyncio.wait([beating])
    return elapsed, beats_during_read


async def many_small_files(paths: list[Path]) -> dict[str, float]:
    print(f"{len(paths)} files of {SMALL_SIZE // 1024} KiB, time relative to plain:")
    best = {label: await best_time(read, paths) for label, read in WAYS.items()}
    ratios = {label: best[label] / best["plain open().read()"] for label in WAYS}
    for label, ratio in ratios.items():
        print(f"  {label:<20} {ratio:.2f} x")
    return ratios


async def one_big_file(path: Path) -> dict[str, tuple[float, int]]:
    print(f"1 file of {BIG_SIZE // 1024 // 1024} MiB, with a task that beats every ms:")
    results = {}
    for label, read in WAYS.items():
        elapsed, beats = results[label] = await beats_during(read, [path])
        print(
            f"  {label:<20} {elapsed * 1000:6.2f} ms,"
            f" beats during the read: {'some' if beats else 'none'}"
        )
    return results


def write_files(directory: Path) -> tuple[list[Path], Path]:
    small = [directory / f"{i}.bin" for i in range(SMALL_FILES)]
    for path in small:
        path.write_bytes(bytes(SMALL_SIZE))
    big = directory / "big.bin"
    big.write_bytes(bytes(BIG_SIZE))
    return small, big


async def main() -> tuple[dict[str, float], dict[str, tuple[float, int]]]:
    # Writing and deleting the files block too: do both in a thread.
    directory = Path(await asyncio.to_thread(tempfile.mkdtemp))
    try:
        small, big = await asyncio.to_thread(write_files, directory)
        return await many_small_files(small), await one_big_file(big)
    finally:
        await asyncio.to_thread(shutil.rmtree, directory)


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
