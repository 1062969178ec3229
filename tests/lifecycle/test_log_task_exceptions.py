"""Claims of docs/lifecycle/log-task-exceptions.md, checked with real logging handlers."""

import asyncio
import contextlib
import gc
import logging
from collections.abc import Iterator

import pytest

from tests.support import load_module, run_main


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[float, logging.LogRecord]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((asyncio.get_running_loop().time(), record))


@contextlib.contextmanager
def recorded(name: str) -> Iterator[Recorder]:
    recorder = Recorder()
    logger = logging.getLogger(name)
    logger.addHandler(recorder)
    try:
        yield recorder
    finally:
        logger.removeHandler(recorder)


async def test_each_failure_is_logged_at_error_with_its_exception(recipe):
    with recorded("app") as app:
        start = asyncio.get_running_loop().time()
        run = await run_main(recipe)
    logged = [
        (when - start, r.levelname, r.getMessage(), repr(r.exc_info[1]))
        for when, r in app.records
    ]
    assert logged == [
        (0.0, "ERROR", "Exception in callback parse_config()", "KeyError('port')"),
        (
            0.5,
            "ERROR",
            "Task exception was never retrieved (task 'send-metrics')",
            "ConnectionError('metrics server down')",
        ),
        (1.0, "ERROR", "task 'sync-orders' failed", "ConnectionError('database down')"),
    ]
    assert run.result == "ConnectionError('database down')"


async def test_the_records_carry_the_full_traceback(recipe):
    with recorded("app") as app:
        await run_main(recipe)
    _, record = app.records[-1]
    text = logging.Formatter().format(record)
    assert "Traceback (most recent call last):" in text
    assert 'raise ConnectionError("database down")' in text


async def test_context_keys_for_a_task_and_for_a_callback(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    contexts = []
    loop.set_exception_handler(lambda _loop, context: contexts.append(context))
    try:
        loop.call_soon(module.parse_config)
        asyncio.create_task(module.send_metrics(), name="send-metrics")  # noqa: RUF006
        await asyncio.sleep(1)
    finally:
        loop.set_exception_handler(None)
    callback, task = contexts
    assert sorted(callback) == ["exception", "handle", "message"]
    assert sorted(task) == ["exception", "future", "message"]  # the task is "future"
    assert task["future"].get_name() == "send-metrics"
    assert task["message"] == "Task exception was never retrieved"


async def test_debug_mode_adds_source_traceback(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    loop.set_debug(True)
    contexts = []
    loop.set_exception_handler(lambda _loop, context: contexts.append(context))
    try:
        loop.call_soon(module.parse_config)
        await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(None)
    assert sorted(contexts[0]) == ["exception", "handle", "message", "source_traceback"]


async def test_never_retrieved_is_reported_only_when_the_task_is_destroyed(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    messages = []
    loop.set_exception_handler(lambda _loop, c: messages.append(c["message"]))
    try:
        kept = asyncio.create_task(module.send_metrics())
        await asyncio.sleep(2)
        assert kept.done()
        assert messages == []  # failed at 0.5 s, but still referenced: silence
        del kept
        gc.collect()
        assert messages == ["Task exception was never retrieved"]
    finally:
        loop.set_exception_handler(None)


async def test_the_done_callback_marks_the_exception_retrieved(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    messages = []
    loop.set_exception_handler(lambda _loop, c: messages.append(c["message"]))
    try:
        with recorded("app") as app:
            task = asyncio.create_task(module.sync_orders(), name="sync-orders")
            task.add_done_callback(module.report_failure)
            del task
            await asyncio.sleep(2)
            gc.collect()
    finally:
        loop.set_exception_handler(None)
    assert [r.getMessage() for _, r in app.records] == ["task 'sync-orders' failed"]
    assert messages == []  # no "never retrieved" on top


async def test_a_cancelled_task_is_not_logged_and_exception_would_raise(recipe):
    module = load_module(recipe)
    with recorded("app") as app:
        task = asyncio.create_task(module.sync_orders())
        task.add_done_callback(module.report_failure)
        await asyncio.sleep(0.1)
        task.cancel()
        await asyncio.wait({task})
    assert app.records == []
    with pytest.raises(asyncio.CancelledError):
        task.exception()


async def test_the_default_handler_logs_to_the_asyncio_logger(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    assert loop.get_exception_handler() is None  # None means the default
    with recorded("asyncio") as default:
        loop.call_soon(module.parse_config)
        await asyncio.sleep(0)
    [(_, record)] = default.records
    assert record.levelname == "ERROR"
    assert record.getMessage().startswith("Exception in callback parse_config()")
    assert isinstance(record.exc_info[1], KeyError)


async def test_an_awaited_failure_never_reaches_the_handler(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    messages = []
    loop.set_exception_handler(lambda _loop, c: messages.append(c["message"]))
    try:
        with pytest.raises(ConnectionError):
            await asyncio.create_task(module.send_metrics())
        gc.collect()
    finally:
        loop.set_exception_handler(None)
    assert messages == []
