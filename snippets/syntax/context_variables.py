"""How do I carry request-scoped values across tasks? With contextvars."""

# --8<-- [start:recipe]
import asyncio
import sys
from contextvars import ContextVar

# One module-level variable; each task sees its own value.
request_id: ContextVar[str] = ContextVar("request_id", default="-")


def log(message: str) -> None:
    print(f"  [{request_id.get()}] {message}")  # no request id passed around


async def query_db(sql: str) -> None:
    await asyncio.sleep(0.1)
    log(f"ran {sql}")


async def audit() -> None:
    await asyncio.sleep(0.05)
    log("audit written")
    request_id.set("changed-by-audit")  # changes this task's copy only


async def handle(rid: str, delay: float) -> str:
    request_id.set(rid)
    log("start")
    audit_task = asyncio.create_task(audit())  # copies the context, with rid, now
    await asyncio.sleep(delay)
    await query_db("SELECT 1")  # an awaited coroutine runs in this task's context
    await audit_task
    log("done")
    return request_id.get()  # still rid: audit's change did not leak back


def blocking_lookup() -> str:
    return request_id.get()


# --8<-- [end:recipe]


# --8<-- [start:scoped]
if sys.version_info >= (3, 14):  # a Token is a context manager from 3.14

    async def handle_scoped(rid: str) -> str:
        """Python 3.14+: the token set() returns is a context manager."""
        with request_id.set(rid):  # leaving the block puts the old value back
            await query_db("SELECT 2")
        return request_id.get()


async def handle_scoped_before_3_14(rid: str) -> str:
    token = request_id.set(rid)
    try:
        await query_db("SELECT 2")
    finally:
        request_id.reset(token)  # even when the body raised
    return request_id.get()


# --8<-- [end:scoped]


# --8<-- [start:main]
async def main() -> dict[str, object]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    print("two requests handled at once:")
    # gather() wraps each handler in a task: each gets its own copy of the context.
    returned = await asyncio.gather(handle("req-1", 0.2), handle("req-2", 0.1))
    print(f"handlers returned {returned}; main still sees {request_id.get()!r}")

    print("in threads, with request_id set to 'batch-7':")
    request_id.set("batch-7")
    in_to_thread = await asyncio.to_thread(blocking_lookup)  # copies the context
    in_executor = await loop.run_in_executor(None, blocking_lookup)  # does not
    print(f"  to_thread sees {in_to_thread!r}")
    print(f"  run_in_executor sees {in_executor!r}")
    print(f"total: {loop.time() - start:.2f} s")
    return {"returned": returned, "to_thread": in_to_thread, "executor": in_executor}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
