"""How do I fix "SyntaxWarning: 'return' in a 'finally' block"? Return after the
finally block, not inside it: a return there swallows any exception in flight,
cancellation included."""

# --8<-- [start:recipe]
import asyncio
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

ReportFetcher = Callable[[], Coroutine[Any, Any, str]]


async def request() -> None:
    await asyncio.sleep(5.0)  # a slow request


async def close_connection() -> None:
    await asyncio.sleep(0.25)  # a polite goodbye to the server


async def fetch_report() -> str:
    try:
        await request()
    except OSError:
        return "failed"  # a fallback for errors: cancellation is not one
    finally:
        await close_connection()  # runs on every way out, and may await
    return "done"  # after the finally block, not inside it


# --8<-- [end:recipe]
# --8<-- [start:buggy]
# The code that warns, kept in a string: in this file, Python 3.14+ would warn as
# it compiles the file, and under -W error refuse to run it.
BUGGY = """\
async def fetch_report() -> str:
    status = "failed"
    try:
        await request()
        status = "done"
    finally:
        await close_connection()
        return status  # leaves the finally block
"""


def compile_buggy() -> tuple[ReportFetcher, list[str]]:
    """BUGGY compiled as report.py, and the warnings compiling it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = compile(BUGGY, "report.py", "exec")
    namespace: dict[str, Any] = {
        "request": request,
        "close_connection": close_connection,
    }
    exec(code, namespace)
    shown = [
        f"{w.filename}:{w.lineno}: {w.category.__name__}: {w.message}" for w in caught
    ]
    fetch: ReportFetcher = namespace["fetch_report"]
    return fetch, shown


def compile_buggy_under_w_error() -> str:
    """What compiling BUGGY does with warnings turned into errors (-W error)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            compile(BUGGY, "report.py", "exec")
        except SyntaxError as error:
            return f"SyntaxError: {error}"
    return "compiles"


# --8<-- [end:buggy]
# --8<-- [start:main]
def elapsed(start: float) -> str:
    return f"{asyncio.get_running_loop().time() - start:.2f} s"


async def cancel_it(fetch: ReportFetcher) -> str:
    start = asyncio.get_running_loop().time()
    task = asyncio.create_task(fetch())
    await asyncio.sleep(1.0)
    task.cancel()
    await asyncio.wait([task])  # until its cleanup is over, whatever it does
    if task.cancelled():
        return f"await task raises CancelledError at {elapsed(start)}"
    return f"await task returns {task.result()!r} at {elapsed(start)}"


async def time_it_out(fetch: ReportFetcher) -> str:
    start = asyncio.get_running_loop().time()
    try:
        async with asyncio.timeout(1.0) as timeout:
            report = await fetch()
    except TimeoutError:
        return f"TimeoutError at {elapsed(start)}"
    at, expired = elapsed(start), timeout.expired()
    return f"no TimeoutError, returns {report!r} at {at}, expired() is {expired}"


async def fail_soon() -> None:
    await asyncio.sleep(1.0)
    raise ValueError("bad row")


async def in_a_task_group(fetch: ReportFetcher) -> str:
    start = asyncio.get_running_loop().time()
    steps = []
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(fail_soon())
            report = await fetch()
            steps.append(f"publishes {report!r} at {elapsed(start)}")
            await asyncio.sleep(2.0)  # publishing the report
    except* ValueError:
        steps.append(f"ExceptionGroup at {elapsed(start)}")
    return ", then ".join(steps)


async def main() -> dict[str, Any]:
    buggy, shown = compile_buggy()
    results: dict[str, Any] = {"warnings": shown}
    print(f"compile(BUGGY): {', '.join(shown) or 'no warning'}")
    results["-W error"] = compile_buggy_under_w_error()
    print(f"compile(BUGGY) under -W error: {results['-W error']}")
    demos = {
        "task.cancel() at 1.00 s": cancel_it,
        "async with asyncio.timeout(1.0)": time_it_out,
        "TaskGroup, another task fails at 1.00 s": in_a_task_group,
    }
    for title, demo in demos.items():
        print(f"{title}:")
        for label, fetch in [("buggy", buggy), ("fixed", fetch_report)]:
            results[f"{title}: {label}"] = outcome = await demo(fetch)
            print(f"  {label}: {outcome}")
    return results


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
