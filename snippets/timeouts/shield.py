"""How do I protect an operation from cancellation? asyncio.shield() and its limits."""

# --8<-- [start:recipe]
import asyncio
from functools import partial

LOST = {2}  # orders whose database connection drops, to show where the error goes


def elapsed(start: float) -> str:
    return f"{asyncio.get_running_loop().time() - start:.2f} s"


async def save_order(order_id: int, start: float) -> str:
    if order_id in LOST:
        await asyncio.sleep(1.5)
        raise ConnectionError("database connection lost")
    await asyncio.sleep(2.0)  # the database write: must not be cut short
    print(f"{elapsed(start)}  order {order_id} saved")
    return f"order {order_id}"


def report_failure(start: float, save: asyncio.Task[str]) -> None:
    """Done callback for a save whose handler is gone: nobody else will see it fail."""
    if not save.cancelled() and (error := save.exception()) is not None:
        # In an application: log.error("%s failed", save.get_name(), exc_info=error)
        print(f"{elapsed(start)}  {save.get_name()} failed: {error!r}")


async def handle_request(
    order_id: int, start: float, background: set[asyncio.Task[str]]
) -> str:
    save = asyncio.create_task(
        save_order(order_id, start), name=f"save of order {order_id}"
    )
    background.add(save)  # keep a reference, so it can be awaited later
    save.add_done_callback(background.discard)
    try:
        saved = await asyncio.shield(save)  # cancelling us does not cancel `save`
    except asyncio.CancelledError:
        # We are gone, and shield() no longer follows the save: without this
        # callback, a failure from now on shows only when the task is collected.
        save.add_done_callback(partial(report_failure, start))
        raise
    print(f"{elapsed(start)}  response sent")  # skipped when we are cancelled
    return saved


async def main() -> tuple[list[bool], list[str]]:
    start = asyncio.get_running_loop().time()
    background: set[asyncio.Task[str]] = set()
    handlers = [
        asyncio.create_task(handle_request(order_id, start, background))
        for order_id in (1, 2)
    ]
    await asyncio.sleep(1.0)
    print(f"{elapsed(start)}  clients went away: cancelling the handlers")
    for handler in handlers:
        handler.cancel()
    await asyncio.wait(handlers)
    cancelled = [handler.cancelled() for handler in handlers]
    print(f"{elapsed(start)}  handlers cancelled: {cancelled}")
    saves = list(background)
    print(f"{elapsed(start)}  saves still running: {len(saves)}")
    if saves:  # before exiting, let them finish; a failure reports itself
        await asyncio.wait(saves)
    saved = [s.result() for s in saves if not s.cancelled() and s.exception() is None]
    print(f"{elapsed(start)}  done: {saved}")
    return cancelled, saved


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
