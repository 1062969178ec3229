"""How do I protect an operation from cancellation? asyncio.shield() and its limits."""

# --8<-- [start:recipe]
import asyncio


def elapsed(start: float) -> str:
    return f"{asyncio.get_running_loop().time() - start:.2f} s"


async def save_order(order_id: int, start: float) -> str:
    await asyncio.sleep(2.0)  # the database write: must not be cut short
    print(f"{elapsed(start)}  order {order_id} saved")
    return f"order {order_id}"


async def handle_request(
    order_id: int, start: float, background: set[asyncio.Task[str]]
) -> str:
    save = asyncio.create_task(save_order(order_id, start))
    background.add(save)  # keep a reference, so it can be awaited later
    save.add_done_callback(background.discard)
    saved = await asyncio.shield(save)  # cancelling us does not cancel `save`
    print(f"{elapsed(start)}  response sent")  # skipped when we are cancelled
    return saved


async def main() -> tuple[bool, list[str]]:
    start = asyncio.get_running_loop().time()
    background: set[asyncio.Task[str]] = set()
    handler = asyncio.create_task(handle_request(1, start, background))
    await asyncio.sleep(1.0)
    print(f"{elapsed(start)}  client went away: cancelling the handler")
    handler.cancel()
    await asyncio.wait([handler])
    print(f"{elapsed(start)}  handler cancelled: {handler.cancelled()}")
    print(f"{elapsed(start)}  saves still running: {len(background)}")
    saved = await asyncio.gather(*background)  # before exiting, let them finish
    print(f"{elapsed(start)}  done: {saved}")
    return handler.cancelled(), saved


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
