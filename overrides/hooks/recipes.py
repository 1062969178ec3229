"""MkDocs hook: turn a question page's front matter into its visible header.

A question page (``docs/<topic>/<slug>.md``) states its question (``title``) and its
short answer (``answer``) once, in front matter. This hook renders both at the top of
the page (H1 + "In short"), appends the Python version line, and stores the plain-text
answer in ``page.meta`` for ``<meta name="description">`` and the FAQPage JSON-LD in
``overrides/main.html``. One source, so the four places cannot disagree.

A page with ``timeline: true`` also shows the timeline of its recipe's run (the SVG
that ``make outputs`` writes next to its output, tests/timeline.py) at the end of its
"Output" section, inline so that the site's colour scheme styles it. A page with
``charts:`` shows bar charts of its recipe's printed figures there too (charts.py).

Authoring mistakes stop the build with a message naming the file.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import charts
import llms
import markdown
import serve_cache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils.meta import get_data

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets"
RECIPE_HEADING = re.compile(r"^## Recipe[ \t]*$", re.MULTILINE)
SUPPORTED = ("3.11", "3.12", "3.13", "3.14", "3.15")
MIN_SENTENCES, MAX_SENTENCES = 2, 4
# A sentence ends at . ! or ? followed by whitespace or the end ("e.g." never appears
# in answers: write "for example").
SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?:\s|$)")
TAG = re.compile(r"<[^>]+>")
INLINE_CODE = re.compile(r"`[^`]*`")


def is_question_page(src_uri: str) -> bool:
    """Question pages live one folder deep; index pages are topic overviews."""
    parts = src_uri.split("/")
    return len(parts) == 2 and parts[1] != "index.md"


def plain_text(answer_markdown: str) -> str:
    """The answer as a browser shows it: rendered, tags stripped, entities decoded."""
    rendered = markdown.markdown(answer_markdown)
    return " ".join(html.unescape(TAG.sub("", rendered)).split())


def count_sentences(answer_markdown: str) -> int:
    prose = INLINE_CODE.sub("code", answer_markdown)
    return len(SENTENCE_END.findall(prose.strip()))


def page_problems(meta: dict[str, Any], body: str) -> list[str]:
    """Everything wrong with a question page's front matter and body, in words."""
    problems = []
    if not str(meta.get("title", "")).strip().endswith("?"):
        problems.append("front matter needs `title:` holding the question (ends in ?)")
    if re.search(r"[`*<>\[]", str(meta.get("title", ""))):
        problems.append("`title:` is plain text: no Markdown or HTML in the question")
    answer = str(meta.get("answer", "")).strip()
    if not answer:
        problems.append("front matter needs `answer:` holding the short answer")
    elif not MIN_SENTENCES <= count_sentences(answer) <= MAX_SENTENCES:
        problems.append(
            f"`answer:` must be {MIN_SENTENCES}-{MAX_SENTENCES} sentences,"
            f" found {count_sentences(answer)}"
        )
    requires = str(meta.get("requires", SUPPORTED[0]))
    if requires not in SUPPORTED:
        problems.append(f"`requires: {requires}` is not one of {', '.join(SUPPORTED)}")
    if re.search(r"^# ", body, flags=re.MULTILINE):
        problems.append("remove the H1: it is written from `title:`")
    if meta.get("timeline", True) is not True:
        problems.append("`timeline:` is `true` or absent")
    elif meta.get("timeline") and meta.get("clock") == "real":
        problems.append("`timeline: true` needs the virtual clock: drop `clock: real`")
    return problems


def version_line(requires: str) -> str:
    tested = ", ".join(v for v in SUPPORTED if v >= requires)
    lead = "Works on" if requires == SUPPORTED[0] else "Requires"
    return f'<p class="python-version" markdown>**{lead} Python {requires}+.** ' + (
        f"Recipe and claims tested on Python {tested}.</p>"
    )


@dataclass(frozen=True)
class Topic:
    folder: str
    title: str
    pages: list[tuple[str, str]]  # (src_uri, question) in the index's order


LINK = re.compile(r"\]\(([\w-]+\.md)(?:#[^)]*)?\)")
TOPICS: list[Topic] = []  # filled by on_config; read when the home page renders
QUESTIONS_MARK = "<!-- questions -->"
VERSIONS_MARK = "<!-- supported-versions -->"


def spoken_list(items: tuple[str, ...] | list[str]) -> str:
    """ "3.11, 3.12 and 3.13"."""
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else items[0]


def read_topic(docs: Path, folder: str) -> Topic:
    """A topic's pages, in the order its index.md first links to them; every page in
    the folder must be linked from there, so nothing is unreachable or left out."""
    index = docs / folder / "index.md"
    body, meta = get_data(index.read_text(encoding="utf-8"))
    order = list(dict.fromkeys(LINK.findall(body)))
    present = {p.name for p in (docs / folder).glob("*.md")} - {"index.md"}
    missing = sorted(present - set(order))
    if missing:
        raise PluginError(
            f"docs/{folder}/index.md: does not link to {', '.join(missing)}"
        )
    pages = []
    for name in (n for n in order if n in present):
        _, page_meta = get_data((docs / folder / name).read_text(encoding="utf-8"))
        pages.append((f"{folder}/{name}", str(page_meta.get("title", name))))
    return Topic(folder, str(meta.get("title", folder)), pages)


def on_startup(command: str, **_: Any) -> None:
    """Quick reloads while serving (serve_cache.py); a build always starts afresh."""
    if command == "serve":
        serve_cache.ServeCache(SNIPPETS).install()


def on_env(env: Any, **_: Any) -> Any:
    if serve_cache.ACTIVE is not None:
        env.bytecode_cache = serve_cache.ACTIVE.templates
    return env


QUESTIONS: dict[str, llms.QuestionPage] = {}  # by src_uri, for llms.txt (on_post_build)
LAST_CHANGES: dict[str, str] = {}  # path -> date of its last commit, for sitemap.xml


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Expand each `<topic>/index.md` nav entry into a section of the topic's pages."""
    QUESTIONS.clear()
    LAST_CHANGES.clear()
    LAST_CHANGES.update(llms.last_changes())
    docs = Path(config.docs_dir)
    nav: list[Any] = []
    TOPICS.clear()
    for entry in config.nav or []:
        if isinstance(entry, str) and re.fullmatch(r"[\w-]+/index\.md", entry):
            topic = read_topic(docs, entry.split("/")[0])
            TOPICS.append(topic)
            # The index gets its own nav entry ("Overview"): a section label that is
            # also a link leaves the section's <nav> without an accessible name.
            pages = [{"Overview": entry}, *(uri for uri, _ in topic.pages)]
            nav.append({topic.title: pages})
        else:
            nav.append(entry)
    config.nav = nav
    return config


def questions_by_topic() -> str:
    """The home page's list of every question, grouped by topic."""
    lines = []
    for topic in TOPICS:
        lines += ["", f"## [{topic.title}]({topic.folder}/index.md)", ""]
        lines += [f"- [{question}]({uri})" for uri, question in topic.pages]
    return "\n".join(lines) + "\n"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Publish every recipe as a file readers can download whole, beside the pages."""
    for script in sorted(SNIPPETS.glob("*/*.py")):
        src_uri = f"snippets/{script.parent.name}/{script.name}"
        files.append(File.generated(config, src_uri, abs_src_path=str(script)))
    return files


def snippet_file(src_uri: str, suffix: str) -> Path:
    """The file beside a page's recipe: ``docs/<topic>/<kebab-slug>.md`` ->
    ``snippets/<topic>/<snake_slug><suffix>``."""
    topic, page = src_uri.removesuffix(".md").split("/")
    return SNIPPETS / topic / f"{page.replace('-', '_')}{suffix}"


VERSION_SUFFIX = re.compile(r"\.(3\.\d+)$")


def minor(version: str) -> tuple[int, int]:
    major, minor_ = version.split(".")
    return int(major), int(minor_)


def variant_files(folder: Path, slug: str, suffix: str, oldest: str) -> dict[str, Path]:
    """A recipe's captured files of one kind (``.out``, ``.svg``) by the Python
    version they hold from, oldest first: ``<slug><suffix>`` from ``oldest`` on, and
    ``<slug>.3.14<suffix>`` from 3.14 on where that version prints something else."""
    found = {oldest: folder / f"{slug}{suffix}"}
    for path in folder.glob(f"{slug}.3.*{suffix}"):
        match = VERSION_SUFFIX.search(path.name.removesuffix(suffix))
        # A file for the oldest version or before it is a stray (the contract test
        # names it): the plain file holds that version.
        if match and minor(match[1]) > minor(oldest):
            found[match[1]] = path
    return dict(sorted(found.items(), key=lambda item: minor(item[0])))


def version_range(versions: list[str]) -> str:
    if len(versions) == 1:
        return versions[0]
    return f"{versions[0]}\N{EN DASH}{versions[-1]}"


def variant_labels(sinces: list[str], requires: str) -> list[str]:
    """The tab label of each variant: the supported versions it covers, from its own
    up to the next variant's ("Python 3.11" to "3.13", then "3.14" to "3.15")."""
    labels = []
    for i, since in enumerate(sinces):
        until = minor(sinces[i + 1]) if i + 1 < len(sinces) else (99, 0)
        covered = [
            v
            for v in SUPPORTED
            if minor(max(since, requires, key=minor)) <= minor(v) < until
        ]
        labels.append(version_range(covered))
    # "Python" on the first tab only: four full labels overflow a phone's width, and
    # tab labels that scroll sideways hide versions from the reader.
    return [f"Python {labels[0]}", *labels[1:]]


OUTPUT_FENCE = re.compile(
    r'^(?P<fence>`{3,}) ?text\n--8<-- "(?P<path>[\w/]+)\.out"\n(?P=fence)[ \t]*$',
    re.MULTILINE,
)


def with_output_per_version(body: str, src_uri: str, requires: str) -> str:
    """Where a recipe prints something else on some Pythons, its Output section shows
    one tab per range of versions, each holding what a run on those versions printed."""
    script = snippet_file(src_uri, ".py")
    variants = variant_files(script.parent, script.stem, ".out", requires)
    if len(variants) == 1:
        return body
    labels = variant_labels(list(variants), requires)

    def tabs(match: re.Match[str]) -> str:
        blocks = []
        for label, path in zip(labels, variants.values(), strict=True):
            include = f"{script.parent.name}/{path.name}"
            blocks.append(
                f'=== "{label}"\n\n    ``` text\n    --8<-- "{include}"\n    ```\n'
            )
        return "\n".join(blocks)

    return OUTPUT_FENCE.sub(tabs, body, count=1)


def download_line(src_uri: str) -> str:
    """Under "## Recipe": a link to the whole script, named after its file."""
    script = snippet_file(src_uri, ".py")
    return (
        f"[:material-download: Download {script.name}]"
        f"(../snippets/{script.parent.name}/{script.name})"
        "{ .download } : the whole script, ready to run."
    )


SECTION_MARKER = re.compile(r"-+8<-+[ \t]+\[(?:start|end):")
OUTPUT_HEADING = re.compile(r"^## Output[ \t]*$", re.MULTILINE)


def whole_script(src_uri: str) -> str:
    """Before "## Output": the script file exactly as it is on disk (section markers
    and all), collapsed, so its copy button gives the reader the very file the tests
    ran. (pymdownx.snippets drops marker lines when it includes a whole file.)
    Plain text: the page already shows the same code highlighted, and highlighting
    the copy as well took about 40% of the build's time and of a page's elements."""
    script = snippet_file(src_uri, ".py")
    # pymdownx.snippets deletes section-marker lines from a page; a leading ";"
    # escapes them, and the extension removes that ";" again.
    code = SECTION_MARKER.sub(r";\g<0>", script.read_text(encoding="utf-8"))
    return (
        f'<details class="example whole-script" markdown>\n'
        f"<summary>The whole script: {script.name}</summary>\n\n"
        f"``` text\n{code}```\n\n</details>\n\n"
    )


SECTION_AFTER_OUTPUT = re.compile(r"^## Output[ \t]*$.*?(?=^## |\Z)", re.M | re.S)
TIMELINE_CAPTION = (
    "The run above on the event loop's clock: one lane per coroutine of the recipe,"
    " from its first step to its end; a dot is a printed line (hover for its text)."
)


def at_end_of_output(body: str, html_block: str) -> str:
    """The page with ``html_block`` appended to its "## Output" section."""
    return SECTION_AFTER_OUTPUT.sub(
        lambda m: m.group(0).rstrip() + "\n\n" + html_block, body, count=1
    )


def with_timeline(body: str, src_uri: str) -> str:
    """The page with its run's timeline at the end of "## Output"."""
    svg_path = snippet_file(src_uri, ".svg")
    if not svg_path.exists():
        raise PluginError(
            f"docs/{src_uri}: says `timeline: true` but snippets/"
            f"{svg_path.parent.name}/{svg_path.name} is missing: run `make outputs`"
        )
    svg = svg_path.read_text(encoding="utf-8").strip()
    return at_end_of_output(
        body,
        f'<figure class="timeline">\n{svg}\n'
        f"<figcaption>{TIMELINE_CAPTION}</figcaption>\n</figure>\n\n",
    )


def with_charts(body: str, src_uri: str, specs: Any) -> str:
    """The page with bar charts of its recipe's printed figures (charts.py) at the
    end of "## Output", after the timeline if it has one."""
    output = snippet_file(src_uri, ".out")
    if not output.exists():
        raise PluginError(f"docs/{src_uri}: has `charts:` but {output.name} is missing")
    stem = src_uri.removesuffix(".md").replace("/", "-")
    drawn = charts.figures(
        specs, output.read_text(encoding="utf-8"), f"docs/{src_uri}", stem
    )
    return at_end_of_output(body, drawn)


def on_page_markdown(
    markdown_text: str, page: Any, config: MkDocsConfig, **_: Any
) -> str:
    src_uri = page.file.src_uri
    script = snippet_file(src_uri, ".py") if is_question_page(src_uri) else None
    page.update_date = llms.lastmod(
        llms.source_files(src_uri, script), LAST_CHANGES, page.update_date
    )
    if page.file.src_uri == "index.md":
        text = markdown_text.replace(QUESTIONS_MARK, questions_by_topic())
        return text.replace(VERSIONS_MARK, spoken_list(SUPPORTED))
    if not is_question_page(page.file.src_uri):
        return markdown_text
    problems = page_problems(page.meta, markdown_text)
    if problems:
        raise PluginError(f"docs/{page.file.src_uri}: " + "; ".join(problems))
    answer = str(page.meta["answer"]).strip()
    requires = str(page.meta.get("requires", SUPPORTED[0]))
    # Escaped once here: base.html writes it into an attribute without escaping.
    page.meta["description"] = html.escape(plain_text(answer))
    page.meta["faq"] = {"question": page.meta["title"], "answer": plain_text(answer)}
    in_short = textwrap.indent(answer, "    ")
    header = f'# {page.meta["title"]}\n\n!!! abstract "In short"\n\n{in_short}\n\n'
    body = RECIPE_HEADING.sub(
        lambda m: f"{m.group(0)}\n\n{download_line(page.file.src_uri)}\n",
        markdown_text,
        count=1,
    )
    body = OUTPUT_HEADING.sub(
        lambda m: whole_script(page.file.src_uri) + m.group(0), body, count=1
    )
    body = with_output_per_version(body, page.file.src_uri, requires)
    QUESTIONS[src_uri] = llms.QuestionPage(
        src_uri=src_uri,
        url=page.url,
        title=str(page.meta["title"]),
        answer=plain_text(answer),
        markdown=llms.page_markdown(
            str(page.meta["title"]),
            plain_text(answer),
            llms.absolute_links(
                with_output_per_version(markdown_text, src_uri, requires),
                src_uri,
                config.site_url or "/",
            ),
            TAG.sub("", version_line(requires)),
            SNIPPETS,
        ),
        version_line=TAG.sub("", version_line(requires)),
    )
    if page.meta.get("timeline"):
        body = with_timeline(body, page.file.src_uri)
    if "charts" in page.meta:
        body = with_charts(body, page.file.src_uri, page.meta["charts"])
    return f"{header}{body.rstrip()}\n\n{version_line(requires)}\n"


# Code, the whole-script copy and timelines stay out of the search index: it is
# fetched by every page, and code would make it several times larger while the prose
# around each block already names what the code uses.
UNSEARCHED = re.compile(
    r'<(div class="[^"]*\bhighlight\b[^"]*"|details class="[^"]*\bwhole-script\b[^"]*"'
    r'|figure class="timeline")'
)


# A code block that scrolls sideways must be reachable by keyboard (axe
# scrollable-region-focusable). Which ones scroll depends on the reader's screen, so
# every block is focusable, from the HTML on: no script has to measure them first.
CODE_IN_PRE = re.compile(r"(<pre\b[^>]*>(?:<span></span>)?)<code>")


def on_page_content(html_text: str, **_: Any) -> str:
    html_text = CODE_IN_PRE.sub(r'\1<code tabindex="0">', html_text)
    return UNSEARCHED.sub(r"<\1 data-search-exclude", html_text)


# The theme writes autocomplete="off" on its checkbox toggles (drawer, search), which
# HTML allows only on text-like inputs: the W3C checker flags two errors a page.
# partials/lazy-theme.js closes those toggles on load instead.
CHECKBOX_AUTOCOMPLETE = re.compile(
    r'(<input\b[^>]*\btype="checkbox"[^>]*?) autocomplete="off"'
)


def valid_html(output: str) -> str:
    return CHECKBOX_AUTOCOMPLETE.sub(r"\1", output)


def on_post_build(config: MkDocsConfig) -> None:
    """llms.txt, llms-full.txt and every question page as Markdown beside its HTML."""
    site = Path(config.site_dir)
    site_url = config.site_url or "/"
    topics, ordered = [], []
    for topic in TOPICS:
        pages = [QUESTIONS[uri] for uri, _ in topic.pages if uri in QUESTIONS]
        topics.append((topic.title, f"{topic.folder}/", pages))
        ordered += pages
    for page in ordered:
        (site / page.url / "index.md").write_text(page.markdown, encoding="utf-8")
    description = " ".join(str(config.site_description or "").split())
    (site / "llms.txt").write_text(
        llms.llms_txt(config.site_name, description, site_url, topics), encoding="utf-8"
    )
    (site / "llms-full.txt").write_text(
        llms.llms_full_txt(config.site_name, ordered, site_url), encoding="utf-8"
    )


def on_post_page(output: str, **_: Any) -> str:
    return valid_html(output)


def on_post_template(output_content: str, **_: Any) -> str:
    return valid_html(output_content)
