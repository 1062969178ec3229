"""The authoring contract holds for the whole tree, and each way of breaking it fails
loudly, naming the file: proven on a broken copy of the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.contract import all_problems
from tests.support import ROOT

# A page that exists from the first day; the guards break copies of it.
PAGE = "docs/basics/use-asyncio.md"
SNIPPET = "snippets/basics/use_asyncio.py"
COPIED = ["docs", "snippets", "tests", "overrides", "mkdocs.yml", "pyproject.toml"]
COPIED += ["README.md", "CONTRIBUTING.md"]


def test_contract_holds():
    problems = all_problems(ROOT)
    assert not problems, "the authoring contract is broken:\n" + "\n".join(problems)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A throwaway copy of the project to break."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(source, tmp_path / name)
    return tmp_path


def run_in(tree: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def build(tree: Path) -> subprocess.CompletedProcess[str]:
    return run_in(tree, "mkdocs", "build", "--strict", "--site-dir", str(tree / "out"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer contains {old!r}: update this guard"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_deleted_snippet_fails_build_and_contract(tree: Path):
    (tree / SNIPPET).unlink()
    result = build(tree)
    assert result.returncode != 0
    assert "basics/use_asyncio.py" in result.stdout + result.stderr
    problems = "\n".join(all_problems(tree))
    assert f"{PAGE}: no snippet {SNIPPET}" in problems


def test_changed_output_fails_the_output_test(tree: Path):
    edit(tree / SNIPPET, 'print(f"results: {results}")', 'print(f"got: {results}")')
    result = run_in(
        tree,
        *(
            "pytest",
            "tests/test_recipes.py",
            "-k",
            "output_matches_page and use_asyncio",
        ),
        *("-p", "no:cacheprovider", "-q"),
    )
    assert result.returncode == 1, result.stdout
    assert f"{SNIPPET} no longer prints what" in result.stdout
    assert "+got: ['a.json', 'b.json', 'c.json']" in result.stdout


def test_removed_answer_fails_build_and_contract(tree: Path):
    edit(tree / PAGE, "answer: >-", "summary: >-")
    result = build(tree)
    assert result.returncode != 0
    assert f"{PAGE}: front matter needs `answer:`" in result.stderr
    assert f"{PAGE}: front matter needs `answer:`" in "\n".join(all_problems(tree))


@pytest.mark.parametrize(
    "fence",
    ['``` python title="extra.py"', "``` py", "```python linenums='1'", "``` python"],
)
def test_untested_python_block_fails_contract(tree: Path, fence: str):
    page = tree / PAGE
    lines = page.read_text(encoding="utf-8").splitlines()
    at = lines.index("## How it works") + 1
    lines[at:at] = ["", fence, "print('never run')", "```", ""]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = "\n".join(all_problems(tree))
    assert (
        f"{PAGE}:{at + 2}: ```{fence.strip('`').strip()} code is silently skipped"
        in problems
    )


def test_main_guard_in_runnable_block_fails_contract(tree: Path):
    readme = tree / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = '\n```python\nif __name__ == "__main__":\n    print(1)\n```\n'
    readme.write_text(text + block, encoding="utf-8")
    problems = "\n".join(all_problems(tree))
    assert "README.md:" in problems
    assert "never runs under pytest-codeblocks" in problems


def test_orphan_output_and_missing_test_fail_contract(tree: Path):
    (tree / "snippets/basics/forgotten.out").write_text("hello\n", encoding="utf-8")
    (tree / "tests/basics/test_use_asyncio.py").unlink()
    problems = "\n".join(all_problems(tree))
    assert (
        "snippets/basics/forgotten.out: no snippet snippets/basics/forgotten.py"
        in problems
    )
    assert f"{SNIPPET}: no test asserts its page's claims" in problems


def test_output_for_an_unsupported_or_older_python_fails_contract(tree: Path):
    folder = tree / "snippets/basics"
    (folder / "use_asyncio.3.10.out").write_text("old\n", encoding="utf-8")
    (folder / "use_asyncio.3.99.out").write_text("new\n", encoding="utf-8")
    (folder / "use_asyncio.3.14.out").write_text("fine\n", encoding="utf-8")
    problems = "\n".join(all_problems(tree))
    assert "snippets/basics/use_asyncio.3.10.out: Python 3.10 is not" in problems
    assert "snippets/basics/use_asyncio.3.99.out: Python 3.99 is not" in problems
    assert "use_asyncio.3.14.out" not in problems


def test_swallowed_cancellation_fails_contract(tree: Path):
    edit(
        tree / SNIPPET,
        "    total = asyncio",
        "    try:\n        pass\n    except asyncio.CancelledError:\n        pass\n    total = asyncio",
    )
    problems = "\n".join(all_problems(tree))
    assert f"{SNIPPET}:" in problems
    assert "swallows CancelledError" in problems


def test_chart_that_matches_no_output_fails_the_build(tree: Path):
    page = "docs/storage/file-io.md"
    edit(tree / page, "(?P<value>[\\d.]+) x$", "(?P<value>[\\d.]+) times$")
    result = build(tree)
    assert result.returncode != 0
    assert f"{page}: chart " in result.stderr
    assert "matches 0 line(s) of the output" in result.stderr
