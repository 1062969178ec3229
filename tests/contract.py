"""The authoring contract, as functions that list what breaks it in a tree.

Each function returns human-readable problems, each naming the file to fix. They take
a ``root`` so that ``test_guards.py`` can prove each rule fires on a broken copy.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

from pytest_codeblocks.main import extract_from_file

from tests.support import (
    HOOK,
    SUPPORTED,
    Recipe,
    all_recipes,
    read_page,
    version_tuple,
)

# The page's sections, in this order (others may sit between them).
SECTIONS = ("Recipe", "Output", "How it works", "Gotchas", "See also")
RUNNABLE = {"python", "sh", "bash"}  # the fences pytest-codeblocks executes
PYTHONISH = {"py", "python", "python3", "pycon"}  # first word of fences it skips
INCLUDE = re.compile(r'^\s*--8<--\s+"([^"]+)"\s*$', re.MULTILINE)
SECTION_MARK = re.compile(r"#\s*--8<--\s*\[(start|end):([\w-]+)\]")
MAIN_GUARD = re.compile(
    r'^if __name__ == "__main__":\n    asyncio\.run\(main\([^\n]*\)\)', re.MULTILINE
)
SWALLOW_OK = "# contract: swallows cancellation"


def question_pages(root: Path) -> list[Path]:
    pages = (root / "docs").glob("*/*.md")
    return sorted(
        p for p in pages if HOOK.is_question_page(f"{p.parent.name}/{p.name}")
    )


def markdown_files(root: Path) -> list[Path]:
    docs = sorted((root / "docs").rglob("*.md"))
    return docs + [root / name for name in ("README.md", "CONTRIBUTING.md")]


def mirror_problems(root: Path) -> list[str]:
    """Page, snippet, output and test exist together or not at all."""
    problems = []
    for recipe in all_recipes(root):
        for kind, path in [("page", recipe.page), ("output", recipe.output)]:
            if not path.exists():
                problems.append(
                    f"{recipe.rel(recipe.snippet)}: its {kind} {recipe.rel(path)} is missing"
                )
        if not recipe.test.exists():
            problems.append(
                f"{recipe.rel(recipe.snippet)}: no test asserts its page's claims"
                f" ({recipe.rel(recipe.test)} is missing)"
            )
    for recipe in all_recipes(root):
        folder = recipe.snippet.parent
        for path in sorted(folder.glob(f"{recipe.slug}.*.*")):
            since = path.name.removeprefix(f"{recipe.slug}.").rpartition(".")[0]
            if path.suffix not in {".out", ".svg"} or not re.fullmatch(
                r"\d+\.\d+", since
            ):
                continue
            newer = version_tuple(since) > version_tuple(recipe.requires)
            if since not in SUPPORTED or not newer:
                problems.append(
                    f"{recipe.rel(path)}: Python {since} is not a supported version"
                    f" newer than {recipe.requires}, where {recipe.rel(recipe.page)}"
                    " starts: delete it and run `make outputs-all`"
                )
    owners = [
        *question_pages(root),
        *(root / "snippets").glob("*/*.out"),
        *(root / "tests").glob("*/test_*.py"),
    ]
    for path in owners:
        recipe = Recipe.from_path(path, root)
        if not recipe.snippet.exists():
            problems.append(
                f"{recipe.rel(path)}: no snippet {recipe.rel(recipe.snippet)} for it"
            )
    return problems


def timeline_problems(root: Path) -> list[str]:
    """A `timeline: true` page has its generated SVG; every SVG belongs to such a page."""
    problems = []
    for recipe in all_recipes(root):
        if recipe.wants_timeline and not recipe.timeline.exists():
            problems.append(
                f"{recipe.rel(recipe.page)}: says `timeline: true` but"
                f" {recipe.rel(recipe.timeline)} is missing: run `make outputs`"
            )
    for svg in sorted((root / "snippets").glob("*/*.svg")):
        recipe = Recipe.from_path(svg, root)
        if not recipe.wants_timeline:
            problems.append(
                f"{recipe.rel(svg)}: no page shows this timeline: add `timeline: true`"
                f" to {recipe.rel(recipe.page)} or delete the file"
            )
    return problems


def h2_titles(body: str) -> list[str]:
    return re.findall(r"^## (.+?)\s*$", body, flags=re.MULTILINE)


def section_text(body: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", body, re.S | re.M)
    return match.group(1) if match else ""


def page_problems(recipe: Recipe) -> list[str]:
    """A question page has its answer, embeds its recipe and output, in order."""
    name = recipe.rel(recipe.page)
    body, meta = read_page(recipe.page)
    problems = [f"{name}: {p}" for p in HOOK.page_problems(meta, body)]
    includes = INCLUDE.findall(body)
    own = f"{recipe.topic}/{recipe.slug}"
    if not any(i.startswith(f"{own}.py:") for i in includes):
        problems.append(f'{name}: embeds no named section of "{own}.py"')
    if f"{own}.out" not in includes:
        problems.append(f'{name}: does not embed its captured output "{own}.out"')
    problems += [
        f"{name}: embeds {i} by line numbers; name a section instead"
        for i in includes
        if re.search(r":\d+(:\d+)?$", i)
    ]
    titles = h2_titles(body)
    present = [t for t in titles if t in SECTIONS]
    if present != list(SECTIONS):
        problems.append(
            f"{name}: needs the sections {', '.join(SECTIONS)} in that order"
            f" (found {', '.join(present) or 'none'})"
        )
    elif body.find(f'"{own}.py:') > body.find("## Output"):
        problems.append(f"{name}: the recipe must come before ## Output")
    related = re.findall(
        r"\]\(([^)]+\.md)(?:#[^)]*)?\)", section_text(body, "See also")
    )
    if len(set(related)) < 2:
        problems.append(f"{name}: ## See also needs links to at least two pages")
    return problems


def fence_problems(path: Path, root: Path) -> list[str]:
    """Every python fence either embeds a snippet or is run by pytest-codeblocks."""
    name = path.relative_to(root).as_posix()
    problems = []
    for block in extract_from_file(path):
        where = f"{name}:{block.lineno}"
        # Exactly as pytest-codeblocks reads it: "``` python" (a space before the
        # language) is NOT collected, so it is not runnable either.
        syntax = (block.syntax or "").rstrip()
        lines = [line for line in block.code.splitlines() if line.strip()]
        include_only = bool(lines) and all(INCLUDE.match(line) for line in lines)
        if syntax in RUNNABLE:
            if include_only or any("--8<--" in line for line in lines):
                problems.append(
                    f"{where}: a ```{syntax} fence runs its text literally;"
                    ' embed snippets with ``` python title="…"'
                )
            if "__name__" in block.code:
                problems.append(
                    f'{where}: `if __name__ == "__main__":` never runs under'
                    " pytest-codeblocks; call the code directly"
                )
            unexplained = [m for m in block.marks if "skip" in m and "reason=" not in m]
            problems += [f"{where}: {m} needs reason=" for m in unexplained]
        elif (
            syntax.split()[0:1] and syntax.split()[0] in PYTHONISH and not include_only
        ):
            problems.append(
                f"{where}: ```{syntax.strip()} code is silently skipped by"
                " pytest-codeblocks: move it into a snippet, or make the fence"
                " a bare ```python block so it runs"
            )
    return problems


def swallowed_cancellation(tree: ast.AST, source_lines: list[str]) -> list[int]:
    """Lines of handlers that catch CancelledError (or everything) and do not
    re-raise: the task then ignores cancel() and callers hang or get wrong results."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ExceptHandler):
            continue
        caught = ast.unparse(node.type) if node.type else "BaseException"
        catches_cancel = any(
            word in caught for word in ("CancelledError", "BaseException")
        )
        reraises = any(isinstance(n, ast.Raise) for n in ast.walk(node))
        allowed = SWALLOW_OK in source_lines[node.lineno - 1]
        if catches_cancel and not reraises and not allowed:
            lines.append(node.lineno)
    return lines


def snippet_problems(recipe: Recipe) -> list[str]:
    """A script a reader can run, with named sections, that respects cancellation."""
    name = recipe.rel(recipe.snippet)
    source = recipe.snippet.read_text(encoding="utf-8")
    problems = []
    if "async def main(" not in source:
        problems.append(f"{name}: needs `async def main()` for the tests to await")
    if not MAIN_GUARD.search(source):
        problems.append(
            f'{name}: needs `if __name__ == "__main__":` + `asyncio.run(main())`'
        )
    marks = SECTION_MARK.findall(source)
    starts = Counter(n for kind, n in marks if kind == "start")
    ends = Counter(n for kind, n in marks if kind == "end")
    if not starts:
        problems.append(f"{name}: has no named section (# --8<-- [start:recipe])")
    if starts != ends:
        problems.append(f"{name}: section markers do not pair up: {marks}")
    body, _ = read_page(recipe.page) if recipe.page.exists() else ("", {})
    own = f"{recipe.topic}/{recipe.slug}.py:"
    for include in INCLUDE.findall(body):
        if include.startswith(own) and include.removeprefix(own) not in starts:
            problems.append(
                f"{recipe.rel(recipe.page)}: embeds section"
                f" {include.removeprefix(own)!r} that {name} does not define"
            )
    if not recipe.runs_here:
        # Newer syntax (except*, type statements) does not parse on this Python;
        # the runs on newer Pythons check it.
        return problems
    tree = ast.parse(source)
    problems += [
        f"{name}:{line}: swallows CancelledError (re-raise it, or mark the line"
        f" `{SWALLOW_OK}` on a page that demonstrates the bug)"
        for line in swallowed_cancellation(tree, source.splitlines())
    ]
    return problems


def test_file_problems(recipe: Recipe) -> list[str]:
    """The page's claims are asserted by tests that use the recipe."""
    if not recipe.test.exists():
        return []
    name = recipe.rel(recipe.test)
    tree = ast.parse(recipe.test.read_text(encoding="utf-8"))
    tests = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    ]
    if not tests:
        return [f"{name}: defines no test_ function"]
    uses_recipe = any("recipe" in {a.arg for a in t.args.args} for t in tests)
    if not uses_recipe:
        return [f"{name}: no test takes the `recipe` fixture"]
    return []


def duplicate_questions(root: Path) -> list[str]:
    titles = Counter(
        str(read_page(p)[1].get("title", "")) for p in question_pages(root)
    )
    return [f"the question {t!r} has {n} pages" for t, n in titles.items() if n > 1]


def all_problems(root: Path) -> list[str]:
    problems = mirror_problems(root) + timeline_problems(root)
    problems += duplicate_questions(root)
    for recipe in all_recipes(root):
        if recipe.page.exists():
            problems += page_problems(recipe)
        problems += snippet_problems(recipe) + test_file_problems(recipe)
    for path in markdown_files(root):
        if path.exists():
            problems += fence_problems(path, root)
    return problems
