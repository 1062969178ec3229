"""How do I test async functions with pytest? pytest-asyncio on a tiny test file."""

# --8<-- [start:recipe]
import asyncio
import os
import re
import sys
import tempfile
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

SCOPE = {"asyncio_default_fixture_loop_scope": "function"}
ERRORS = {"filterwarnings": "error"}
CONFIGS = {
    "default (strict) mode": {**SCOPE, **ERRORS},
    "asyncio_mode = auto": {"asyncio_mode": "auto", **SCOPE, **ERRORS},
    "auto, loop scope unset": {"asyncio_mode": "auto", **ERRORS},
}


async def run_pytest(folder: Path, settings: dict[str, str]) -> tuple[int, list[str]]:
    """Run pytest on `folder` with these ini settings: exit code, summary lines."""
    ini = ["[pytest]", *(f"{key} = {value}" for key, value in settings.items())]
    (folder / "pytest.ini").write_text("\n".join(ini) + "\n", encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        *["-o", "console_output_style=classic", str(folder)],
        cwd=folder,
        env={**os.environ, "COLUMNS": "200"},  # no truncated summary lines
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    stdout, _ = await process.communicate()
    lines = stdout.decode().splitlines()
    internal = [line for line in lines if re.match(r"INTERNALERROR> \w+\.\w+", line)]
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    summary = re.sub(r" in \d+\.\d+s", "", lines[-1].strip("= "))
    assert process.returncode is not None
    return process.returncode, internal[-1:] or [*failed, summary]


async def main() -> dict[str, tuple[int, list[str]]]:
    with tempfile.TemporaryDirectory() as tmp:
        folders = [Path(tmp, f"run{i}") for i in range(len(CONFIGS))]
        for folder in folders:
            folder.mkdir()
            (folder / "test_greet.py").write_text(TEST_FILE, encoding="utf-8")
        # Three pytest processes side by side: each run takes a second or so.
        runs = await asyncio.gather(*map(run_pytest, folders, CONFIGS.values()))
    results = dict(zip(CONFIGS, runs, strict=True))
    for label, (code, summary) in results.items():
        print(f"{label}: exit code {code}")
        for line in summary:
            print(f"  {line}")
    return results


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
