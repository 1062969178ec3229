"""RuntimeWarning: coroutine was never awaited: what does it mean? A missing await."""

# --8<-- [start:recipe]
import asyncio
import warnings


async def save(record: str) -> str:
    """Pretend to write `record` to a database."""
    await asyncio.sleep(0.5)
    return f"saved {record}"


def first_line(message: Warning | str) -> str:
    # Debug mode (python -X dev) appends where the coroutine was created.
    return str(message).splitlines()[0]


async def forgot_await() -> list[str]:
    """The bug: save() is called but never awaited, so it never runs."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = save("a")  # BUG: no await
        print(f"bug: save('a') returned a {type(result).__name__}, not a string")
        del result  # CPython warns as the unstarted coroutine is destroyed
    return [f"{w.category.__name__}: {first_line(w.message)}" for w in caught]


async def with_await() -> str:
    """The fix: await the call (or hand it to asyncio.create_task)."""
    result = await save("a")
    print(f"fix: await save('a') returned {result!r}")
    return result


async def main() -> dict[str, object]:
    warned = await forgot_await()
    for line in warned:
        print(line)
    fixed = await with_await()
    return {"warned": warned, "fixed": fixed}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
