"""How do I put a timeout on a subprocess and kill it cleanly?"""

# --8<-- [start:recipe]
import asyncio
import sys

# Two children: one finishes in 0.2 s, one hangs for a minute.
QUICK = "import time; time.sleep(0.2); print('quick result')"
STUCK = "import time; time.sleep(60); print('never printed')"


async def communicate_or_kill(
    process: asyncio.subprocess.Process, timeout: float
) -> bytes:
    """Its output; on timeout, kill and reap the child, then raise TimeoutError."""
    try:
        async with asyncio.timeout(timeout):
            stdout, _ = await process.communicate()
    finally:
        if process.returncode is None:  # timed out, or we were cancelled
            process.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
            await process.wait()  # reap it: sets returncode, leaves no zombie
    return stdout


async def run(name: str, code: str, timeout: float) -> int:
    loop = asyncio.get_running_loop()
    start = loop.time()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, stdout=asyncio.subprocess.PIPE
    )
    try:
        output = await communicate_or_kill(process, timeout)
    except TimeoutError:
        print(f"{name}: killed after {loop.time() - start:.2f} s")
    else:
        print(f"{name}: {output.decode().strip()!r} after {loop.time() - start:.2f} s")
    print(f"{name}: returncode {process.returncode}")
    assert process.returncode is not None
    return process.returncode


async def main() -> list[int]:
    codes = await asyncio.gather(
        run("quick", QUICK, timeout=1.0),
        run("stuck", STUCK, timeout=1.0),
    )
    return list(codes)  # a list already: type checkers see a tuple


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
