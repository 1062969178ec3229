"""Claims of docs/http/unclosed-client-session.md, against a real server on 127.0.0.1."""

import asyncio
import gc
import logging
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp
import httpx
import pytest
from aiohttp import web

from tests.http.local_server import LocalServer, serve
from tests.support import load_module, run_main


async def hello(request: web.Request) -> web.Response:
    return web.Response(text="hello")


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with serve({"/": hello}) as state:
        yield state


@contextmanager
def collected_warnings() -> Iterator[list[str]]:
    """Every warning, as "Category: text". Unlike pytest.warns, this keeps no
    reference to the warning's source object, which would keep the half-finalized
    session (and so its connector) alive past the block."""
    texts: list[str] = []

    def show(message: Warning | str, category: type[Warning], *args: Any) -> None:
        texts.append(f"{category.__name__}: {str(message).split(' <')[0]}")

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show
        yield texts


async def test_the_output_shows_both_complaints_and_the_connection_counts(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[1:5] == [
        "  ResourceWarning: Unclosed client session",
        "  logged: Unclosed client session",
        "  ResourceWarning: Unclosed connector",
        "  logged: Unclosed connector",
    ]


async def test_an_unclosed_session_warns_and_calls_the_loop_exception_handler(
    recipe, server
):
    module = load_module(recipe)
    logged: list[str] = []  # only the text: the context holds the session itself
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: logged.append(context["message"]))
    try:
        with collected_warnings() as warned:
            assert await module.leaky_fetch(f"{server.base}/") == 200
            gc.collect()
    finally:
        loop.set_exception_handler(None)
    assert warned == [
        "ResourceWarning: Unclosed client session",
        "ResourceWarning: Unclosed connector",
    ]
    assert logged == [
        "Unclosed client session",
        "Unclosed connector",
    ]


async def test_the_message_is_logged_as_an_error_even_without_dev_mode(
    recipe, server, caplog
):
    module = load_module(recipe)
    with collected_warnings():  # warnings are hidden by default; logs are not
        await module.leaky_fetch(f"{server.base}/")
        gc.collect()
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors[0].startswith("Unclosed client session")
    assert caplog.records[0].name == "asyncio"


async def test_one_shared_session_or_client_uses_one_connection_not_one_per_request(
    recipe,
):
    run = await run_main(recipe)
    assert run.result == {
        "aiohttp_shared": 1,
        "aiohttp_per_request": 5,
        "httpx_shared": 1,
        "httpx_per_request": 5,
    }


async def test_an_unclosed_httpx_client_is_silent_but_leaks_its_socket(server, caplog):
    with collected_warnings() as warned:
        client = httpx.AsyncClient()
        await client.get(f"{server.base}/")
        del client
        gc.collect()
    assert "ResourceWarning: unclosed transport" in warned  # seen only with -X dev
    assert not caplog.records  # nothing logged


def test_a_session_created_outside_a_coroutine_is_an_error():
    with pytest.raises(RuntimeError, match="no running event loop"):
        aiohttp.ClientSession()


async def test_a_session_closed_by_async_with_says_nothing(recipe, server, caplog):
    module = load_module(recipe)
    await module.aiohttp_shared(f"{server.base}/")  # filterwarnings=error: any
    gc.collect()  # ResourceWarning would fail this test
    assert not caplog.records
    assert server.hits["/"] == 5
