"""Claims of docs/messages/coroutine-never-awaited.md."""

import asyncio
import gc
import re
import subprocess
import sys
import warnings

from tests.support import load_module, run_main


async def test_calling_without_await_warns_with_the_exact_text(recipe):
    # The same text on every supported version (3.11 to 3.15).
    run = await run_main(recipe)
    assert run.result["warned"] == [
        "RuntimeWarning: coroutine 'save' was never awaited"
    ]
    assert "RuntimeWarning: coroutine 'save' was never awaited\n" in run.output


async def test_the_unawaited_call_returns_a_coroutine_and_runs_nothing(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[0] == (
        "bug: save('a') returned a coroutine, not a string"
    )
    assert run.elapsed == 0.5  # only the awaited save() slept


async def test_awaiting_removes_the_warning(recipe):
    module = load_module(recipe)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = await module.with_await()
        gc.collect()
    assert result == "saved a"
    assert caught == []


async def test_warning_fires_when_the_object_is_destroyed_not_at_the_call(recipe):
    module = load_module(recipe)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        coroutine = module.save("a")
        gc.collect()
        assert caught == []  # still referenced: no warning yet
        del coroutine
        gc.collect()
    assert [str(w.message) for w in caught] == ["coroutine 'save' was never awaited"]


def test_a_coroutine_object_is_always_truthy(recipe):
    coroutine = load_module(recipe).save("")  # an empty record
    assert bool(coroutine) is True  # so `if save(""):` always takes the branch
    coroutine.close()  # closed before destruction: no warning


def test_method_names_show_their_class(recipe):
    class Repo:
        async def save(self) -> None:
            pass

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        coroutine = Repo().save()
        del coroutine
        gc.collect()
    assert [str(w.message) for w in caught] == [
        "coroutine 'test_method_names_show_their_class.<locals>.Repo.save'"
        " was never awaited"
    ]
    assert load_module(recipe).first_line(caught[0].message) == str(caught[0].message)


def test_debug_mode_adds_where_the_coroutine_was_created(recipe):
    module = load_module(recipe)
    warned = asyncio.run(module.forgot_await(), debug=True)
    assert warned == ["RuntimeWarning: coroutine 'save' was never awaited"]

    async def capture_full() -> str:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            coroutine = module.save("a")
            del coroutine
            gc.collect()
        return str(caught[0].message)

    full = asyncio.run(capture_full(), debug=True)
    assert full.startswith(
        "coroutine 'save' was never awaited\nCoroutine created at (most recent call last)\n"
    )
    assert 'coroutine = module.save("a")' in full


APP = """\
import asyncio
import re
import subprocess
import sys


async def save(record):
    await asyncio.sleep(0.5)


async def main():
    result = save("a")


asyncio.run(main())
"""


def run_app(tmp_path, *options):
    script = tmp_path / "app.py"
    script.write_text(APP)
    return subprocess.run(
        [sys.executable, *options, str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_printed_warning_points_into_asyncio_not_at_the_bad_line(recipe, tmp_path):
    done = run_app(tmp_path)
    lines = done.stderr.splitlines()
    assert done.returncode == 0
    assert re.fullmatch(
        r".*[/\\]asyncio[/\\]events\.py:\d+: RuntimeWarning: coroutine 'save' was never awaited",
        lines[0],
    )
    assert lines[1] == "  self._context.run(self._callback, *self._args)"
    assert lines[2] == (
        "RuntimeWarning: Enable tracemalloc to get the object allocation traceback"
    )
    assert recipe.snippet.exists()


def test_dev_mode_names_the_line_that_forgot_await(recipe, tmp_path):
    done = run_app(tmp_path, "-X", "dev")
    assert "Coroutine created at (most recent call last)" in done.stderr
    assert '    result = save("a")' in done.stderr
    assert recipe.snippet.exists()


def test_w_error_cannot_raise_it_and_prints_exception_ignored(recipe, tmp_path):
    done = run_app(tmp_path, "-W", "error")
    assert done.returncode == 0  # the program was not stopped
    first = done.stderr.splitlines()[0]
    if sys.version_info >= (3, 14):
        # 3.14 names what was being done when the exception was ignored.
        assert first.startswith(
            "Exception ignored while finalizing coroutine <coroutine object save at "
        )
    else:
        assert first.startswith("Exception ignored in: <coroutine object save at ")
    assert done.stderr.rstrip().endswith(
        "RuntimeWarning: coroutine 'save' was never awaited"
    )
    assert recipe.snippet.exists()
