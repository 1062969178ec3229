"""Claims of docs/testing/isolated-asyncio-testcase.md."""

import asyncio
import io
import os
import subprocess
import sys
import textwrap
import unittest

from tests.support import load_module, run_main


async def test_both_tests_pass(recipe):
    run = await run_main(recipe)
    assert run.result["run"] == 2
    assert run.result["ok"] is True
    assert run.output.splitlines()[0] == "ran 2 tests, success: True"


async def test_setup_test_teardown_then_cleanup_for_each_test(recipe):
    run = await run_main(recipe)
    steps = ["asyncSetUp", "test", "asyncTearDown", "cleanup stops the server"]
    assert run.result["events"] == [
        f"{name}: {step}"
        for name in ["test_echo_upper_case", "test_server_closes_after_eof"]
        for step in steps
    ]


async def test_each_test_gets_its_own_loop_closed_afterwards(recipe):
    run = await run_main(recipe)
    assert run.result["loops"] == 2
    assert run.result["closed"] is True
    assert run.output.splitlines()[-1] == "event loops: 2 for 2 tests, all closed: True"


def run_case(case: type[unittest.TestCase]) -> unittest.TestResult:
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(case)
    return unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(suite)


async def test_cleanups_run_last_in_reverse_order_even_when_the_test_fails(recipe):
    load_module(recipe)
    events = []

    class Failing(unittest.IsolatedAsyncioTestCase):
        def setUp(self) -> None:
            events.append("setUp")

        def tearDown(self) -> None:
            events.append("tearDown")

        async def asyncSetUp(self) -> None:
            events.append("asyncSetUp")
            self.addAsyncCleanup(self.note, "first cleanup registered")
            self.addAsyncCleanup(self.note, "second cleanup registered")

        async def note(self, text: str) -> None:
            await asyncio.sleep(0)
            events.append(text)

        async def asyncTearDown(self) -> None:
            events.append("asyncTearDown")

        async def test_fails(self) -> None:
            leftovers.append(asyncio.create_task(asyncio.sleep(3600)))
            self.fail("boom")

    leftovers: list[asyncio.Task] = []
    result = await asyncio.to_thread(run_case, Failing)
    assert len(result.failures) == 1
    assert events == [
        "setUp",
        "asyncSetUp",
        "asyncTearDown",
        "tearDown",
        "second cleanup registered",
        "first cleanup registered",
    ]
    assert leftovers[0].cancelled()  # the loop cancelled it before closing


async def test_if_asyncsetup_fails_teardown_is_skipped_but_cleanups_run(recipe):
    load_module(recipe)
    events = []

    class BrokenSetUp(unittest.IsolatedAsyncioTestCase):
        async def asyncSetUp(self) -> None:
            self.addAsyncCleanup(self.cleanup)
            raise ConnectionError("database down")

        async def cleanup(self) -> None:
            events.append("cleanup")

        async def asyncTearDown(self) -> None:
            events.append("asyncTearDown")

        async def test_never_runs(self) -> None:
            events.append("test")

    result = await asyncio.to_thread(run_case, BrokenSetUp)
    assert len(result.errors) == 1
    assert "ConnectionError: database down" in result.errors[0][1]
    assert events == ["cleanup"]


async def test_the_recipe_test_case_works_with_the_unittest_command(recipe, tmp_path):
    # `python -m unittest` (unittest.main()) runs the very class the recipe defines.
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "unittest", "-q", "isolated_asyncio_testcase"],
        cwd=recipe.snippet.parent,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    assert process.returncode == 0
    assert stderr.decode().splitlines()[-1] == "OK"


def test_running_the_tests_inside_a_running_loop_fails(recipe, tmp_path):
    script = textwrap.dedent(
        """
        import asyncio
        import unittest

        class T(unittest.IsolatedAsyncioTestCase):
            async def test_a(self) -> None:
                pass

        async def main() -> None:
            unittest.main(argv=["test"], exit=False)  # inside asyncio.run()

        asyncio.run(main())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert (
        "RuntimeError: Cannot run the event loop while another loop is running"
        in done.stderr
    )
