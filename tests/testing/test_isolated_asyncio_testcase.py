"""Claims of docs/testing/isolated-asyncio-testcase.md."""

import asyncio
import io
import os
import re
import subprocess
import sys
import textwrap
import unittest
from pathlib import Path

import pytest

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


ON_313 = sys.version_info >= (3, 13)
ON_314 = sys.version_info >= (3, 14)


async def run_unittest(
    folder: Path, source: str, *python_options: str
) -> tuple[int, str]:
    """`python -m unittest -v test_case` on this source, with no debug setting in
    the environment: exit code, and stderr (where unittest reports)."""
    (folder / "test_case.py").write_text(textwrap.dedent(source), encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONASYNCIODEBUG", "PYTHONDEVMODE", "PYTHONWARNINGS"}
    }
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, *python_options, "-m", "unittest", "-v", "test_case"],
        cwd=folder,
        env={**env, "PYTHONDONTWRITEBYTECODE": "1"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    assert process.returncode is not None
    return process.returncode, stderr.decode()


async def test_every_test_runs_in_debug_mode_and_asyncio_run_does_not(recipe, tmp_path):
    source = """
        import asyncio
        import unittest


        class InDebugMode(unittest.IsolatedAsyncioTestCase):
            async def test_the_loop_is_in_debug_mode(self) -> None:
                self.assertTrue(asyncio.get_running_loop().get_debug())


        class PlainRun(unittest.TestCase):
            def test_asyncio_run_is_not(self) -> None:
                async def debug() -> bool:
                    return asyncio.get_running_loop().get_debug()

                self.assertFalse(asyncio.run(debug()))
    """
    code, stderr = await run_unittest(tmp_path, source)
    assert code == 0, stderr
    assert stderr.splitlines()[-1] == "OK"


async def test_debug_mode_logs_a_test_step_that_blocks_the_loop(recipe, tmp_path):
    source = """
        import time
        import unittest


        class Blocking(unittest.IsolatedAsyncioTestCase):
            async def test_blocks(self) -> None:
                time.sleep(0.15)  # blocking call in async code: debug mode logs it
    """
    code, stderr = await run_unittest(tmp_path, source)
    assert code == 0, stderr
    took = re.search(
        r"Executing <Task finished name='Task-\d+' coro=<Blocking\.test_blocks\(\)"
        r" done, .*?> took (\d+\.\d+) seconds",
        stderr,
    )
    assert took is not None, stderr
    assert float(took[1]) >= 0.15


def on_uvloop(stderr: str) -> bool:
    """What the test printed: whether it ran in uvloop's loop."""
    [answer] = re.findall(r"on uvloop: (True|False)", stderr)
    return answer == "True"


LOOP_FACTORY = """
    import asyncio
    import unittest

    import uvloop


    class OnUvloop(unittest.IsolatedAsyncioTestCase):
        loop_factory = {factory}

        async def test_loop(self) -> None:
            on_uvloop = isinstance(asyncio.get_running_loop(), uvloop.Loop)
            print(f"on uvloop: {{on_uvloop}}", file=sys.stderr)
"""


@pytest.mark.parametrize(
    "factory", ["uvloop.Loop", "staticmethod(uvloop.new_event_loop)"]
)
async def test_loop_factory_chooses_the_loop_from_313(recipe, tmp_path, factory):
    source = "import sys\n" + textwrap.dedent(LOOP_FACTORY.format(factory=factory))
    code, stderr = await run_unittest(tmp_path, source)
    assert code == 0, stderr
    # 3.11 and 3.12 ignore the attribute: the test runs in asyncio's default loop.
    assert on_uvloop(stderr) is ON_313


async def test_a_plain_function_as_loop_factory_gets_self_from_313(recipe, tmp_path):
    source = "import sys\n" + textwrap.dedent(
        LOOP_FACTORY.format(factory="uvloop.new_event_loop")
    )
    code, stderr = await run_unittest(tmp_path, source)
    if ON_313:  # a function in a class body becomes a method: called with self
        assert code == 1
        assert (
            "TypeError: new_event_loop() takes 0 positional arguments but 1 was given"
            in stderr
        )
    else:
        assert code == 0, stderr
        assert on_uvloop(stderr) is False


async def test_before_313_a_policy_chooses_the_loop_and_314_deprecates_it(
    recipe, tmp_path
):
    source = """
        import asyncio
        import sys
        import unittest

        import uvloop


        def setUpModule() -> None:
            asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


        def tearDownModule() -> None:
            asyncio.set_event_loop_policy(None)


        class OnUvloop(unittest.IsolatedAsyncioTestCase):
            async def test_loop(self) -> None:
                on_uvloop = isinstance(asyncio.get_running_loop(), uvloop.Loop)
                print(f"on uvloop: {on_uvloop}", file=sys.stderr)
    """
    code, stderr = await run_unittest(tmp_path, source, "-W", "always")
    assert code == 0, stderr
    assert on_uvloop(stderr) is True
    deprecated = (
        "DeprecationWarning: 'asyncio.set_event_loop_policy' is deprecated and"
        " slated for removal in Python 3.16"
    )
    assert (deprecated in stderr) is ON_314


async def test_the_recipes_uvloop_test_case_runs_on_uvloop_from_313(recipe):
    module = load_module(recipe)
    import uvloop  # noqa: PLC0415

    result = await asyncio.to_thread(run_case, module.EchoServerOnUvloopTest)
    assert result.testsRun == 2
    assert result.wasSuccessful()
    assert len(module.LOOPS) == 2
    assert all(isinstance(loop, uvloop.Loop) is ON_313 for loop in module.LOOPS)
