"""How do I fix "got Future attached to a different loop"? One loop per object."""

# --8<-- [start:recipe]
import asyncio
import re

# The bug: asyncio objects shared between event loops.
shared_ready = asyncio.Event()  # created at import time, bound on first wait


def stable(exc: Exception) -> str:
    """The message without memory addresses, task details and debug-mode notes."""
    text = re.sub(r" at 0x[0-9a-fA-F]+", " at 0x…", str(exc))
    text = re.sub(r" created at [^\s>]+", "", text)
    return re.sub(r"^Task <.*> got Future", "Task <…> got Future", text)


async def wait_until_ready(ready: asyncio.Event) -> str:
    asyncio.get_running_loop().call_later(0.5, ready.set)
    await ready.wait()
    ready.clear()
    return "ready"


async def main() -> dict[str, object]:
    errors: list[str] = []
    # An earlier asyncio.run() (in a worker thread here) waits on the shared Event:
    # from then on it belongs to that run's loop.
    await asyncio.to_thread(asyncio.run, wait_until_ready(shared_ready))
    try:
        await wait_until_ready(shared_ready)
    except RuntimeError as exc:
        errors.append(stable(exc))
    # A bare Future made by another loop: awaiting it from this loop's task fails.
    other = asyncio.new_event_loop()
    try:
        await other.create_future()
    except RuntimeError as exc:
        errors.append(stable(exc))
    finally:
        other.close()
    for error in errors:
        print(f"bug: RuntimeError: {error}")
    # The fix: create asyncio objects inside the asyncio.run() that uses them.
    ready = asyncio.Event()
    print(f"fix: Event created in this run -> {await wait_until_ready(ready)}")
    return {"errors": errors, "fixed": "ready"}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
