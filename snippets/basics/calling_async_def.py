"""What does calling an async def function return, and why does nothing run?"""

# --8<-- [start:recipe]
import asyncio
import warnings


async def greet(name: str) -> str:
    print(f"greet({name!r}) starts")
    await asyncio.sleep(1.0)
    return f"hello, {name}"


def call_without_await() -> str:
    """Call greet() and drop the result: the warning a forgotten await gives."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        greet("nobody")  # type: ignore[unused-coroutine]  # the bug: no await, no task
        # CPython destroys the unused coroutine right here, and that emits the warning.
    return str(caught[0].message).splitlines()[0]


async def main() -> list[str]:
    loop = asyncio.get_running_loop()
    start = loop.time()

    coroutine = greet("world")  # runs nothing: not even the first print
    print(f"greet('world') returned a {type(coroutine).__name__} object")
    result = await coroutine  # now the body runs, to the end
    print(f"await gave {result!r} at {loop.time() - start:.2f} s")

    task = asyncio.create_task(greet("task"))  # scheduled: starts when we next suspend
    print("create_task() returned")  # (an eager task factory would have started it)
    print(f"await task gave {await task!r} at {loop.time() - start:.2f} s")

    warning = call_without_await()
    print(f"RuntimeWarning: {warning}")
    return [result, task.result(), warning]


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
