"""How do I schedule a callback later?

loop.call_soon(), call_later(), call_at(), cancelling a TimerHandle, and
call_soon_threadsafe() from another thread.
"""

# --8<-- [start:recipe]
import asyncio
import threading


async def main() -> list[str]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    ran: list[str] = []

    def note(what: str) -> None:  # a plain function: callbacks are not coroutines
        ran.append(what)
        print(f"{loop.time() - start:.2f} s  {what}")

    loop.call_later(1.0, note, "call_later(1.0, ...)")
    loop.call_at(start + 0.5, note, "call_at(start + 0.5, ...)")
    loop.call_soon(note, "call_soon #1")
    loop.call_soon(note, "call_soon #2")  # same-turn callbacks run in FIFO order
    handle = loop.call_later(0.75, note, "never printed")
    handle.cancel()
    due = handle.when() - start
    print(
        f"{loop.time() - start:.2f} s  main runs on; timer due at {due:.2f} s cancelled"
    )

    await asyncio.sleep(1.5)  # callbacks run only while main is waiting

    replied: asyncio.Future[str] = loop.create_future()

    def in_a_thread() -> None:  # another thread: only *_threadsafe() may touch loop
        loop.call_soon_threadsafe(replied.set_result, "set by call_soon_threadsafe")

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    note(await replied)
    thread.join()
    return ran


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
