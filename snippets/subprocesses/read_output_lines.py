"""How do I read a subprocess's output line by line as it runs?"""

# --8<-- [start:recipe]
import asyncio
import sys

# The child reports progress: a line every half second, then it exits 0.5 s later.
# flush=True sends each line at once (a piped stdout is block-buffered otherwise).
CHILD = """
import time
for step in range(1, 4):
    print(f"step {step} of 3 done", flush=True)
    time.sleep(0.5)
"""


async def main() -> list[tuple[str, bool]]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD, stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None  # we asked for a pipe
    lines = []
    async for raw in process.stdout:  # one line at a time, as the child writes it
        line = raw.decode().rstrip()
        running = process.returncode is None  # True: the child has not exited yet
        print(f"{loop.time() - start:.2f} s  {line}  (child running: {running})")
        lines.append((line, running))
    code = await process.wait()  # stdout is at EOF: reap the child
    print(f"{loop.time() - start:.2f} s  child exited with {code}")
    return lines


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
