"""How do I write an async context manager? A class, a decorated generator, and
AsyncExitStack for a number of them known only at run time."""

# --8<-- [start:recipe]
import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from types import TracebackType

EVENTS: list[str] = []  # what happened, in order, for the reader and the tests


def log(event: str) -> None:
    EVENTS.append(event)
    print(f"  {event}")


class Connection:
    """A class-based async context manager: __aenter__ and __aexit__."""

    def __init__(self, name: str) -> None:
        self.name = name

    async def __aenter__(self) -> "Connection":
        await asyncio.sleep(0.1)  # connecting takes a round trip
        log(f"{self.name}: connected")
        return self  # what `as` receives

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:  # returning None (falsy): an exception from the block propagates
        await asyncio.sleep(0.1)  # saying goodbye takes a round trip too
        reason = "no error" if exc_type is None else exc_type.__name__
        log(f"{self.name}: closed ({reason})")


@asynccontextmanager
async def transaction(conn: Connection) -> AsyncIterator[None]:
    """A generator-based one: the code before `yield` enters, the code after exits."""
    log(f"{conn.name}: BEGIN")
    try:
        yield  # the body of the `async with` block runs here
    except BaseException:  # any error, cancellation included
        log(f"{conn.name}: ROLLBACK")
        raise
    log(f"{conn.name}: COMMIT")


async def main() -> list[str]:
    EVENTS.clear()
    print("two managers in one async with; the block succeeds:")
    async with Connection("db") as conn, transaction(conn):
        log("db: UPDATE")

    print("the block raises:")
    try:
        async with Connection("db") as conn, transaction(conn):
            raise ValueError("constraint violated")
    except ValueError as error:
        log(f"caught ValueError({error})")

    print("AsyncExitStack, for a number of managers known at run time:")
    async with AsyncExitStack() as stack:
        replicas = [
            await stack.enter_async_context(Connection(f"replica-{i}"))
            for i in range(3)
        ]
        log(f"querying {len(replicas)} replicas")
    return EVENTS


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
