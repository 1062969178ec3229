"""Plain-text copies of the site for search engines and AI assistants.

- ``<page>/index.md`` beside every question page's HTML: the question, the short answer
  and the page's Markdown with every include resolved (the recipe's code and its
  captured output, one block per range of Python versions where they differ).
- ``/llms.txt`` (llmstxt.org): the site, then every question linked with its short
  answer, grouped by topic; ``/llms-full.txt``: every question page in full.
- ``lastmod`` dates for ``sitemap.xml``: the last commit that changed a page, its
  recipe or its captured output (git), so a crawler knows what changed.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INCLUDE_LINE = re.compile(
    r'^(?P<indent>[ \t]*)--8<--[ \t]+"(?P<name>[^"]+)"[ \t]*$', re.M
)
SECTION = re.compile(r"^\s*#\s*-+8<-+\s+\[(start|end):([\w-]+)\]\s*$")


@dataclass(frozen=True)
class QuestionPage:
    src_uri: str  # tasks/gather.md
    url: str  # tasks/gather/
    title: str
    answer: str  # plain text, as the page shows it
    markdown: str  # the page as Markdown, includes resolved
    version_line: str


def section_lines(text: str, section: str | None) -> list[str]:
    """A snippet file's lines, or one named section of it, without marker lines."""
    lines, inside = [], section is None
    for line in text.splitlines():
        marker = SECTION.match(line)
        if marker:
            if marker[2] == section:
                inside = marker[1] == "start"
            continue
        if inside:
            lines.append(line)
    return lines


def resolve_includes(markdown: str, snippets: Path) -> str:
    """Every ``--8<-- "file[:section]"`` line replaced by what it includes."""

    def include(match: re.Match[str]) -> str:
        name, _, section = match["name"].partition(":")
        text = (snippets / name).read_text(encoding="utf-8")
        lines = section_lines(text, section or None)
        return "\n".join(f"{match['indent']}{line}".rstrip() for line in lines)

    return INCLUDE_LINE.sub(include, markdown)


TAB = re.compile(r'^=== "(?P<label>[^"]+)"\n\n(?P<body>(?:    .*\n|\n)+)', re.M)


def untabbed(markdown: str) -> str:
    """Content tabs (the output per Python version) as labelled blocks."""

    def block(match: re.Match[str]) -> str:
        body = "\n".join(line[4:] for line in match["body"].splitlines())
        label = match["label"].removeprefix("Python ")
        return f"Output on Python {label}:\n\n{body.strip()}\n\n"

    return TAB.sub(block, markdown)


HTML_BLOCK = re.compile(r"^<(details|figure)\b.*?^</\1>\n*", re.M | re.S)


LINK = re.compile(r"\]\((?P<target>[\w./-]+\.md)(?P<anchor>#[^)]*)?\)")


def absolute_links(markdown: str, src_uri: str, site_url: str) -> str:
    """Links between pages as the site's addresses: the Markdown copy lives at
    another path than its source, so relative links would lead nowhere."""
    folder = Path(src_uri).parent

    def absolute(match: re.Match[str]) -> str:
        target = Path(*[p for p in (folder / match["target"]).parts if p])
        parts: list[str] = []
        for part in target.parts:
            if part == "..":
                if parts:
                    parts.pop()
            else:
                parts.append(part)
        path = "/".join(parts).removesuffix(".md")
        path = path.removesuffix("index") if path.endswith("index") else path + "/"
        return f"]({site_url}{path}{match['anchor'] or ''})"

    return LINK.sub(absolute, markdown)


def page_markdown(
    title: str, answer: str, body: str, version_line: str, snippets: Path
) -> str:
    """The question page as one Markdown document."""
    body = HTML_BLOCK.sub("", untabbed(resolve_includes(body, snippets)))
    return f"# {title}\n\n**In short:** {answer}\n\n{body.strip()}\n\n{version_line}\n"


def llms_txt(
    site_name: str,
    description: str,
    site_url: str,
    topics: list[tuple[str, str, list[QuestionPage]]],
) -> str:
    lines = [f"# {site_name}", "", f"> {description}", ""]
    lines += [
        "Each question links to its page as Markdown: the short answer, a complete"
        " recipe, the output it printed and the Python versions it was tested on.",
    ]
    for title, index_url, pages in topics:
        lines += ["", f"## {title}", ""]
        lines += [
            f"- [{page.title}]({site_url}{page.url}index.md): {page.answer}"
            for page in pages
        ]
        lines.append(f"- [All {title} questions]({site_url}{index_url})")
    return "\n".join(lines) + "\n"


def llms_full_txt(site_name: str, pages: list[QuestionPage], site_url: str) -> str:
    parts = [f"# {site_name}: every question in full\n"]
    parts += [
        f"{page.markdown.rstrip()}\n\nSource: {site_url}{page.url}\n" for page in pages
    ]
    return "\n---\n\n".join(parts)


def last_changes(root: Path = ROOT) -> dict[str, str]:
    """Each tracked path's last commit date (YYYY-MM-DD), from one `git log`."""
    try:
        log = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--no-renames"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}  # not a git checkout: sitemap dates fall back to the build date
    dates: dict[str, str] = {}
    for commit in log.split("\0")[1:]:
        day, *paths = commit.strip().splitlines()
        for path in paths:
            dates.setdefault(path.strip(), day)
    return dates


def lastmod(
    paths: list[str], dates: dict[str, str], fallback: str | None = None
) -> str:
    """The newest last-change date of a page's files; a file git does not know yet
    (new, uncommitted) counts as changed today."""
    today = fallback or date.today().isoformat()
    return max(dates.get(path, today) for path in paths)


def source_files(src_uri: str, script: Path | None, root: Path = ROOT) -> list[str]:
    """A page and, for a question page, its recipe and captured files (all versions)."""
    paths = [f"docs/{src_uri}"]
    if script is not None and script.exists():
        for path in sorted(script.parent.glob(f"{script.stem}.*")):
            if path.name.split(".")[0] == script.stem:
                paths.append(path.relative_to(root).as_posix())
    return paths
