"""Fixtures shared by every recipe test.

A test in ``tests/<topic>/test_<slug>.py`` gets its own recipe from the ``recipe``
fixture, derived from the test's path, so the mirror between a page, its snippet and
its test cannot be broken by a typo.
"""

from __future__ import annotations

import asyncio
import sys

import pytest

from tests.support import Recipe, version_tuple


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite snippets/**/*.out from this run (what make outputs does)",
    )


def pytest_configure(config: pytest.Config) -> None:
    # looptime makes the event-loop policy create a loop on first use; under
    # filterwarnings=error that loop leaks into a later sync test and fails it
    # (ResourceWarning), depending on test order. Start with no current loop.
    asyncio.set_event_loop(None)


@pytest.fixture
def recipe(request: pytest.FixtureRequest) -> Recipe:
    """The recipe mirrored by the requesting test module; skips (saying why) when the
    page requires a newer Python than this one."""
    found = Recipe.from_path(request.path)
    if not found.snippet.exists():
        pytest.fail(f"{request.path}: no snippet at {found.rel(found.snippet)}")
    if sys.version_info[:2] < version_tuple(found.requires):
        pytest.skip(f"{found.rel(found.page)} requires Python {found.requires}+")
    return found
