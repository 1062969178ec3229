"""Claims of docs/messages/no-current-event-loop.md."""

import asyncio
import re
import subprocess
import sys
import threading
import warnings

import pytest

from tests.support import load_module, run_main

NO_LOOP_IN_MAIN = "There is no current event loop in thread 'MainThread'."

LEGACY = """\
import asyncio
loop = asyncio.get_event_loop()
print(type(loop).__name__, asyncio.get_event_loop() is loop)
loop.close()
"""

# A library that takes the loop while it is imported, and the script that imports it.
LIBRARY = """\
import asyncio

loop = asyncio.get_event_loop()
connected = loop.create_future()
loop.call_soon(connected.set_result, True)


async def get_price(item):
    await connected
    return {"tea": 3.5}[item]
"""


def run_python(source: str, *options: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *options, "-c", source],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=cwd,
    )


async def test_recipe_output(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "fix 1: get_running_loop() in main() is running: True",
        "bug: legacy_get_price('tea') -> RuntimeError:"
        " There is no current event loop in thread 'worker_0'.",
        "fix 2: with_asyncio_run('cake') -> 4.25",
        "fix 3: with_runner('tea') -> 3.5",
        "fix 4: with_a_loop_you_set('tea') -> 3.5",
    ]
    assert run.result == {
        "legacy_get_price": (
            "RuntimeError: There is no current event loop in thread 'worker_0'."
        ),
        "with_asyncio_run": "4.25",
        "with_runner": "3.5",
        "with_a_loop_you_set": "3.5",
    }


def test_main_thread_without_a_loop_per_version(recipe):
    done = run_python(LEGACY, "-W", "always")
    if sys.version_info >= (3, 14):
        # 3.14 removed the implicit loop (gh-126353): an error, naming the thread.
        assert done.returncode == 1
        assert done.stdout == ""
        assert done.stderr.splitlines()[-1] == f"RuntimeError: {NO_LOOP_IN_MAIN}"
    else:
        # 3.11 to 3.13 make a loop, set it as the current one, and return it...
        assert done.returncode == 0
        assert done.stdout == "_UnixSelectorEventLoop True\n"
        if sys.version_info >= (3, 12):
            # ...and 3.12 and 3.13 warn that this is deprecated...
            assert done.stderr.splitlines()[0] == (
                "<string>:2: DeprecationWarning: There is no current event loop"
            )
        else:
            assert done.stderr == ""  # ...where 3.11 is silent.
    assert recipe.snippet.exists()


def test_the_silent_3_11_is_3_11_2_and_later(recipe):
    """3.11.0 and 3.11.1 warned (gh-100160 removed the warning in 3.11.2): the page
    says which 3.11 it means, and the 3.11 the tests run is one of those."""
    page = recipe.page.read_text()
    assert "3.11 (3.11.2 and later)" in page
    assert "3.11.0 and 3.11.1" in page
    if sys.version_info[:2] == (3, 11):
        assert sys.version_info >= (3, 11, 2)


def test_a_library_calling_get_event_loop_at_import_time(recipe, tmp_path):
    (tmp_path / "legacy_library.py").write_text(LIBRARY)
    done = run_python("import legacy_library", "-W", "always", cwd=tmp_path)
    if sys.version_info >= (3, 14):
        # The import itself fails.
        assert done.returncode == 1
        assert "line 3, in <module>\n    loop = asyncio.get_event_loop()" in (
            done.stderr
        )
        assert done.stderr.splitlines()[-1] == f"RuntimeError: {NO_LOOP_IN_MAIN}"
    elif sys.version_info >= (3, 12):
        assert done.returncode == 0
        assert re.fullmatch(
            r".*legacy_library\.py:3: DeprecationWarning:"
            r" There is no current event loop",
            done.stderr.splitlines()[0],
        )
    else:
        assert done.returncode == 0
        assert done.stderr == ""
    assert recipe.snippet.exists()


RUNNER_FIX = """\
import asyncio

with asyncio.Runner() as runner:
    loop = runner.get_loop()
    assert asyncio.get_event_loop() is loop
    import legacy_library

    print(runner.run(legacy_library.get_price("tea")))
    print(runner.run(legacy_library.get_price("tea")))  # the same loop again
    assert legacy_library.loop is loop
try:
    asyncio.get_event_loop()
except RuntimeError as exc:
    print(exc)
"""


def test_a_runner_made_before_the_import_fixes_it_on_every_version(recipe, tmp_path):
    (tmp_path / "legacy_library.py").write_text(LIBRARY)
    done = run_python(RUNNER_FIX, "-X", "dev", "-W", "error", cwd=tmp_path)
    assert done.stderr == ""
    # Both runs use the library's loop; the runner leaves no current loop behind.
    assert done.stdout == f"3.5\n3.5\n{NO_LOOP_IN_MAIN}\n"
    assert recipe.snippet.exists()


SET_LOOP_FIX = """\
import asyncio

loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
try:
    import legacy_library

    print(loop.run_until_complete(legacy_library.get_price("tea")))
finally:
    asyncio.set_event_loop(None)
    loop.close()
"""


def test_a_loop_set_before_the_import_fixes_it_on_every_version(recipe, tmp_path):
    (tmp_path / "legacy_library.py").write_text(LIBRARY)
    done = run_python(SET_LOOP_FIX, "-X", "dev", "-W", "error", cwd=tmp_path)
    assert done.stderr == ""
    assert done.stdout == "3.5\n"
    assert recipe.snippet.exists()


ASYNCIO_RUN_AFTER_IMPORT = """\
import asyncio

asyncio.set_event_loop(asyncio.new_event_loop())
import legacy_library

try:
    asyncio.run(legacy_library.get_price("tea"))
except RuntimeError as exc:
    print(exc)
try:
    asyncio.get_event_loop()
except RuntimeError as exc:
    print(exc)
legacy_library.loop.close()
"""


def test_asyncio_run_runs_on_another_loop_than_the_library(recipe, tmp_path):
    (tmp_path / "legacy_library.py").write_text(LIBRARY)
    done = run_python(ASYNCIO_RUN_AFTER_IMPORT, "-W", "error", cwd=tmp_path)
    assert done.stderr == ""
    first, second = done.stdout.splitlines()
    assert re.fullmatch(
        r"Task <Task pending .*> got Future <Future pending> attached to a different loop",
        first,
    )
    # asyncio.run() also cleared the loop that was set before it.
    assert second == NO_LOOP_IN_MAIN
    assert recipe.snippet.exists()


def test_main_thread_after_asyncio_run_raises_on_every_version(recipe):
    source = (
        "import asyncio\n"
        "async def main():\n    pass\n"
        "asyncio.run(main())\n"
        "try:\n    asyncio.get_event_loop()\n"
        "except RuntimeError as exc:\n    print(exc)\n"
    )
    done = run_python(source, "-W", "always")
    assert done.stdout == f"{NO_LOOP_IN_MAIN}\n"
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


async def test_inside_a_callback_get_event_loop_returns_the_running_loop(recipe):
    load_module(recipe)
    loop = asyncio.get_running_loop()
    seen = loop.create_future()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loop.call_soon(lambda: seen.set_result(asyncio.get_event_loop()))
        assert await seen is loop


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
            client = module.LegacyClient()
            assert client.loop is loop
            assert loop.run_until_complete(client.get_price("tea")) == 3.5
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def test_the_fixes_work_silently_and_leave_no_loop_set(recipe):
    module = load_module(recipe)
    fixes = [module.with_asyncio_run, module.with_runner, module.with_a_loop_you_set]
    results = []

    def each_fix_then_the_legacy_call() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for fix in fixes:
                results.append(module.call(fix, "cake"))
                # The fix left no current loop: the legacy call still raises here.
                results.append(module.call(module.legacy_get_price, "cake"))

    thread = threading.Thread(target=each_fix_then_the_legacy_call, name="checker")
    thread.start()
    thread.join()
    raised = "RuntimeError: There is no current event loop in thread 'checker'."
    assert results == ["4.25", raised] * 3
