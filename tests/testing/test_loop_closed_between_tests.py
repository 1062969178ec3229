"""Claims of docs/testing/loop-closed-between-tests.md.

Each test runs pytest on a small test file in a subprocess, as the recipe does, and
asserts the failures and passes it reports.
"""

import re
import textwrap
from pathlib import Path

import pytest_asyncio

from tests.support import Recipe, Run, load_module, run_main

EVENT_LOOP_IS_CLOSED = "RuntimeError: Event loop is closed"
DIFFERENT_LOOP = (
    "RuntimeError: Task <Task pending ...> got Future <Future pending>"
    " attached to a different loop"
)
BUG = "module-scoped fixtures, tests in their own loops"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def run() -> Run:
    """One run of the recipe (three pytest processes), shared by the tests below."""
    return await run_main(Recipe.from_path(Path(__file__)))


async def run_test_file(
    recipe, folder: Path, test_file: str, conftest: str | None = None, **settings
) -> tuple[int, list[str]]:
    """Run pytest on `test_file` beside the recipe's conftest, with the recipe's
    settings plus `settings`: exit code, failures and summary line."""
    module = load_module(recipe)
    module.SETTINGS.update(settings)
    (folder / "conftest.py").write_text(conftest or module.CONFTEST)
    (folder / "test_app.py").write_text(textwrap.dedent(test_file))
    return await module.run_pytest(folder)


async def test_a_module_scoped_client_fails_the_next_test_with_event_loop_is_closed(
    recipe, run
):
    code, report = run.result[BUG]
    assert code == 1
    assert f"FAILED test_app.py::test_client_again - {EVENT_LOOP_IS_CLOSED}" in report
    # The first test passed: the failure comes "between tests".
    assert not any("test_client_once" in line for line in report)


async def test_a_module_scoped_connection_is_attached_to_a_different_loop(recipe, run):
    _, report = run.result[BUG]
    assert report == [
        f"FAILED test_app.py::test_client_again - {EVENT_LOOP_IS_CLOSED}",
        f"FAILED test_app.py::test_connection_once - {DIFFERENT_LOOP}",
        f"FAILED test_app.py::test_connection_again - {DIFFERENT_LOOP}",
        "3 failed, 1 passed",
    ]


async def test_running_the_tests_in_the_modules_loop_fixes_both(recipe, run):
    assert run.result["fix 1: the tests run in the module's loop too"] == (
        0,
        ["4 passed"],
    )


async def test_a_client_and_a_connection_per_test_fixes_both(recipe, run):
    assert run.result["fix 2: a client and a connection per test"] == (0, ["4 passed"])


async def test_the_printed_output_is_the_three_reports(recipe, run):
    assert run.output.splitlines() == [
        f"{BUG}: exit code 1",
        f"  FAILED test_app.py::test_client_again - {EVENT_LOOP_IS_CLOSED}",
        f"  FAILED test_app.py::test_connection_once - {DIFFERENT_LOOP}",
        f"  FAILED test_app.py::test_connection_again - {DIFFERENT_LOOP}",
        "  3 failed, 1 passed",
        "fix 1: the tests run in the module's loop too: exit code 0",
        "  4 passed",
        "fix 2: a client and a connection per test: exit code 0",
        "  4 passed",
    ]


def client_tests(module) -> str:
    """The failing variant's client fixture and tests, without the connection tests."""
    source = module.TEST_FILE.format(**module.VARIANTS[BUG])
    return source.split("\n\nasync def test_connection_once")[0]


async def test_alone_the_test_passes_and_the_fixture_teardown_fails(recipe, tmp_path):
    module = load_module(recipe)
    source = client_tests(module)
    only_again = re.sub(r"async def test_client_once.*?\n\n\n", "", source, flags=re.S)
    assert "test_client_once" not in only_again
    # The module's loop closes the client, whose connection belongs to the test's
    # loop, closed by then.
    assert await run_test_file(recipe, tmp_path, only_again) == (
        1,
        [
            f"ERROR test_app.py::test_client_again - {EVENT_LOOP_IS_CLOSED}",
            "1 passed, 1 error",
        ],
    )


async def test_a_client_kept_in_a_module_global_fails_the_same_way(recipe, tmp_path):
    source = """
        import httpx

        CLIENT: httpx.AsyncClient | None = None


        def client(port: int) -> httpx.AsyncClient:  # made once, on first use
            global CLIENT
            if CLIENT is None:
                CLIENT = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}")
            return CLIENT


        async def test_once(port: int) -> None:
            assert (await client(port).get("/")).text == "hello"


        async def test_again(port: int) -> None:
            assert (await client(port).get("/")).text == "hello"
    """
    assert await run_test_file(recipe, tmp_path, source) == (
        1,
        [
            f"FAILED test_app.py::test_again - {EVENT_LOOP_IS_CLOSED}",
            "1 failed, 1 passed",
        ],
    )


async def test_the_bug_hides_when_the_server_closes_each_connection(recipe, tmp_path):
    module = load_module(recipe)
    http_1_0 = module.CONFTEST.replace('"HTTP/1.1"', '"HTTP/1.0"')
    assert http_1_0 != module.CONFTEST
    # The client part of the failing variant, against a server that closes every
    # connection after its response: the pool has nothing to reuse, and it passes.
    assert await run_test_file(recipe, tmp_path, client_tests(module), http_1_0) == (
        0,
        ["2 passed"],
    )


async def test_the_default_test_loop_scope_setting_also_fixes_it(recipe, tmp_path):
    module = load_module(recipe)
    source = module.TEST_FILE.format(**module.VARIANTS[BUG])
    assert await run_test_file(
        recipe, tmp_path, source, asyncio_default_test_loop_scope="module"
    ) == (0, ["4 passed"])


async def test_scope_module_without_loop_scope_is_a_scope_mismatch(recipe, tmp_path):
    module = load_module(recipe)
    source = module.TEST_FILE.format(scope='(scope="module")', mark="")
    code, report = await run_test_file(recipe, tmp_path, source)
    assert code == 1
    assert report[0] == (
        "ERROR test_app.py::test_client_once - Failed: ScopeMismatch: You tried to"
        " access the function scoped fixture _function_scoped_runner with a module"
        " scoped request object. Requesting fixture stack:"
    )
    assert report[-1] == "4 errors"


async def test_aiohttp_reports_the_other_loop_as_timeout_context_manager(
    recipe, tmp_path
):
    source = """
        from collections.abc import AsyncIterator

        import aiohttp
        import pytest_asyncio


        @pytest_asyncio.fixture(scope="module", loop_scope="module")
        async def session() -> AsyncIterator[aiohttp.ClientSession]:
            async with aiohttp.ClientSession() as session:
                yield session


        async def test_once(session: aiohttp.ClientSession, port: int) -> None:
            async with session.get(f"http://127.0.0.1:{port}/") as response:
                assert await response.text() == "hello"
    """
    assert await run_test_file(recipe, tmp_path, source) == (
        1,
        [
            "FAILED test_app.py::test_once - RuntimeError: Timeout context manager"
            " should be used inside a task",
            "1 failed",
        ],
    )


async def test_the_old_module_scoped_event_loop_fixture_changes_nothing(
    recipe, tmp_path
):
    module = load_module(recipe)
    # The fix of pytest-asyncio before 1.0: a module-scoped event_loop fixture.
    old_fix = """

@pytest.fixture(scope="module")
def event_loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
"""
    source = (
        "from collections.abc import Iterator\n"
        + module.TEST_FILE.format(**module.VARIANTS[BUG])
        + old_fix
    )
    # pytest-asyncio 1.0 removed the event_loop fixture: this one is an ordinary
    # fixture that nothing asks for, and the tests fail as before.
    assert await run_test_file(recipe, tmp_path, source) == (
        1,
        [
            f"FAILED test_app.py::test_client_again - {EVENT_LOOP_IS_CLOSED}",
            f"FAILED test_app.py::test_connection_once - {DIFFERENT_LOOP}",
            f"FAILED test_app.py::test_connection_again - {DIFFERENT_LOOP}",
            "3 failed, 1 passed",
        ],
    )
