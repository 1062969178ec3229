"""Claims of docs/syntax/context-variables.md."""

import asyncio
import contextvars
import subprocess
import sys

import pytest

from tests.support import load_module, run_main


async def test_concurrent_requests_each_log_their_own_id(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[1:9] == [
        "  [req-1] start",
        "  [req-2] start",
        "  [req-1] audit written",
        "  [req-2] audit written",
        "  [req-2] ran SELECT 1",
        "  [req-2] done",
        "  [req-1] ran SELECT 1",
        "  [req-1] done",
    ]
    assert run.elapsed == 0.3  # the two requests overlapped


async def test_a_child_task_starts_with_a_copy_of_its_parents_values(recipe):
    run = await run_main(recipe)
    # audit() never set request_id before logging: it inherited it from handle().
    assert "  [req-1] audit written" in run.output.splitlines()


async def test_a_change_in_a_child_task_does_not_leak_to_the_parent(recipe):
    run = await run_main(recipe)
    assert run.result["returned"] == ["req-1", "req-2"]  # not "changed-by-audit"


async def test_gathered_handlers_do_not_change_mains_value(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[9] == (
        "handlers returned ['req-1', 'req-2']; main still sees '-'"
    )


async def test_to_thread_copies_the_context_and_run_in_executor_does_not(recipe):
    run = await run_main(recipe)
    assert run.result["to_thread"] == "batch-7"
    assert run.result["executor"] == "-"


async def test_a_value_set_after_create_task_is_not_seen_by_the_task(recipe):
    module = load_module(recipe)
    module.request_id.set("before")
    task = asyncio.create_task(_read_later(module.request_id))
    module.request_id.set("after")  # too late: the task's copy was taken
    assert await task == "before"


async def _read_later(var: contextvars.ContextVar[str]) -> str:
    await asyncio.sleep(0.1)
    return var.get()


async def test_an_awaited_coroutine_shares_the_callers_context(recipe):
    module = load_module(recipe)

    async def set_it() -> None:
        module.request_id.set("set-by-callee")

    module.request_id.set("caller")
    await set_it()  # no task: same context
    assert module.request_id.get() == "set-by-callee"
    module.request_id.set("caller")
    await asyncio.create_task(set_it())  # a task: a copy
    assert module.request_id.get() == "caller"


async def test_the_copy_is_shallow_mutable_values_are_shared(recipe):
    load_module(recipe)
    state: contextvars.ContextVar[dict[str, str]] = contextvars.ContextVar("state")
    state.set({"user": "ann"})

    async def child() -> None:
        state.get()["user"] = "bob"  # mutates the one dict both contexts hold

    await asyncio.create_task(child())
    assert state.get() == {"user": "bob"}


async def test_reset_with_the_token_restores_the_previous_value(recipe):
    module = load_module(recipe)
    token = module.request_id.set("inner")
    assert module.request_id.get() == "inner"
    module.request_id.reset(token)
    assert module.request_id.get() == "-"  # back to the default


@pytest.mark.skipif(sys.version_info < (3, 11), reason="context= is new in 3.11")
async def test_create_task_can_run_in_a_context_you_choose(recipe):
    module = load_module(recipe)
    chosen = contextvars.Context()  # empty: the default applies
    module.request_id.set("parent")
    task = asyncio.create_task(_read_later(module.request_id), context=chosen)
    assert await task == "-"


def test_a_script_named_contextvars_py_breaks_asyncio(recipe, tmp_path):
    script = tmp_path / "contextvars.py"
    script.write_text("import asyncio\nfrom contextvars import ContextVar\n")
    run = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=False
    )
    assert run.returncode != 0
    last = run.stderr.splitlines()[-1]
    if sys.version_info >= (3, 13):
        # 3.13 names the cause (What's New in 3.13, improved error messages).
        assert last == (
            "ImportError: cannot import name 'ContextVar' from 'contextvars'"
            f" (consider renaming '{script}' since it has the same name as the"
            " standard library module named 'contextvars' and prevents importing"
            " that standard library module)"
        )
    else:
        assert last == (
            "ImportError: cannot import name 'ContextVar' from partially initialized"
            " module 'contextvars' (most likely due to a circular import)"
            f" ({script})"
        )


async def test_copy_context_run_carries_the_values_through_run_in_executor(recipe):
    module = load_module(recipe)
    module.request_id.set("batch-7")
    loop = asyncio.get_running_loop()
    seen = await loop.run_in_executor(
        None, contextvars.copy_context().run, module.blocking_lookup
    )
    assert seen == "batch-7"
