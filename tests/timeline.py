"""A timeline of a recipe's coroutines, recorded from the run the tests assert, drawn
as a small SVG that the page embeds under its output (front matter `timeline: true`).

What is recorded (``Recorder``), without touching the recipe's code:

- one *span* per coroutine defined in the recipe's file, from its first step to its
  exit: tasks the recipe starts (``create_task``, ``gather``, ``TaskGroup``...) and the
  recipe's own coroutines awaited directly (``await fetch()``), ``main()`` included.
  Coroutines of asyncio or of libraries, and the test harness's own task, get no span:
  what a picture shows is what the reader's code ran. A task and an awaited call look
  the same, so the picture does not depend on how a Python version implements a helper
  (``wait_for`` wraps its coroutine in a task before 3.12, awaits it directly since).
- how each span ended: it returned, was cancelled (``CancelledError``, or closed), or
  raised (the exception's type);
- each line the recipe printed, on the loop's clock, on the lane of the coroutine that
  printed it.

How: ``sys.settrace`` sees each step of a coroutine whose code lives in the recipe's file
(every resume is a "call" event, every suspension or exit a "return" event; exceptions
passing through are "exception" events); a span ends at its last "return", known once
the run is over. Who printed a line, called a coroutine or created a task is the
innermost recipe coroutine on the frame stack at that moment (``f_back``), so a task
woken by ``throw()`` (which some Pythons do not report as a "call") is still found.
The running loop's ``create_task`` is wrapped (on the instance, for the run) to note
which coroutine created each task before it can take a step (eager tasks step while
being created). Not a task factory: with one installed, Python 3.13.0 names unnamed
tasks "None", and the recipe's own factory must stay as it is.

Lanes form a tree: a task's lane sits under its creator's, an awaited call's under
its caller's; siblings in order of start time, then label (``worker(2)`` before
``worker(10)``), so the order does not depend on a set's iteration order
(``as_completed``, ``wait``) or on how a Python version schedules a helper.

So a recipe whose ``main()`` awaits ``sequential()`` and then ``concurrent()`` draws
each one's lanes indented under its own: the staircase and the overlap sit one above
the other on the same time axis.
"""

from __future__ import annotations

import asyncio
import contextlib
import dis
import inspect
import io
import itertools
import re
import sys
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any
from xml.sax.saxutils import escape

from tests.support import Recipe, Run, load_module, timed

DEFAULT_TASK_NAME = re.compile(r"Task-\d+")
RETURNS = {"RETURN_VALUE", "RETURN_CONST"}  # the exits that are not exceptions
# Raised and caught inside every await of a finished awaitable: never an outcome.
PLUMBING = (StopIteration, StopAsyncIteration)
LABEL_MAX = 24  # characters of a lane's label
ARG_MAX = 16  # characters of the argument shown in a label
PLAIN_INT = 1000  # integers shown in labels: ids and counts, not ports


@dataclass
class Span:
    """One coroutine of the recipe, from its first step to its exit."""

    label: str
    parent: Span | None  # the task's creator or the call's caller; None for main()
    order: int  # when the recipe made it: ties between siblings keep this order
    start: float
    end: float = 0.0
    outcome: str = "returned"  # "returned", "cancelled" or "raised <Type>"
    task: weakref.ref[asyncio.Task[Any]] | None = None  # when it is a task's coroutine
    exception: type[BaseException] | None = None
    returned: bool = False
    depth: int = 0  # 0 for main(); one deeper than its parent (set by finish())

    @property
    def cancelled(self) -> bool:
        return self.outcome == "cancelled"

    @property
    def failed(self) -> bool:
        return self.outcome.startswith("raised")


@dataclass(frozen=True)
class Print:
    time: float
    lane: int | None  # index into Recording.spans; None when no recipe coroutine ran
    text: str


@dataclass
class Recording:
    name: str  # the snippet's file name, for the picture's title
    spans: list[Span] = field(default_factory=list)
    prints: list[Print] = field(default_factory=list)
    end: float = 0.0


class TimedStdout(io.StringIO):
    """stdout that also notes when, and in which coroutine, each line was printed."""

    def __init__(self, on_line: Callable[[str], None]) -> None:
        super().__init__()
        self._on_line = on_line
        self._partial = ""

    def write(self, text: str) -> int:
        written = super().write(text)
        *lines, self._partial = (self._partial + text).split("\n")
        for line in lines:
            self._on_line(line)
        return written


class Recorder:
    """Records a recording of the coroutines of ``source`` while it is active.

    Use it inside the running loop, around the awaited ``main()``, with ``stdout``
    as the captured output (``support.timed(..., buffer=recorder.stdout)``)."""

    def __init__(self, source: Path) -> None:
        self.filename = str(source)
        self.recording = Recording(source.name)
        self.stdout = TimedStdout(self._printed)
        self._numbers = itertools.count()
        # id(frame) -> the frame (kept alive so that no id is reused) and its span
        self._spans: dict[int, tuple[FrameType, Span]] = {}
        self._lines: list[tuple[float, Span | None, str]] = []
        self._births: dict[int, Span | None] = {}  # id(coro) -> its task's creator
        self._loop: asyncio.AbstractEventLoop | None = None
        self._origin = 0.0
        self._previous_trace: Any = None

    # -- attaching -----------------------------------------------------------------

    def __enter__(self) -> Recorder:
        self._loop = asyncio.get_running_loop()
        self._origin = self._loop.time()
        with contextlib.suppress(AttributeError):  # a loop without __dict__ (uvloop)
            self._loop.create_task = self._create_task(self._loop.create_task)  # type: ignore[method-assign]
        self._previous_trace = sys.gettrace()
        sys.settrace(self._on_call)
        return self

    def __exit__(self, *_: object) -> None:
        sys.settrace(self._previous_trace)
        assert self._loop is not None
        if "create_task" in vars(self._loop):
            del self._loop.create_task
        self.recording.end = self._now()
        for span in self.recording.spans:
            self._conclude(span)
        self._spans.clear()
        self._births.clear()

    def _now(self) -> float:
        assert self._loop is not None
        return round(self._loop.time() - self._origin, 6)

    def _create_task(self, create_task: Callable[..., Any]) -> Callable[..., Any]:
        def numbered(coro: Any, *args: Any, **kwargs: Any) -> Any:
            """Number the task and note its creator before it can take a step (an
            eager task takes its first one while it is being created)."""
            self._births[id(coro)] = self._innermost(sys._getframe(1))
            return create_task(coro, *args, **kwargs)

        return numbered

    # -- tracing -------------------------------------------------------------------

    def _on_call(self, frame: FrameType, event: str, _: Any) -> Any:
        code = frame.f_code
        if (
            code.co_filename != self.filename
            or not code.co_flags & inspect.CO_COROUTINE
        ):
            return None
        if id(frame) not in self._spans:
            self._begin(frame)
        frame.f_trace_lines = False
        return self._on_event

    def _on_event(self, frame: FrameType, event: str, arg: Any) -> Any:
        span = self._spans[id(frame)][1]
        if event == "exception" and not issubclass(arg[0], PLUMBING):
            span.exception = arg[0]
        elif event == "return":
            # A suspension or the exit: the last one, once the run is over, is the exit.
            span.end = self._now()
            span.returned = dis.opname[frame.f_code.co_code[frame.f_lasti]] in RETURNS
            task = span.task() if span.task is not None else None
            if task is not None and not DEFAULT_TASK_NAME.fullmatch(task.get_name()):
                span.label = task.get_name()  # set after the factory on 3.10/3.11
        return self._on_event

    def _innermost(self, frame: FrameType | None) -> Span | None:
        """The recipe coroutine running ``frame`` or, nearest first, its callers."""
        while frame is not None:
            known = self._spans.get(id(frame))
            if known is not None and known[0] is frame:
                return known[1]
            frame = frame.f_back
        return None

    def _begin(self, frame: FrameType) -> Span:
        task = asyncio.current_task()
        coro = task.get_coro() if task is not None else None
        is_root = getattr(coro, "cr_frame", None) is frame
        if is_root:
            parent = self._births.pop(id(coro), None)
        else:
            parent = self._innermost(frame.f_back)
        span = Span(
            label=call_label(frame),
            parent=parent,
            order=next(self._numbers),
            start=self._now(),
            task=weakref.ref(task) if is_root and task is not None else None,
        )
        self._spans[id(frame)] = (frame, span)
        self.recording.spans.append(span)
        return span

    def _conclude(self, span: Span) -> None:
        if span.returned:
            span.outcome = "returned"
        elif span.exception is None:
            span.outcome = "raised"
        elif issubclass(span.exception, asyncio.CancelledError | GeneratorExit):
            span.outcome = "cancelled"
        else:
            span.outcome = f"raised {span.exception.__name__}"

    def _printed(self, line: str) -> None:
        printer = self._innermost(sys._getframe())
        self._lines.append((self._now(), printer, line))

    def finish(self) -> Recording:
        """The recording, its lanes in tree order (see the module's docstring)."""
        children: dict[int | None, list[Span]] = {}
        for span in self.recording.spans:
            key = None if span.parent is None else id(span.parent)
            children.setdefault(key, []).append(span)
        spans: list[Span] = []

        def visit(parent: Span | None, depth: int) -> None:
            found = children.get(None if parent is None else id(parent), [])
            for span in sorted(
                found, key=lambda s: (s.start, natural(s.label), s.order)
            ):
                span.depth = depth
                spans.append(span)
                visit(span, depth + 1)

        visit(None, 0)
        lane = {id(s): i for i, s in enumerate(spans)}
        prints = [
            Print(t, None if s is None else lane[id(s)], text)
            for t, s, text in self._lines
        ]
        return Recording(self.recording.name, spans, prints, self.recording.end)


def natural(label: str) -> list[tuple[int, str]]:
    """Sort key: numbers in a label compare as numbers."""
    return [(int(p), "") if p.isdigit() else (0, p) for p in re.split(r"(\d+)", label)]


def call_label(frame: FrameType) -> str:
    """``fetch('a.json', …)``: the coroutine's name and its first argument, when short
    and plain (a string, a float, an integer below 1000), so the three fetches of a
    gather differ."""
    code = frame.f_code
    names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    names = tuple(n for n in names if n not in {"self", "cls"})
    name = code.co_name  # not co_qualname: 3.10 has none, and labels stay short
    if not names:
        return f"{name}()"
    first = frame.f_locals.get(names[0])
    # Strings and numbers; not big integers: a port or an id() differs run to run.
    plain = isinstance(first, str | float) or (
        isinstance(first, int) and 0 <= first < PLAIN_INT
    )
    shown = repr(first) if plain else "…"
    if len(shown) > ARG_MAX:
        shown = "…"
    more = ", …" if len(names) > 1 and shown != "…" else ""
    return f"{name}({shown}{more})"


# -- drawing ---------------------------------------------------------------------------

WIDTH = 640
LABELS = 170  # px of the label column
RIGHT = 24  # px right of the axis end, room for the last tick label and a mark
LANE = 22  # px per lane
BAR = 12  # px height of a bar
TOP = 8
AXIS = 30  # px for the time axis under the lanes
LEGEND = 22
NICE_STEPS = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
MAX_TICKS = 6

# Light-theme colours for the file seen on its own; the site's stylesheet
# (overrides/partials/timeline.css, inlined into every page) restyles these classes for each colour scheme.
STYLE = (
    ".tl{font:11px monospace}.tl text{fill:#333}.tl-grid{stroke:#ddd}"
    ".tl-axis{stroke:#888}.tl-ok{fill:#4051b5}.tl-fail{fill:#c62828}"
    ".tl-cancel{fill:none;stroke:#888;stroke-dasharray:3 2}"
    ".tl-dot{fill:#d84315;stroke:#fff}.tl-mark{font-weight:bold}text.tl-mark-fail{fill:#c62828}"
)


def fmt(value: float) -> str:
    """A coordinate or time, fixed and short: 12.5, 3, 0.25."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def tick_step(end: float) -> float:
    return next((s for s in NICE_STEPS if end / s <= MAX_TICKS), NICE_STEPS[-1])


def ticks(end: float) -> Iterator[float]:
    step = tick_step(end)
    for i in itertools.count():
        t = round(i * step, 6)
        if t > end + 1e-9:
            return
        yield t


def clip(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"


def describe(span: Span) -> str:
    ended = {"returned": "returned", "cancelled": "was cancelled"}.get(
        span.outcome, span.outcome
    )
    return f"{span.label}: {fmt(span.start)} s to {fmt(span.end)} s, {ended}"


def render(recording: Recording, ident: str) -> str:
    """The SVG of a recording. ``ident`` (for example ``basics-use_asyncio``) makes
    the ids of its title and description unique on the page that embeds it."""
    end = max([recording.end, *(s.end for s in recording.spans)]) or 1.0

    lanes = recording.spans
    x0, x1 = LABELS, WIDTH - RIGHT
    height = TOP + LANE * len(lanes) + AXIS + LEGEND

    def x(t: float) -> str:
        return fmt(x0 + (x1 - x0) * t / end)

    def y(lane: int) -> float:
        return TOP + LANE * lane

    title = f"Timeline of {recording.name}"
    desc = (
        f"{len(lanes)} coroutines over {fmt(end)} s of loop time. "
        + " ".join(f"{describe(s)}." for s in lanes)
        + f" {len(recording.prints)} printed lines."
    )
    out = [
        f'<svg class="tl" xmlns="http://www.w3.org/2000/svg" role="img"'
        f' width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}"'
        f' aria-labelledby="tl-{ident}-t tl-{ident}-d">',
        f'<title id="tl-{ident}-t">{escape(title)}</title>',
        f'<desc id="tl-{ident}-d">{escape(desc)}</desc>',
        f"<style>{STYLE}</style>",
    ]
    bottom = y(len(lanes))
    out.append('<g class="tl-grid">')
    out += [
        f'<line x1="{x(t)}" y1="{TOP}" x2="{x(t)}" y2="{fmt(bottom)}"/>'
        for t in ticks(end)
    ]
    out.append("</g>")
    for i, span in enumerate(lanes):
        top = y(i)
        middle = fmt(top + LANE / 2 + 4)
        indent = 4 + 10 * min(span.depth, 4)
        out.append(f'<text x="{indent}" y="{middle}">{escape(clip(span.label))}</text>')
        kind = "tl-cancel" if span.cancelled else "tl-fail" if span.failed else "tl-ok"
        left = float(x(span.start))
        width = max(float(x(span.end)) - left, 2.0)
        out.append(
            f'<rect class="{kind}" x="{fmt(left)}" y="{fmt(top + (LANE - BAR) / 2)}"'
            f' width="{fmt(width)}" height="{BAR}" rx="2">'
            f"<title>{escape(describe(span))}</title></rect>"
        )
        mark = "✕" if span.cancelled else "!" if span.failed else ""
        if mark:
            css = "tl-mark tl-mark-fail" if span.failed else "tl-mark"
            out.append(
                f'<text class="{css}" x="{fmt(left + width + 3)}" y="{middle}">{mark}</text>'
            )
    for line in recording.prints:
        lane = line.lane if line.lane is not None else len(lanes)
        cy = y(lane) + LANE / 2 if line.lane is not None else bottom
        out.append(
            f'<circle class="tl-dot" cx="{x(line.time)}" cy="{fmt(cy)}" r="3.5">'
            f"<title>{escape(fmt(line.time))} s: {escape(line.text)}</title></circle>"
        )
    axis = fmt(bottom + 4)
    out.append(f'<line class="tl-axis" x1="{x0}" y1="{axis}" x2="{x1}" y2="{axis}"/>')
    out += [
        f'<text x="{x(t)}" y="{fmt(bottom + 17)}" text-anchor="middle">{fmt(t)} s</text>'
        for t in ticks(end)
    ]
    out.append(legend(bottom + AXIS))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def legend(top: float) -> str:
    """Returned, cancelled, failed, printed: a swatch and a word each."""
    items = [
        (
            '<rect class="tl-ok" x="{x}" y="{y}" width="16" height="10" rx="2"/>',
            "returned",
        ),
        (
            '<rect class="tl-cancel" x="{x}" y="{y}" width="16" height="10" rx="2"/>',
            "cancelled ✕",
        ),
        (
            '<rect class="tl-fail" x="{x}" y="{y}" width="16" height="10" rx="2"/>',
            "raised !",
        ),
        ('<circle class="tl-dot" cx="{cx}" cy="{cy}" r="3.5"/>', "printed a line"),
    ]
    parts = ['<g class="tl-legend">']
    left = LABELS
    for swatch, word in items:
        parts.append(
            swatch.format(x=left, y=fmt(top), cx=left + 8, cy=fmt(top + 5))
            + f'<text x="{left + 21}" y="{fmt(top + 9)}">{escape(word)}</text>'
        )
        left += 30 + 7 * len(word)
    parts.append("</g>")
    return "".join(parts)


async def record_main(
    recipe: Recipe, *args: Any, **kwargs: Any
) -> tuple[Run, Recording]:
    """``support.run_main`` under a recorder: the same run, plus its recording."""
    module = load_module(recipe)
    with Recorder(recipe.snippet) as recorder:
        run = await timed(lambda: module.main(*args, **kwargs), buffer=recorder.stdout)
    return run, recorder.finish()
