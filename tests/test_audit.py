"""The site in a real browser (`make audit`; marker `audit`, left out of `make test`).

Builds the site, serves it with nginx like a static host (gzip, cache headers), and runs
tools/audit/audit.mjs in Debian's chromium once per session. The tests below assert on
its report, which is also kept in reports/ (audit.json + audit.md) for the record.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.contract import question_pages
from tests.static_host import serve
from tests.support import ROOT, Recipe, read_page

# The audit drives a real browser over every page: minutes, not the suite's 120 s.
pytestmark = [pytest.mark.audit, pytest.mark.timeout(1800)]

AUDIT = ROOT / "tools" / "audit"
REPORTS = ROOT / "reports"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Budgets (page weight, search index, FCP, build time) are benchmarks: the audit
# writes them to reports/audit.md beside their limits; no test asserts them.


def require_tools() -> None:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"chromium ({CHROMIUM}: apt-get install chromium)")
    if shutil.which("node") is None:
        missing.append("node")
    if not (AUDIT / "node_modules").exists():
        missing.append("tools/audit/node_modules (npm ci --prefix tools/audit)")
    if missing:
        pytest.fail("the audit needs " + ", ".join(missing), pytrace=False)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    out = tmp_path_factory.mktemp("audit-site")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
        timeout=300,
    )
    return out, time.perf_counter() - started


def page_path(source: Path) -> str:
    """A page's path on the site: docs/tasks/gather.md -> tasks/gather/."""
    relative = source.relative_to(ROOT / "docs").with_suffix("").as_posix()
    return (
        relative.removesuffix("index") if relative.endswith("index") else relative + "/"
    )


def widest_table(source: Path) -> int:
    """The most columns of any table on the page."""
    rows = [
        line for line in source.read_text("utf-8").splitlines() if line.startswith("|")
    ]
    return max((row.count("|") - 1 for row in rows), default=0)


def lighthouse_pages(seed: int, sample: int = 3) -> list[tuple[str, str]]:
    """Every page shape Lighthouse must see, plus a sample of other question pages
    that changes from run to run (AUDIT_SEED=N repeats a run's sample): the home page,
    the 404 page, every topic index, and the question pages with the longest code,
    the widest table, a chart, the largest timeline and output tabs per version."""
    questions = question_pages(ROOT)
    recipes = {source: Recipe.from_path(source) for source in questions}
    shapes = {
        "longest code": max(
            questions, key=lambda s: len(recipes[s].snippet.read_text("utf-8"))
        ),
        "widest table": max(questions, key=widest_table),
        "largest timeline": max(
            (s for s in questions if recipes[s].wants_timeline),
            key=lambda s: recipes[s].timeline.stat().st_size,
        ),
    }
    charts = [s for s in questions if "charts" in recipes[s].meta]
    tabs = [s for s in questions if len(recipes[s].variants()) > 1]
    shapes |= {f"chart {i + 1}": s for i, s in enumerate(charts)}
    shapes |= {"output tabs": tabs[0]} if tabs else {}
    # The short recipe page is the reference of the page-weight budget.
    reference = ROOT / "docs/basics/use-asyncio.md"
    chosen = [("home", ""), ("404", "404.html"), ("recipe", page_path(reference))]
    chosen += [
        (f"topic {p.parent.name}", page_path(p))
        for p in sorted((ROOT / "docs").glob("*/index.md"))
    ]
    chosen += [(name, page_path(source)) for name, source in shapes.items()]
    rest = sorted(set(questions) - set(shapes.values()) - {reference})
    picked = random.Random(seed).sample(rest, sample)
    chosen += [(f"sample {i + 1}", page_path(s)) for i, s in enumerate(picked)]
    return chosen


# A new sample every run, printed in the report so that a failure can be repeated.
SEED = int(os.environ.get("AUDIT_SEED") or random.SystemRandom().randrange(10**6))
LIGHTHOUSE_PAGES = lighthouse_pages(SEED)


QUERY_SET = ROOT / "tests" / "search_queries.tsv"


def query_set() -> dict[str, str]:
    """Real phrasings readers type or paste (tests/search_queries.tsv: the query, a
    tab, the path of the page that answers it; # starts a comment line)."""
    found: dict[str, str] = {}
    for number, line in enumerate(QUERY_SET.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        query, _, target = line.partition("\t")
        assert target, f"{QUERY_SET.name}:{number}: no tab between query and page"
        assert (ROOT / "docs" / (target.rstrip("/") + ".md")).exists(), (
            f"{QUERY_SET.name}:{number}: no page docs/{target.rstrip('/')}.md"
        )
        assert query not in found, f"{QUERY_SET.name}:{number}: {query!r} twice"
        found[query] = target
    return found


def top_pages(hits: list[str], count: int = 3) -> list[str]:
    """The first ``count`` distinct pages of a result list (a page's sections are
    listed under it)."""
    return list(dict.fromkeys(hits))[:count]


BASIC_SEARCHES = {
    "never awaited": "messages/coroutine-never-awaited/",
    "semaphore": "coordination/limit-concurrency/",
}


def troubleshooting() -> dict[str, str]:
    """The home page's Troubleshooting list: each message as a reader would paste it
    (placeholders such as <…> dropped) and the page it must find."""
    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    section = home.split("## Troubleshooting", 1)[1].split("\n## ", 1)[0]
    found = {}
    for message, target in re.findall(
        r"^- \[`([^`]+)`[^\]]*\]\(([^)]+)\.md\)", section, re.M
    ):
        query = " ".join(re.sub(r"<…>|'…'|…", " ", message).split())
        found[query] = target + "/"
    return found


@pytest.fixture(scope="session")
def report(
    built_site: tuple[Path, float], tmp_path_factory: pytest.TempPathFactory
) -> dict:
    require_tools()
    site, build_seconds = built_site
    REPORTS.mkdir(exist_ok=True)
    queries = REPORTS / "queries.json"
    queries.write_text(
        json.dumps([*BASIC_SEARCHES, *troubleshooting()]), encoding="utf-8"
    )
    query_file = REPORTS / "query-set.json"
    query_file.write_text(json.dumps(list(query_set())), encoding="utf-8")
    lighthouse = REPORTS / "lighthouse-pages.json"
    lighthouse.write_text(json.dumps(LIGHTHOUSE_PAGES), encoding="utf-8")
    with serve(site, tmp_path_factory.mktemp("nginx")) as base:
        subprocess.run(
            ["node", str(AUDIT / "audit.mjs"), base, str(REPORTS)],
            cwd=AUDIT,
            env={
                **os.environ,
                "CHROME_PATH": CHROMIUM,
                "AUDIT_QUERIES": str(queries),
                "AUDIT_LIGHTHOUSE_PAGES": str(lighthouse),
                "AUDIT_QUERY_SET": str(query_file),
            },
            check=True,
            timeout=1800,
        )
    data = json.loads((REPORTS / "audit.json").read_text(encoding="utf-8"))
    data["build_seconds"] = build_seconds
    data["search_index_gzip"] = len(
        gzip.compress((site / "search" / "search_index.json").read_bytes())
    )
    write_budgets(data)
    return data


def write_budgets(data: dict) -> None:
    """Append the budget figures to reports/audit.md (benchmarks, not pass/fail)."""
    if not data["pages"] or not data["lighthouse"]:
        return  # a partial audit (AUDIT_SKIP, as in make search-check) measured none
    pages = len(question_pages(ROOT))
    recipe = next(p for p in data["pages"] if p["path"] == "basics/use-asyncio/")
    mobile = next(
        r
        for r in data["lighthouse"]
        if r["path"] == "basics/use-asyncio/" and r["formFactor"] == "mobile"
    )
    lines = [
        "",
        "| budget | measured | limit |",
        "|---|---|---|",
        f"| recipe page transferred (gzip, before search) | {recipe['bytes']['beforeInteraction'] / 1024:.1f} KiB | 60 KiB |",
        f"| + the theme's script, on the first interaction (gzip) | {(recipe['bytes']['page'] - recipe['bytes']['beforeInteraction']) / 1024:.1f} KiB | |",
        f"| + search worker and index, fetched by that script (gzip) | {recipe['bytes']['search'] / 1024:.1f} KiB | (search budget below) |",
        f"| recipe page mobile FCP (simulated) | {mobile['fcp'] / 1000:.2f} s | 1.2 s |",
        f"| search index gzip ({pages} question pages) | {data['search_index_gzip'] / 1024:.1f} KiB"
        f" (~{data['search_index_gzip'] / 1024 / pages * 100:.0f} KiB at 100) | 150 KiB at 100 pages |",
        f"| mkdocs build --strict (wall, {pages} question pages) | {data['build_seconds']:.2f} s | 3 s at 100 pages |",
        "",
        f"Lighthouse sample: AUDIT_SEED={SEED} repeats it.",
    ]
    with (REPORTS / "audit.md").open("a", encoding="utf-8") as md:
        md.write("\n".join(lines) + "\n")


def lighthouse_ids() -> list[str]:
    return [
        f"{page}-{form}"
        for page, _ in LIGHTHOUSE_PAGES
        for form in ("mobile", "desktop")
    ]


# Mobile performance is a timing on a shared 2-core VM: the same page scored 76 to 100
# from run to run while the machine's CPU benchmark swung from 820 to 1670. The median
# of five runs is reported (100 on all four pages when measured); the assertion is a
# floor, so that noise does not fail CI while a real regression still does. What made
# it 100 is asserted exactly elsewhere: the theme's script waits for an interaction
# (test_theme_script_loads_on_the_first_interaction_and_not_before). Every other
# score must be 100.
MOBILE_PERFORMANCE_FLOOR = 90


@pytest.mark.parametrize("run", lighthouse_ids())
def test_lighthouse_scores_100_in_every_category(report: dict, run: str):
    page, form = run.rsplit("-", 1)
    result = next(
        r for r in report["lighthouse"] if r["page"] == page and r["formFactor"] == form
    )
    scores = {c: result[c] for c in CATEGORIES}
    expected = dict.fromkeys(CATEGORIES, 100)
    if form == "mobile" and scores["performance"] >= MOBILE_PERFORMANCE_FLOOR:
        expected["performance"] = scores["performance"]
    assert scores == expected, (
        f"{run}: {scores}; failing audits: {result['runs'][0]['failing']}"
    )


def test_axe_finds_no_violation_on_any_page_light_or_dark(report: dict):
    found = {
        f"{p['path'] or '/'} ({scheme})": s["violations"]
        for p in report["pages"]
        for scheme, s in p["schemes"].items()
        if s["violations"]
    }
    assert not found, json.dumps(found, indent=1)
    assert len(report["pages"]) >= len(question_pages(ROOT)) + 1


def test_dark_scheme_really_renders_dark(report: dict):
    for scheme, expected in (("light", "default"), ("dark", "slate")):
        pages = [p["schemes"][scheme] for p in report["pages"]]
        # Before the theme's script loads (the site's inline script picks it) and after.
        assert {p["beforeInteraction"]["scheme"] for p in pages} == {expected}
        assert {p["facts"]["scheme"] for p in pages} == {expected}


def test_theme_script_loads_on_the_first_interaction_and_not_before(report: dict):
    loads = {
        (p["path"], scheme): (s["beforeInteraction"]["themeLoaded"], s["themeLoaded"])
        for p in report["pages"]
        for scheme, s in p["schemes"].items()
    }
    assert set(loads.values()) == {(False, True)}, {
        page: load for page, load in loads.items() if load != (False, True)
    }


def test_no_page_requests_anything_outside_the_site(report: dict):
    foreign = {p["path"]: p["foreign"] for p in report["pages"] if p["foreign"]}
    assert not foreign, foreign


def test_every_page_answers_200_and_the_404_page_is_helpful(report: dict):
    statuses = {p["path"]: p["status"] for p in report["pages"]}
    assert all(status == 200 for status in statuses.values()), statuses
    missing = next(p for p in report["pages"] if p["path"] == "404.html")
    assert missing["schemes"]["light"]["facts"]["h1"] == "This page does not exist"


@pytest.mark.parametrize(("query", "expected"), BASIC_SEARCHES.items())
def test_site_search_finds_the_page(report: dict, query: str, expected: str):
    hits = report["searches"][query]
    assert expected in hits[:5], f"typing {query!r} gave {hits[:5]}"


@pytest.mark.parametrize(("message", "expected"), troubleshooting().items())
def test_pasting_an_error_message_finds_its_page_in_the_top_three(
    report: dict, message: str, expected: str
):
    hits = report["searches"][message]
    assert expected in hits[:3], f"searching {message!r} gave {hits[:3]}"


SEARCH_HIT_RATE = 0.95


def test_the_query_set_is_large_and_covers_messages():
    queries = query_set()
    assert len(queries) >= 150, f"{len(queries)} queries in {QUERY_SET.name}"
    assert len(set(queries.values())) >= 50, "the queries cover too few pages"


def test_site_search_puts_the_answer_in_the_top_three_for_real_queries(report: dict):
    """The theme's own search, in the browser, over the query set: the page that
    answers must be among the first three pages for 95% of the queries."""
    queries = query_set()
    misses = {
        query: top_pages(report["querySet"][query])
        for query, target in queries.items()
        if target not in top_pages(report["querySet"][query])
    }
    rate = 1 - len(misses) / len(queries)
    lines = [
        f"Site search: {len(queries) - len(misses)} of {len(queries)} queries"
        f" ({rate:.1%}) put the answering page in the top three.",
        "",
        "| query | expected | top three |",
        "|---|---|---|",
        *(
            f"| {q} | {queries[q]} | {', '.join(top) or '(nothing)'} |"
            for q, top in misses.items()
        ),
    ]
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "search.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert rate >= SEARCH_HIT_RATE, "\n".join(lines)


def test_the_search_shortcut_works_as_the_first_key_on_a_fresh_page(report: dict):
    # The key that loads the theme's script is passed on to it (lazy-theme.js), so
    # "/" opens and focuses the search box, and is not typed into it.
    assert report["shortcut"] == {"focused": True, "open": True, "value": ""}


def test_copy_button_copies_the_whole_script_byte_for_byte(report: dict):
    copy = report["copy"]
    assert copy["found"], "no whole-script block on the recipe page"
    snippet = (ROOT / "snippets" / "basics" / "use_asyncio.py").read_text(
        encoding="utf-8"
    )
    assert copy["clipboard"] == snippet
    assert copy["file"] == snippet  # the download link serves the same bytes


def test_json_ld_in_the_rendered_dom_matches_what_readers_see(report: dict):
    by_path = {p["path"]: p["schemes"]["light"]["facts"] for p in report["pages"]}
    for source in question_pages(ROOT):
        _, meta = read_page(source)
        facts = by_path[
            source.relative_to(ROOT / "docs").with_suffix("").as_posix() + "/"
        ]
        (faq,) = facts["jsonld"]
        (question,) = faq["mainEntity"]
        assert question["name"] == facts["h1"] == meta["title"]
        assert (
            question["acceptedAnswer"]["text"]
            == facts["answer"]
            == facts["description"]
        )
        assert facts["title"].startswith(meta["title"])
        assert facts["canonical"].startswith("https://")


def test_nothing_but_code_scrolls_sideways_on_a_375px_phone(report: dict):
    wide = {
        p["path"]: p["mobile"]
        for p in report["pages"]
        if p["mobile"]["nonCode"] or p["mobile"]["pageWidth"] > p["mobile"]["viewport"]
    }
    assert not wide, json.dumps(wide, indent=1)


VNU = AUDIT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_the_w3c_html_checker_finds_no_error_on_any_page(
    built_site: tuple[Path, float],
):
    """The Nu HTML checker (vnu-jar, on Debian's Java) over every built page."""
    require_tools()
    java = shutil.which("java")
    assert java, "the HTML checker needs Java: `make system-deps` installs it"
    site, _ = built_site
    pages = sorted(site.rglob("*.html"))
    result = subprocess.run(
        [java, "-jar", str(VNU), "--skip-non-html", "--errors-only", "--format", "json"]
        + [str(p) for p in pages],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [m for m in messages if m.get("type") in {"error", "non-document-error"}]
    REPORTS.mkdir(exist_ok=True)
    with (REPORTS / "audit.md").open("a", encoding="utf-8") as md:
        md.write(f"\nW3C Nu HTML checker: {len(pages)} pages, {len(errors)} errors\n")
    assert len(pages) > len(question_pages(ROOT))
    assert not errors, json.dumps(errors[:20], indent=1)


def test_deploy_workflow_passes_actionlint():
    require_tools()
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows, "no GitHub Actions workflow"
    result = subprocess.run(
        ["node", str(AUDIT / "actionlint.mjs"), *map(str, workflows)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []
