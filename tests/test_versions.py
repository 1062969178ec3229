"""Outputs per Python version: which captured file holds what a version prints, how
`make outputs` on each version writes (and removes) them, and the tabs a page shows."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests import support
from tests.support import HOOK, SUPPORTED, Recipe


def make_tree(tmp_path: Path, requires: str | None = None) -> Recipe:
    front = f'requires: "{requires}"\n' if requires else ""
    (tmp_path / "docs/tasks").mkdir(parents=True)
    (tmp_path / "snippets/tasks").mkdir(parents=True)
    (tmp_path / "docs/tasks/gather.md").write_text(f"---\n{front}---\n", "utf-8")
    (tmp_path / "snippets/tasks/gather.py").write_text("", "utf-8")
    return Recipe("tasks", "gather", tmp_path)


def store_as(
    recipe: Recipe, version: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(support, "RUNNING", version)
    recipe.store(text)


def files(recipe: Recipe) -> dict[str, str]:
    return {
        path.name: path.read_text("utf-8")
        for path in sorted((recipe.root / "snippets/tasks").glob("*.out"))
    }


def test_every_supported_version_is_current():
    # 3.10 is end of life; 3.15 is the newest release (the site's version lines).
    assert SUPPORTED == ("3.11", "3.12", "3.13", "3.14", "3.15")


def test_the_suite_runs_on_a_supported_python():
    assert f"{sys.version_info[0]}.{sys.version_info[1]}" in SUPPORTED


def test_a_version_gets_its_own_file_only_where_it_prints_something_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    recipe = make_tree(tmp_path)
    for version, text in [
        ("3.11", "old\n"),
        ("3.12", "old\n"),
        ("3.13", "old\n"),
        ("3.14", "new\n"),
        ("3.15", "new\n"),
    ]:
        store_as(recipe, version, text, monkeypatch)
    assert files(recipe) == {"gather.out": "old\n", "gather.3.14.out": "new\n"}
    expected = {"3.11": "old\n", "3.13": "old\n", "3.14": "new\n", "3.15": "new\n"}
    for version, text in expected.items():
        assert recipe.output_for(version).read_text("utf-8") == text


def test_a_variant_no_longer_needed_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    recipe = make_tree(tmp_path)
    store_as(recipe, "3.11", "a\n", monkeypatch)
    store_as(recipe, "3.14", "b\n", monkeypatch)
    store_as(recipe, "3.15", "c\n", monkeypatch)
    assert set(files(recipe)) == {"gather.out", "gather.3.14.out", "gather.3.15.out"}
    # The recipe changes so that every version prints the same again.
    for version in SUPPORTED:
        store_as(recipe, version, "same\n", monkeypatch)
    assert files(recipe) == {"gather.out": "same\n"}


def test_a_real_clock_page_s_new_figures_are_not_a_new_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    recipe = make_tree(tmp_path)
    (tmp_path / "docs/tasks/gather.md").write_text("---\nclock: real\n---\n", "utf-8")
    store_as(recipe, "3.11", "took 1.02 s\n", monkeypatch)
    store_as(recipe, "3.14", "took 0.98 s\n", monkeypatch)
    assert files(recipe) == {"gather.out": "took 1.02 s\n"}
    store_as(recipe, "3.15", "took 0.98 s, then failed\n", monkeypatch)
    assert set(files(recipe)) == {"gather.out", "gather.3.15.out"}


def test_a_page_that_requires_a_newer_python_starts_its_files_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    recipe = make_tree(tmp_path, requires="3.12")
    store_as(recipe, "3.12", "x\n", monkeypatch)
    store_as(recipe, "3.13", "x\n", monkeypatch)
    store_as(recipe, "3.15", "y\n", monkeypatch)
    assert files(recipe) == {"gather.out": "x\n", "gather.3.15.out": "y\n"}
    assert list(recipe.variants()) == ["3.12", "3.15"]


def test_a_slug_that_starts_like_another_is_not_its_variant(tmp_path: Path):
    recipe = make_tree(tmp_path)
    folder = tmp_path / "snippets/tasks"
    (folder / "gather.out").write_text("", "utf-8")
    (folder / "gather_all.3.14.out").write_text("", "utf-8")
    (folder / "gather.3.14.svg").write_text("", "utf-8")
    assert list(recipe.variants()) == ["3.11"]
    assert list(recipe.variants(".svg")) == ["3.11", "3.14"]
    assert Recipe.from_path(folder / "gather.3.14.out", tmp_path) == recipe


@pytest.mark.parametrize(
    ("sinces", "requires", "labels"),
    [
        (["3.11", "3.14"], "3.11", ["Python 3.11–3.13", "3.14–3.15"]),
        (["3.11", "3.15"], "3.11", ["Python 3.11–3.14", "3.15"]),
        (
            ["3.11", "3.12", "3.14"],
            "3.11",
            ["Python 3.11", "3.12–3.13", "3.14–3.15"],
        ),
        (["3.12", "3.14"], "3.12", ["Python 3.12–3.13", "3.14–3.15"]),
    ],
)
def test_tab_labels_name_every_version_each_file_holds(sinces, requires, labels):
    assert HOOK.variant_labels(sinces, requires) == labels


def test_the_output_fence_becomes_one_tab_per_variant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(HOOK, "SNIPPETS", tmp_path / "snippets")
    recipe = make_tree(tmp_path)
    for version, text in [("3.11", "a\n"), ("3.14", "b\n")]:
        store_as(recipe, version, text, monkeypatch)
    body = '## Output\n\n``` text\n--8<-- "tasks/gather.out"\n```\n\n## How it works\n'
    tabbed = HOOK.with_output_per_version(body, "tasks/gather.md", "3.11")
    assert '=== "Python 3.11–3.13"\n\n    ``` text\n    --8<-- "tasks/gather.out"' in (
        tabbed
    )
    assert '=== "3.14–3.15"\n\n    ``` text\n    --8<-- "tasks/gather.3.14.out"' in (
        tabbed
    )
    assert tabbed.endswith("## How it works\n")
    # One file for every version: the page is left as it is.
    (tmp_path / "snippets/tasks/gather.3.14.out").unlink()
    assert HOOK.with_output_per_version(body, "tasks/gather.md", "3.11") == body
