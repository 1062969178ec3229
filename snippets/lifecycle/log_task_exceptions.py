"""How do I log unhandled task exceptions? A done callback for the tasks you start,
and a loop exception handler for everything else."""

# --8<-- [start:recipe]
import asyncio
import logging
import re
import sys
import traceback
from typing import Any

log = logging.getLogger("app")


def report_failure(task: asyncio.Task[Any]) -> None:
    """Done callback: log a task's exception the moment the task fails."""
    if task.cancelled():
        return  # task.exception() would raise CancelledError
    if (exc := task.exception()) is not None:  # also marks it as retrieved
        log.error("task %r failed", task.get_name(), exc_info=exc)


def handle_exception(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """Loop exception handler: whatever nobody else handled."""
    message = re.sub(r" at \S+:\d+$", "", context["message"])  # drop the file path
    task = context.get("future")  # a task whose exception was never retrieved
    if isinstance(task, asyncio.Task):
        message += f" (task {task.get_name()!r})"
    log.error("%s", message, exc_info=context.get("exception"))


class Short(logging.Formatter):
    """One line per exception, for this page; real logs want the whole traceback."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"{record.levelname} {record.name}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text += "\n" + traceback.format_exception_only(type(exc), exc)[-1].strip()
        return text


def parse_config() -> None:
    raise KeyError("port")


async def send_metrics() -> None:
    await asyncio.sleep(0.5)
    raise ConnectionError("metrics server down")


async def sync_orders() -> None:
    await asyncio.sleep(1.0)
    raise ConnectionError("database down")


async def main() -> str:
    output = logging.StreamHandler(sys.stdout)
    output.setFormatter(Short())
    log.addHandler(output)
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handle_exception)
    try:
        loop.call_soon(parse_config)  # a callback that raises
        asyncio.create_task(send_metrics(), name="send-metrics")  # noqa: RUF006
        orders = asyncio.create_task(sync_orders(), name="sync-orders")
        orders.add_done_callback(report_failure)
        await asyncio.sleep(2)  # main carries on; nobody awaits the two tasks
        return repr(orders.exception())  # logged, and still there for an await
    finally:
        loop.set_exception_handler(None)  # back to the default handler
        log.removeHandler(output)


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
