"""Bar charts drawn from a recipe's captured output (used by the recipes hook).

A question page whose recipe measures something (``clock: real``) can plot what its
output printed. Each entry of its ``charts:`` front matter names a title, a unit and
a regular expression with ``label`` and ``value`` groups; every line of the recipe's
``.out`` file that matches becomes one bar. The chart is drawn at build time from the
same file the page shows under "Output", so the two cannot disagree, and a pattern
that matches fewer than two lines stops the build, naming the page.

The SVG is inline (the site's colour scheme styles it through the timeline classes),
has a ``<title>`` and a ``<desc>`` listing every figure for screen readers, and needs
no JavaScript.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from mkdocs.exceptions import PluginError

KEYS = {"title", "values", "unit"}

WIDTH = 640
LABEL_WIDTH = 170  # the timelines' label column, so the two line up on a page
VALUE_ROOM = 90  # right of the longest bar, for its figure
ROW, BAR, TOP = 22, 12, 6


@dataclass(frozen=True)
class Bar:
    label: str
    figure: str  # as the output printed it, so the chart shows the same digits

    @property
    def value(self) -> float:
        return float(self.figure)


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    bars: tuple[Bar, ...]


def read_chart(spec: Any, output: str, where: str) -> Chart:
    """One ``charts:`` entry, checked, with its bars read from the output."""
    if not isinstance(spec, dict) or set(spec) != KEYS:
        raise PluginError(f"{where}: each chart needs exactly {sorted(KEYS)}")
    try:
        pattern = re.compile(str(spec["values"]))
    except re.error as error:
        raise PluginError(
            f"{where}: chart `values` is not a pattern: {error}"
        ) from None
    if not {"label", "value"} <= set(pattern.groupindex):
        raise PluginError(
            f"{where}: chart `values` needs (?P<label>…) and (?P<value>…)"
        )
    bars = tuple(
        Bar(match["label"].strip(), match["value"])
        for match in map(pattern.search, output.splitlines())
        if match
    )
    if len(bars) < 2:
        raise PluginError(
            f"{where}: chart {spec['title']!r} matches {len(bars)} line(s) of the"
            " output; a chart needs at least two"
        )
    return Chart(str(spec["title"]), str(spec["unit"]), bars)


def render(chart: Chart, ident: str) -> str:
    """Horizontal bars, longest = full width, each with its printed figure."""
    scale = (WIDTH - LABEL_WIDTH - VALUE_ROOM) / max(bar.value for bar in chart.bars)
    height = TOP * 2 + ROW * len(chart.bars)
    facts = "; ".join(f"{bar.label}: {bar.figure}{chart.unit}" for bar in chart.bars)
    lines = [
        f'<svg class="tl chart" xmlns="http://www.w3.org/2000/svg" role="img"'
        f' width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}"'
        f' aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{html.escape(chart.title)}</title>',
        f'<desc id="{ident}-d">{html.escape(facts)}.</desc>',
        f'<line class="tl-axis" x1="{LABEL_WIDTH}" y1="{TOP}"'
        f' x2="{LABEL_WIDTH}" y2="{height - TOP}"/>',
    ]
    for row, bar in enumerate(chart.bars):
        top = TOP + row * ROW + (ROW - BAR) / 2
        width = round(bar.value * scale, 1)
        text_y = top + BAR - 2
        lines += [
            f'<text x="4" y="{text_y}">{html.escape(bar.label)}</text>',
            f'<rect class="tl-ok" x="{LABEL_WIDTH}" y="{top}" width="{width}"'
            f' height="{BAR}" rx="2"/>',
            f'<text x="{LABEL_WIDTH + width + 6}" y="{text_y}">'
            f"{html.escape(bar.figure + chart.unit)}</text>",
        ]
    return "\n".join([*lines, "</svg>"])


def figure(chart: Chart, ident: str) -> str:
    # The caption is the visible title; the SVG's own title names it for
    # assistive technology, which does not read the caption into the image.
    return (
        f'<figure class="timeline">\n{render(chart, ident)}\n'
        f"<figcaption>{html.escape(chart.title)}. Drawn from the output above."
        "</figcaption>\n</figure>\n\n"
    )


def figures(specs: Any, output: str, where: str, stem: str) -> str:
    """The figures of a page's ``charts:`` entries, drawn from its recipe's output."""
    if not isinstance(specs, list) or not specs:
        raise PluginError(f"{where}: `charts:` is a list of charts")
    charts = [read_chart(spec, output, where) for spec in specs]
    return "".join(
        figure(chart, f"chart-{stem}-{n}") for n, chart in enumerate(charts, 1)
    )
