"""The timeline recorder and renderer (tests/timeline.py) on a small recipe whose run
is known: lanes, times, outcomes, printed lines, and an SVG that is well-formed,
accessible, small and the same on every run."""

from __future__ import annotations

import asyncio
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.contract import timeline_problems
from tests.support import HOOK, Recipe
from tests.timeline import Recording, record_main, render

KNOWN = '''
"""A known run: tasks that return, fail and get cancelled; awaited calls."""

import asyncio


async def step(name: str, delay: float) -> str:
    await asyncio.sleep(delay)
    print(f"{name} done")
    return name


async def boom() -> None:
    await asyncio.sleep(0.5)
    raise ValueError("boom")


async def cleanup_then_stop() -> None:
    try:
        await asyncio.sleep(10)
    finally:
        await asyncio.sleep(0)  # cleanup awaits: still a cancellation
        print("doomed cleans up")


async def sequential() -> None:
    await step("one", 1.0)
    await step("two", 1.0)


async def concurrent() -> None:
    await asyncio.gather(step("three", 1.0), step("four", 1.0))


async def main() -> int:
    doomed = asyncio.create_task(cleanup_then_stop(), name="doomed")
    failing = asyncio.create_task(boom())
    await sequential()
    await concurrent()
    doomed.cancel()
    results = await asyncio.gather(doomed, failing, return_exceptions=True)
    print("end")
    return len(results)


if __name__ == "__main__":
    asyncio.run(main())
'''

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def known(tmp_path: Path) -> Recipe:
    recipe = Recipe("demo", "known_run", tmp_path)
    recipe.snippet.parent.mkdir(parents=True)
    recipe.snippet.write_text(textwrap.dedent(KNOWN), encoding="utf-8")
    return recipe


async def test_the_run_is_the_same_run(known):
    run, recording = await record_main(known)
    assert run.result == 2
    assert run.elapsed == 3.0
    assert run.output.splitlines() == [
        "one done",
        "two done",
        "three done",
        "four done",
        "doomed cleans up",
        "end",
    ]
    assert recording.end == 3.0


async def test_one_lane_per_coroutine_in_the_order_the_recipe_made_them(known):
    _, recording = await record_main(known)
    lanes = [(s.label, s.depth, s.start, s.end, s.outcome) for s in recording.spans]
    assert lanes == [
        ("main()", 0, 0.0, 3.0, "returned"),
        ("boom()", 1, 0.0, 0.5, "raised ValueError"),  # siblings: by start, label
        ("doomed", 1, 0.0, 3.0, "cancelled"),  # explicit task name wins
        ("sequential()", 1, 0.0, 2.0, "returned"),
        ("step('one', …)", 2, 0.0, 1.0, "returned"),
        ("step('two', …)", 2, 1.0, 2.0, "returned"),
        ("concurrent()", 1, 2.0, 3.0, "returned"),
        ("step('four', …)", 2, 2.0, 3.0, "returned"),  # gather's tasks, made by
        ("step('three', …)", 2, 2.0, 3.0, "returned"),  # concurrent(): one deeper
    ]


async def test_prints_carry_loop_time_and_the_printing_lane(known):
    _, recording = await record_main(known)
    labels = [s.label for s in recording.spans]
    printed = [(p.time, labels[p.lane], p.text) for p in recording.prints]
    assert printed == [
        (1.0, "step('one', …)", "one done"),
        (2.0, "step('two', …)", "two done"),
        (3.0, "step('three', …)", "three done"),
        (3.0, "step('four', …)", "four done"),
        (3.0, "doomed", "doomed cleans up"),  # after cancel(), via throw()
        (3.0, "main()", "end"),
    ]


async def test_the_recorder_detaches_and_leaves_task_names_alone(known):
    loop = asyncio.get_running_loop()
    factory = loop.get_task_factory()
    _, recording = await record_main(known)
    assert loop.get_task_factory() is factory
    assert "create_task" not in vars(loop)
    assert sys.gettrace() is None
    # A task factory would make 3.13.0 name unnamed tasks "None".
    assert recording.spans[1].label == "boom()"


@pytest.mark.skipif(
    not hasattr(asyncio, "eager_task_factory"), reason="eager tasks are new in 3.12"
)
async def test_an_eager_task_factory_keeps_working(known):
    def shape(recording: Recording) -> list[tuple[int, float, float, str]]:
        return [(s.depth, s.start, s.end, s.outcome) for s in recording.spans]

    _, lazy = await record_main(known)
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)  # type: ignore[attr-defined]
    try:
        run, eager = await record_main(known)
    finally:
        loop.set_task_factory(None)
    assert run.elapsed == 3.0
    # Same lanes (labels aside: with any task factory, 3.13.0 names tasks "None").
    assert shape(eager) == shape(lazy)


async def draw(recipe: Recipe) -> str:
    _, recording = await record_main(recipe)
    return render(recording, "demo-known_run")


async def test_svg_is_well_formed_with_a_title_and_description(known):
    root = ET.fromstring(await draw(known))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert title.text == "Timeline of known_run.py"
    assert desc is not None
    assert "doomed: 0 s to 3 s, was cancelled." in (desc.text or "")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


async def test_svg_draws_a_bar_per_lane_styled_by_outcome(known):
    root = ET.fromstring(await draw(known))
    bars = [
        r.get("class")
        for r in root.iter(f"{SVG}rect")
        if r.find(f"{SVG}title") is not None
    ]
    assert bars == ["tl-ok", "tl-fail", "tl-cancel", *["tl-ok"] * 6]
    marks = [t.text for t in root.iter(f"{SVG}text")]
    assert "✕" in marks
    assert "!" in marks
    assert [t for t in marks if t and t.endswith(" s")] == [
        "0 s",
        "0.5 s",
        "1 s",
        "1.5 s",
        "2 s",
        "2.5 s",
        "3 s",
    ]
    dots = [c.findtext(f"{SVG}title") for c in root.iter(f"{SVG}circle")]
    assert dots[:6] == [
        "1 s: one done",
        "2 s: two done",
        "3 s: three done",
        "3 s: four done",
        "3 s: doomed cleans up",
        "3 s: end",
    ]


async def test_svg_is_small_and_has_no_script(known):
    drawn = await draw(known)
    assert len(drawn.encode()) < 6 * 1024
    assert "<script" not in drawn
    assert " on" not in drawn.replace(" one", "")


async def test_svg_is_the_same_on_every_run(known):
    assert await draw(known) == await draw(known)


def test_an_empty_run_still_draws():
    root = ET.fromstring(render(Recording("nothing.py"), "x"))
    assert root.findtext(f"{SVG}title") == "Timeline of nothing.py"


def tree_with(root: Path, front_matter: str, svg: bool) -> Path:
    """A one-recipe tree: page (with ``front_matter``), snippet, and maybe an SVG."""
    recipe = Recipe("demo", "known_run", root)
    for path in (recipe.page, recipe.snippet):
        path.parent.mkdir(parents=True, exist_ok=True)
    recipe.page.write_text(f"---\ntitle: Known?\n{front_matter}---\n", encoding="utf-8")
    recipe.snippet.write_text(textwrap.dedent(KNOWN), encoding="utf-8")
    if svg:
        recipe.timeline.write_text("<svg/>", encoding="utf-8")
    return root


def test_contract_names_a_timeline_page_without_its_svg(tmp_path):
    problems = timeline_problems(tree_with(tmp_path, "timeline: true\n", svg=False))
    assert problems == [
        "docs/demo/known-run.md: says `timeline: true` but"
        " snippets/demo/known_run.svg is missing: run `make outputs`"
    ]


def test_contract_names_an_orphan_svg(tmp_path):
    problems = timeline_problems(tree_with(tmp_path, "", svg=True))
    assert problems == [
        "snippets/demo/known_run.svg: no page shows this timeline: add"
        " `timeline: true` to docs/demo/known-run.md or delete the file"
    ]


def test_contract_accepts_a_timeline_page_with_its_svg(tmp_path):
    assert timeline_problems(tree_with(tmp_path, "timeline: true\n", svg=True)) == []


@pytest.mark.parametrize(
    ("meta", "problem"),
    [
        ({"timeline": "yes please"}, "`timeline:` is `true` or absent"),
        (
            {"timeline": True, "clock": "real"},
            "`timeline: true` needs the virtual clock: drop `clock: real`",
        ),
    ],
)
def test_hook_rejects_a_bad_timeline_setting(meta, problem):
    assert problem in HOOK.page_problems({"title": "Q?", "answer": "A. B.", **meta}, "")


def test_hook_puts_the_timeline_at_the_end_of_the_output_section():
    body = "## Recipe\n\nr\n\n## Output\n\n```text\nout\n```\n\nProse.\n\n## How it works\n"
    page = HOOK.with_timeline(body, "basics/use-asyncio.md")
    before, after = page.split('<figure class="timeline">')
    assert before.endswith("Prose.\n\n")
    assert "## How it works" in after
    assert after.index("</svg>") < after.index("<figcaption>") < after.index("## How")
