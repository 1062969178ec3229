"""`mkdocs serve` only: reuse the work of the previous build for pages that did not change.

Every edit makes `mkdocs serve` build the whole site again, and most of that time goes
into turning each page's Markdown into HTML (highlighting its code) and into parsing
that HTML again for the search index. While serving, both are memoized per page, keyed
on everything their result depends on: the page's Markdown after the hooks ran, the
bytes of every file it includes (recipes, outputs), the site's list of files (links
resolve against it) and the configuration files. An edit then costs one page's
conversion plus the templates. `mkdocs build` never takes this path: what is published
is always built from scratch.
"""

from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from mkdocs.structure.pages import Page

try:
    from material.plugins.search.plugin import SearchIndex
except ImportError:  # pragma: no cover - another theme
    SearchIndex = None

ROOT = Path(__file__).resolve().parents[2]
INCLUDE = re.compile(r'--8<--\s+"([^":]+)')
# Files whose change must invalidate every cached page.
GLOBAL_INPUTS = [
    ROOT / "mkdocs.yml",
    *sorted((ROOT / "overrides" / "hooks").glob("*.py")),
]


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def included_bytes(markdown: str, base: Path) -> list[bytes]:
    """The files a page includes through pymdownx.snippets, as they are now."""
    found = []
    for name in INCLUDE.findall(markdown):
        path = base / name
        found.append(path.read_bytes() if path.is_file() else b"<missing>")
    return found


class CompiledTemplates(BytecodeCache):
    """Each build makes a new Jinja environment that compiles every template again;
    keep the compiled code in memory (Jinja keys it on the template's source)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


class ServeCache:
    def __init__(self, snippets: Path) -> None:
        self.snippets = snippets
        self.pages: dict[str, dict[str, Any]] = {}
        self.search: dict[str, list[Any]] = {}
        self.site_files = ""
        self.templates = CompiledTemplates()
        self.hits = 0  # pages whose HTML came from the cache (tests read it)

    def global_key(self) -> str:
        return digest(*(p.read_bytes() for p in GLOBAL_INPUTS), self.site_files)

    def page_key(self, page: Page) -> str:
        markdown = page.markdown or ""
        included = included_bytes(markdown, self.snippets)
        return digest(self.global_key(), page.file.src_uri, markdown, *included)

    def install(self) -> None:
        global ACTIVE  # noqa: PLW0603 - one cache for the whole `mkdocs serve`
        ACTIVE = self
        cache = self
        original_render = Page.render

        def render(page: Page, config: Any, files: Any) -> None:
            cache.site_files = "\n".join(sorted(f.src_uri for f in files))
            key = cache.page_key(page)
            hit = cache.pages.get(key)
            if hit is None:
                original_render(page, config, files)
                hit = {name: copy.deepcopy(getattr(page, name)) for name in RENDERED}
                # Keyed by File objects, which the next build makes anew: kept by path.
                links = page.links_to_anchors or {}
                hit["links"] = {f.src_uri: dict(a) for f, a in links.items()}
                cache.pages[key] = hit
            else:
                cache.hits += 1
            for name in RENDERED:
                setattr(page, name, copy.deepcopy(hit[name]))
            page.links_to_anchors = {
                target: dict(anchors)
                for uri, anchors in hit["links"].items()
                if (target := files.get_file_from_path(uri)) is not None
            }

        Page.render = render  # type: ignore[method-assign]
        self.install_search()

    def install_search(self) -> None:
        if SearchIndex is None:  # no Material search plugin: nothing to cache
            return
        cache = self
        original_add = SearchIndex.add_entry_from_context

        def add_entry_from_context(index: Any, page: Page) -> None:
            key = digest(page.url, page.content or "", str(page.toc), str(page.title))
            entries = cache.search.get(key)
            if entries is None:
                before = len(index.entries)
                original_add(index, page)
                entries = cache.search[key] = copy.deepcopy(index.entries[before:])
            index.entries.extend(copy.deepcopy(entries))

        SearchIndex.add_entry_from_context = add_entry_from_context


# What Page.render() sets (mkdocs 1.6).
RENDERED = ("content", "toc", "_title_from_render", "present_anchor_ids")


# The cache of the running `mkdocs serve`, if any: this module is imported once, while
# mkdocs loads the hook that imports it afresh for every build.
ACTIVE: ServeCache | None = None
