"""How do I test async functions with pytest? pytest-asyncio on a tiny test file."""

# --8<-- [start:recipe]
import asyncio
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# test_greet.py: the code under test and its tests, as you would write them.
TEST_FILE = """
import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio


async def greet(name: str) -> str:  # the code under test
    await asyncio.sleep(0.1)
    return f"hello {name}"


@pytest_asyncio.fixture  # async set-up and teardown around each test
async def name() -> AsyncIterator[str]:
    await asyncio.sleep(0)
    yield "ada"
    await asyncio.sleep(0)


@pytest.mark.asyncio  # strict mode runs only marked async tests
async def test_greet_marked(name: str) -> None:
    assert await greet(name) == "hello ada"


async def test_greet_unmarked() -> None:  # needs asyncio_mode = auto
    assert await greet("bob") == "hello bob"
"""

# --8<-- [end:recipe]
# --8<-- [start:loop-factories]
# conftest.py: every async test runs once in each loop that the hook returns.
LOOP_FACTORIES = """
import asyncio
from collections.abc import Callable, Mapping

import pytest
import uvloop


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]]:
    return {"asyncio": asyncio.new_event_loop, "uvloop": uvloop.new_event_loop}
"""

# test_uvloop.py: a test that needs one of the loops names it.
UVLOOP_ONLY = """
import asyncio

import pytest
import uvloop


@pytest.mark.asyncio(loop_factories=["uvloop"])
async def test_runs_on_uvloop() -> None:
    assert isinstance(asyncio.get_running_loop(), uvloop.Loop)
"""
# --8<-- [end:loop-factories]
# --8<-- [start:old-way]
# conftest.py, the old way: a policy, through pytest-asyncio's event_loop_policy.
POLICY_FIXTURE = """
import pytest
import uvloop


@pytest.fixture(scope="session")
def event_loop_policy():  # overrides pytest-asyncio's own fixture
    return uvloop.EventLoopPolicy()
"""
# --8<-- [end:old-way]
# --8<-- [start:run]
SCOPE = {"asyncio_default_fixture_loop_scope": "function"}
ERRORS = {"filterwarnings": "error"}
AUTO = {"asyncio_mode": "auto", **SCOPE}


@dataclass(frozen=True)
class Config:
    settings: dict[str, str]  # pytest.ini
    files: dict[str, str] = field(default_factory=dict)  # beside test_greet.py
    options: tuple[str, ...] = ()  # "-rA": list the tests that passed, too


# LOOP_FACTORIES, UVLOOP_ONLY and POLICY_FIXTURE: see "Choosing the event loop".
CONFIGS = {
    "default (strict) mode": Config({**SCOPE, **ERRORS}),
    "asyncio_mode = auto": Config({**AUTO, **ERRORS}),
    "auto, loop scope unset": Config({"asyncio_mode": "auto", **ERRORS}),
    "loop factories: asyncio and uvloop": Config(
        {**AUTO, **ERRORS},
        {"conftest.py": LOOP_FACTORIES, "test_uvloop.py": UVLOOP_ONLY},
        ("-rA",),
    ),
    "the old way: an event_loop_policy fixture": Config(
        AUTO,
        {"conftest.py": POLICY_FIXTURE},  # warnings shown, not errors
    ),
}
# What pytest prints for a warning: "  path/to/file.py:12: SomeWarning: message"
WARNING = re.compile(r"^  \S+:\d+: (\w+Warning: .*)$")


async def run_pytest(
    folder: Path, settings: dict[str, str], *options: str
) -> tuple[int, list[str]]:
    """Run pytest on `folder` with these ini settings: exit code, summary lines."""
    ini = ["[pytest]", *(f"{key} = {value}" for key, value in settings.items())]
    (folder / "pytest.ini").write_text("\n".join(ini) + "\n", encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        *["-o", "console_output_style=classic", *options, str(folder)],
        cwd=folder,
        env={**os.environ, "COLUMNS": "200"},  # no truncated summary lines
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    stdout, _ = await process.communicate()
    lines = stdout.decode().splitlines()
    internal = [line for line in lines if re.match(r"INTERNALERROR> \w+\.\w+", line)]
    tests = [line for line in lines if line.startswith(("PASSED", "FAILED", "ERROR"))]
    warned = dict.fromkeys(m[1] for line in lines if (m := WARNING.match(line)))
    summary = re.sub(r" in \d+\.\d+s", "", lines[-1].strip("= "))
    assert process.returncode is not None
    return process.returncode, internal[-1:] or [*tests, *warned, summary]


async def main() -> dict[str, tuple[int, list[str]]]:
    with tempfile.TemporaryDirectory() as tmp:
        folders = [Path(tmp, f"run{i}") for i in range(len(CONFIGS))]
        for folder, config in zip(folders, CONFIGS.values(), strict=True):
            folder.mkdir()
            for name, text in {"test_greet.py": TEST_FILE, **config.files}.items():
                (folder / name).write_text(text, encoding="utf-8")
        # The pytest processes side by side: each run takes a second or so.
        runs = await asyncio.gather(
            *(
                run_pytest(folder, config.settings, *config.options)
                for folder, config in zip(folders, CONFIGS.values(), strict=True)
            )
        )
    results = dict(zip(CONFIGS, runs, strict=True))
    for label, (code, summary) in results.items():
        print(f"{label}: exit code {code}")
        for line in summary:
            print(f"  {line}")
    return results


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:run]
