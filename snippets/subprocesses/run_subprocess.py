"""How do I run a subprocess without blocking? Three child processes at once."""

# --8<-- [start:recipe]
import asyncio
import sys

# The child program: sleep, print a line, exit with the given code. Running it with
# sys.executable keeps the recipe portable (no shell, no Unix-only commands).
CHILD = """
import sys, time
time.sleep(float(sys.argv[1]))
print(f"{sys.argv[2]} slept {sys.argv[1]} s")
sys.exit(int(sys.argv[3]))
"""


async def run(name: str, delay: float, exit_code: int) -> tuple[int, str]:
    """Start one child, wait for it without blocking the loop, return its results."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD, str(delay), name, str(exit_code),
        stdout=asyncio.subprocess.PIPE,  # capture what it prints
    )  # fmt: skip
    stdout, _ = await process.communicate()  # read until EOF, then wait for the exit
    assert process.returncode is not None  # set once the child has exited
    return process.returncode, stdout.decode().strip()


async def main() -> list[tuple[int, str]]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    results = await asyncio.gather(
        run("a", 1.0, 0),
        run("b", 0.5, 0),
        run("c", 1.5, 3),  # a failing child does not raise: check its return code
    )
    total = loop.time() - start
    for code, output in results:
        print(f"exit {code}: {output}")
    print(f"total: {total:.2f} s (the children sleep 3.00 s in all)")
    return list(results)  # a list already: type checkers see a tuple


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
