"""Claims of docs/messages/no-current-event-loop.md."""

import asyncio
import subprocess
import sys
import threading
import warnings

import pytest

from tests.support import load_module, run_main

LEGACY = """\
import asyncio
loop = asyncio.get_event_loop()
print(type(loop).__name__)
loop.close()
"""


def run_python(source: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-W", "always", "-c", source],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_recipe_output(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "bug: legacy_get_price('tea') -> RuntimeError:"
        " There is no current event loop in thread 'worker_0'.",
        "fix 1: get_running_loop() in main() is running: True",
        "fix 2: explicit_get_price('cake') -> 4.25",
    ]
    assert run.result == {
        "bug": "RuntimeError: There is no current event loop in thread 'worker_0'.",
        "fixed": "4.25",
    }


def test_main_thread_without_a_loop_per_version(recipe):
    done = run_python(LEGACY)
    assert done.returncode == 0
    assert done.stdout == "_UnixSelectorEventLoop\n"  # a new loop is created...
    if sys.version_info >= (3, 12):
        # ...and 3.12 and 3.13 warn that this is deprecated.
        assert done.stderr.splitlines()[0] == (
            "<string>:2: DeprecationWarning: There is no current event loop"
        )
    else:
        assert done.stderr == ""  # ...silently on 3.10 and 3.11.
    assert recipe.snippet.exists()


def test_main_thread_after_asyncio_run_raises_on_every_version(recipe):
    source = (
        "import asyncio\n"
        "async def main():\n    pass\n"
        "asyncio.run(main())\n"
        "try:\n    asyncio.get_event_loop()\n"
        "except RuntimeError as exc:\n    print(exc)\n"
    )
    done = run_python(source)
    assert done.stdout == "There is no current event loop in thread 'MainThread'.\n"
    assert done.stderr == ""
    assert recipe.snippet.exists()


def test_a_worker_thread_raises_on_every_version(recipe):
    module = load_module(recipe)
    results = []
    thread = threading.Thread(
        target=lambda: results.append(module.call(module.legacy_get_price, "tea")),
        name="worker",
    )
    thread.start()
    thread.join()
    assert results == [
        "RuntimeError: There is no current event loop in thread 'worker'."
    ]


async def test_inside_a_coroutine_both_return_the_running_loop_silently(recipe):
    load_module(recipe)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert asyncio.get_event_loop() is asyncio.get_running_loop()


def test_get_running_loop_outside_a_loop_raises(recipe):
    load_module(recipe)
    with pytest.raises(RuntimeError, match=r"^no running event loop$"):
        asyncio.get_running_loop()


def test_a_loop_you_set_yourself_is_returned_without_warning(recipe):
    module = load_module(recipe)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert asyncio.get_event_loop() is loop
            assert module.legacy_get_price("tea") == 3.5
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def test_asyncio_run_needs_no_current_loop(recipe):
    module = load_module(recipe)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert module.explicit_get_price("cake") == 4.25
