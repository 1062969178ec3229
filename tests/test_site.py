"""The built site: one FAQPage per question page, and the short answer identical in
the visible page, the meta description, the JSON-LD and the search index."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.contract import question_pages
from tests.support import HOOK, ROOT, SUPPORTED, Recipe, read_page

pytestmark = pytest.mark.site


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        """textContent, minus the permalink anchors the toc extension adds."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif "headerlink" not in child.classes():
                parts.append(child.text())
        return "".join(parts)

    def find_all(self, predicate) -> list[Node]:
        found = [self] if predicate(self) else []
        for child in self.children:
            if isinstance(child, Node):
                found += child.find_all(predicate)
        return found


VOID = {"meta", "link", "img", "br", "hr", "input", "source", "wbr", "area", "base"}


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(path: Path) -> Node:
    builder = TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    return builder.root


def squash(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Page:
    path: Path
    dom: Node

    def first(self, predicate) -> Node | None:
        found = self.dom.find_all(predicate)
        return found[0] if found else None

    def json_ld(self) -> list[dict]:
        scripts = self.dom.find_all(
            lambda n: n.tag == "script" and n.attrs.get("type") == "application/ld+json"
        )
        return [json.loads(s.text()) for s in scripts]

    def meta_description(self) -> str | None:
        node = self.first(
            lambda n: n.tag == "meta" and n.attrs.get("name") == "description"
        )
        return node.attrs["content"] if node else None

    def h1(self) -> str:
        headings = self.dom.find_all(lambda n: n.tag == "h1")
        assert len(headings) == 1, f"{self.path}: {len(headings)} <h1> elements"
        return squash(headings[0].text())

    def in_short(self) -> str:
        box = self.first(
            lambda n: n.tag == "div" and {"admonition", "abstract"} <= n.classes()
        )
        assert box is not None, f"{self.path}: no visible 'In short' answer"
        paragraphs = box.find_all(
            lambda n: n.tag == "p" and "admonition-title" not in n.classes()
        )
        return squash(" ".join(p.text() for p in paragraphs))


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per session exactly as `make build` builds it."""
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    assert "WARNING" not in result.stderr, result.stderr
    return out


def built_page(site: Path, source: Path) -> Page:
    relative = source.relative_to(ROOT / "docs").with_suffix("")
    path = site / relative / "index.html"
    if relative.name == "index":
        path = site / relative.parent / "index.html"
    return Page(path, parse(path))


QUESTION_PAGES = question_pages(ROOT)
OTHER_PAGES = sorted(set((ROOT / "docs").rglob("*.md")) - set(QUESTION_PAGES))


def page_id(path: Path) -> str:
    return path.relative_to(ROOT / "docs").as_posix()


@pytest.mark.parametrize("source", QUESTION_PAGES, ids=page_id)
def test_question_page_has_one_faqpage_matching_what_readers_see(
    site: Path, source: Path
):
    page = built_page(site, source)
    _, meta = read_page(source)
    blocks = page.json_ld()
    assert [b.get("@type") for b in blocks] == ["FAQPage"], f"{source}: {blocks}"
    (question,) = blocks[0]["mainEntity"]
    assert question["@type"] == "Question"
    assert question["name"] == page.h1() == meta["title"]
    answer = question["acceptedAnswer"]
    assert answer["@type"] == "Answer"
    assert answer["text"] == page.in_short(), (
        f"{source}: JSON-LD answer != visible answer"
    )
    assert page.meta_description() == answer["text"], f"{source}: meta description"
    title = page.first(lambda n: n.tag == "title")
    assert title is not None
    assert squash(title.text()).startswith(meta["title"])


@pytest.mark.parametrize("source", OTHER_PAGES, ids=page_id)
def test_index_pages_carry_no_faqpage(site: Path, source: Path):
    assert built_page(site, source).json_ld() == []


def test_no_question_is_asked_twice(site: Path):
    names = [
        built_page(site, source).json_ld()[0]["mainEntity"][0]["name"]
        for source in QUESTION_PAGES
    ]
    assert len(names) == len(set(names))


def test_search_index_holds_each_short_answer(site: Path):
    index = json.loads(
        (site / "search" / "search_index.json").read_text(encoding="utf-8")
    )
    text_by_page: dict[str, str] = {}
    for doc in index["docs"]:
        location = doc["location"].split("#")[0]
        text_by_page[location] = text_by_page.get(location, "") + " " + doc["text"]
    for source in QUESTION_PAGES:
        answer = built_page(site, source).in_short()
        location = page_id(source).removesuffix(".md") + "/"
        indexed = squash(HTMLText.strip(text_by_page.get(location, "")))
        assert answer in indexed, (
            f"{source}: short answer missing from the search index"
        )


class HTMLText(HTMLParser):
    """The text of an HTML fragment (the search index stores answers as HTML)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @classmethod
    def strip(cls, fragment: str) -> str:
        parser = cls()
        parser.feed(fragment)
        return "".join(parser.parts)


SITE_URL = "https://asyncio-recipes.github.io/"
ALL_PAGES = sorted((ROOT / "docs").rglob("*.md"))


def public_url(source: Path) -> str:
    relative = source.relative_to(ROOT / "docs").with_suffix("").as_posix()
    relative = relative.removesuffix("index")
    return SITE_URL + (
        relative + "/" if relative and not relative.endswith("/") else relative
    )


def test_sitemap_lists_every_page(site: Path):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    assert listed == {public_url(p) for p in ALL_PAGES}


def test_robots_txt_allows_crawling_and_names_the_sitemap(site: Path):
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Allow: /" in robots
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots


@pytest.mark.parametrize("source", ALL_PAGES, ids=page_id)
def test_page_has_canonical_and_social_cards(site: Path, source: Path):
    page = built_page(site, source)

    def meta(attr: str, name: str) -> str | None:
        node = page.first(lambda n: n.tag == "meta" and n.attrs.get(attr) == name)
        return node.attrs.get("content") if node else None

    canonical = page.first(
        lambda n: n.tag == "link" and n.attrs.get("rel") == "canonical"
    )
    assert canonical is not None
    assert canonical.attrs["href"] == public_url(source)
    description = page.meta_description()
    assert description
    assert meta("property", "og:description") == description
    assert meta("name", "twitter:description") == description
    assert meta("property", "og:url") == public_url(source)
    title = meta("property", "og:title")
    assert title
    assert meta("name", "twitter:title") == title
    assert meta("name", "twitter:card") == "summary"
    if source in QUESTION_PAGES:
        assert title == read_page(source)[1]["title"]


def test_404_page_helps_the_reader_on(site: Path):
    page = Page(site / "404.html", parse(site / "404.html"))
    assert page.h1() == "This page does not exist"
    links = {a.attrs.get("href", "") for a in page.dom.find_all(lambda n: n.tag == "a")}
    topics = [
        p for p in OTHER_PAGES if p.name == "index.md" and p.parent != ROOT / "docs"
    ]
    for topic in topics:
        assert any(href.endswith(f"/{topic.parent.name}/") for href in links), topic


CHART_PAGES = [page for page in QUESTION_PAGES if "charts" in read_page(page)[1]]


def test_the_file_io_page_has_a_chart():
    # The issue asks for a plot on this page: losing its front matter must fail.
    assert ROOT / "docs/storage/file-io.md" in CHART_PAGES


@pytest.mark.parametrize("source", CHART_PAGES, ids=page_id)
def test_charts_draw_the_figures_the_output_printed(site: Path, source: Path):
    """Each bar is one matching line of the captured output: same label, same digits,
    and a length proportional to its value (so the picture cannot exaggerate)."""
    recipe = Recipe.from_path(source)
    specs = recipe.meta["charts"]
    printed = recipe.base_output.read_text(encoding="utf-8").splitlines()
    svgs = built_page(site, source).dom.find_all(lambda n: "chart" in n.classes())
    assert len(svgs) == len(specs)
    for spec, svg in zip(specs, svgs, strict=True):
        pattern = re.compile(spec["values"])
        matches = [m for m in map(pattern.search, printed) if m]
        expected = [(m["label"].strip(), m["value"] + spec["unit"]) for m in matches]
        texts = [n.text() for n in svg.find_all(lambda n: n.tag == "text")]
        assert list(zip(texts[::2], texts[1::2], strict=True)) == expected
        bars = [
            float(n.attrs["width"]) for n in svg.find_all(lambda n: n.tag == "rect")
        ]
        values = [float(m["value"]) for m in matches]
        scale = max(bars) / max(values)
        for bar, value in zip(bars, values, strict=True):
            assert bar == pytest.approx(value * scale, abs=0.1)
        assert svg.find_all(lambda n: n.tag == "title")[0].text() == spec["title"]


@pytest.mark.parametrize("source", QUESTION_PAGES, ids=page_id)
def test_every_code_block_is_reachable_by_keyboard(site: Path, source: Path):
    """Blocks that scroll sideways on a narrow screen must take focus (axe
    scrollable-region-focusable); the HTML makes them all focusable, script or not."""
    page = built_page(site, source)
    blocks = [
        child
        for pre in page.dom.find_all(lambda n: n.tag == "pre")
        for child in pre.children
        if isinstance(child, Node) and child.tag == "code"
    ]
    assert blocks, f"{source}: no code block to check"
    assert {code.attrs.get("tabindex") for code in blocks} == {"0"}


def test_home_page_names_every_supported_python(site: Path):
    home = squash(built_page(site, ROOT / "docs/index.md").dom.text())
    versions = ", ".join(SUPPORTED[:-1]) + f" and {SUPPORTED[-1]}"
    assert f"run by its tests on Python {versions}, both in-process" in home


@pytest.mark.parametrize("source", QUESTION_PAGES, ids=page_id)
def test_every_python_s_output_is_shown_under_its_own_label(site: Path, source: Path):
    """One output for every version: one Output block, no tabs. Where versions print
    differently: a tab per range of versions, holding that range's captured file."""
    recipe = Recipe.from_path(source)
    variants = recipe.variants()
    page = built_page(site, source)
    tabs = page.dom.find_all(lambda n: "tabbed-set" in n.classes())
    if len(variants) == 1:
        assert not tabs
        return
    assert len(tabs) == 1, f"{source}: {len(tabs)} tab sets for {len(variants)} outputs"
    labels = [n.text() for n in tabs[0].find_all(lambda n: n.tag == "label")]
    assert labels == HOOK.variant_labels(list(variants), recipe.requires)
    blocks = tabs[0].find_all(lambda n: "tabbed-block" in n.classes())
    shown = [b.find_all(lambda n: n.tag == "code")[0].text() for b in blocks]
    assert shown == [p.read_text(encoding="utf-8") for p in variants.values()]


SERVE_TWICE = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

for i, out in enumerate(sys.argv[1:]):
    config = load_config("mkdocs.yml", site_dir=out)
    if i == 0:
        config.plugins.on_startup(command="serve", dirty=False)
    build(config)
print(sys.modules["serve_cache"].ACTIVE.hits)
"""


def test_a_rebuild_while_serving_is_the_site_a_fresh_build_makes(
    site: Path, tmp_path: Path
):
    """`mkdocs serve` reuses the previous build's pages (overrides/hooks/
    serve_cache.py): its second build, made from that cache, must equal `mkdocs
    build` file for file."""
    first, second = tmp_path / "first", tmp_path / "second"
    result = subprocess.run(
        [sys.executable, "-c", SERVE_TWICE, str(first), str(second)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # Every page of the second build came from the cache.
    assert int(result.stdout.split()[-1]) == len(ALL_PAGES)
    fresh = {
        p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()
    }
    cached = {
        p.relative_to(second): p.read_bytes() for p in second.rglob("*") if p.is_file()
    }
    assert sorted(cached) == sorted(fresh)
    differ = [str(name) for name in fresh if fresh[name] != cached[name]]
    assert not differ, f"served rebuild differs from a fresh build in {differ[:10]}"


def site_url() -> str:
    return str(yaml_config()["site_url"])


def yaml_config() -> dict:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    return {
        key: value.strip()
        for key, _, value in (
            line.partition(":") for line in text.splitlines() if line[:1].isalpha()
        )
    }


def page_url(source: Path) -> str:
    relative = source.relative_to(ROOT / "docs").with_suffix("").as_posix()
    return (
        relative.removesuffix("index") if relative.endswith("index") else relative + "/"
    )


LLMS_LINE = re.compile(r"^- \[(?P<title>[^\]]+)\]\((?P<url>[^)]+)\): (?P<answer>.+)$")


def test_llms_txt_lists_every_question_with_the_answer_readers_see(site: Path):
    text = (site / "llms.txt").read_text(encoding="utf-8")
    assert text.startswith("# asyncio recipes\n\n> ")
    listed = {
        m["url"]: (m["title"], m["answer"])
        for m in map(LLMS_LINE.match, text.splitlines())
        if m and m["url"].endswith("/index.md")
    }
    expected = {}
    for source in QUESTION_PAGES:
        page = built_page(site, source)
        url = f"{site_url()}{page_url(source)}index.md"
        expected[url] = (page.h1(), page.in_short())
    assert listed == expected
    # Grouped by topic, in the order of the site's navigation.
    assert text.count("\n## ") == len(list((ROOT / "docs").glob("*/index.md")))


@pytest.mark.parametrize("source", QUESTION_PAGES, ids=page_id)
def test_each_question_page_is_published_as_markdown_with_its_recipe_inlined(
    site: Path, source: Path
):
    recipe = Recipe.from_path(source)
    page = built_page(site, source)
    markdown = (site / page_url(source) / "index.md").read_text(encoding="utf-8")
    assert markdown.startswith(f"# {page.h1()}\n\n**In short:** {page.in_short()}\n")
    assert "--8<--" not in markdown.replace("# --8<-- [", "")
    assert not re.search(r"\]\((?!https?://|#)[^)]*\)", markdown), "relative link"
    body, _ = read_page(source)
    for name, section in re.findall(r'--8<-- "([^":]+\.py):([\w-]+)"', body):
        script = (ROOT / "snippets" / name).read_text(encoding="utf-8")
        start = script.index(f"[start:{section}]")
        first_line = script[start:].splitlines()[1]
        assert first_line in markdown, f"section {section} of {name}"
    for path in recipe.variants().values():
        assert path.read_text(encoding="utf-8").strip() in markdown
    # The HTML names its Markdown twin.
    assert page.first(
        lambda n: (
            n.tag == "link"
            and n.attrs.get("rel") == "alternate"
            and n.attrs.get("type") == "text/markdown"
            and n.attrs.get("href") == "index.md"
        )
    )


def test_llms_full_txt_holds_every_question_page(site: Path):
    full = (site / "llms-full.txt").read_text(encoding="utf-8")
    for source in QUESTION_PAGES:
        markdown = (site / page_url(source) / "index.md").read_text(encoding="utf-8")
        assert markdown.rstrip() in full, source


def last_commit_day(paths: list[Path]) -> str:
    """The newest commit date of these files, asked of git one file at a time; a
    file git does not know counts as changed today."""
    days = []
    for path in paths:
        day = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", str(path.relative_to(ROOT))],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        days.append(day or date.today().isoformat())
    return max(days)


def test_sitemap_dates_each_page_by_the_last_change_of_its_files(site: Path):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    lastmods = dict(
        re.findall(r"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap)
    )
    sample = QUESTION_PAGES[:: max(1, len(QUESTION_PAGES) // 12)]
    for source in sample:
        recipe = Recipe.from_path(source)
        files = [
            source,
            recipe.snippet,
            *recipe.variants().values(),
            *(recipe.variants(".svg").values() if recipe.wants_timeline else []),
        ]
        expected = last_commit_day([p for p in files if p.exists()])
        assert lastmods[f"{site_url()}{page_url(source)}"] == expected, source
    home = f"{site_url()}"
    assert lastmods[home] == last_commit_day([ROOT / "docs/index.md"])
