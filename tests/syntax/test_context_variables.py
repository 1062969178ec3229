"""Claims of docs/syntax/context-variables.md."""

import asyncio
import contextvars
import subprocess
import sys

import pytest

from tests.support import load_module, run_main, timed


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


NEW_IN_314 = pytest.mark.skipif(
    sys.version_info < (3, 14),
    reason="contextvars.Token is a context manager from Python 3.14 (gh-129889)",
)


@NEW_IN_314
async def test_with_var_set_resets_when_the_block_ends(recipe):
    module = load_module(recipe)
    run = await timed(lambda: module.handle_scoped("req-3"))
    assert run.output == "  [req-3] ran SELECT 2\n"  # set inside the block
    assert run.result == "-"  # put back after it
    assert module.request_id.get() == "-"


async def test_try_finally_reset_does_the_same_on_every_version(recipe):
    module = load_module(recipe)
    run = await timed(lambda: module.handle_scoped_before_3_14("req-3"))
    assert run.output == "  [req-3] ran SELECT 2\n"
    assert run.result == "-"


async def _fails(sql: str) -> None:
    raise ConnectionError(sql)


async def test_the_value_is_restored_even_when_the_body_raises(recipe, monkeypatch):
    module = load_module(recipe)
    monkeypatch.setattr(module, "query_db", _fails)
    ways = [module.handle_scoped_before_3_14]
    if sys.version_info >= (3, 14):
        ways.append(module.handle_scoped)
    for way in ways:
        with pytest.raises(ConnectionError):
            await way("req-4")
        assert module.request_id.get() == "-", way.__name__


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="3.11 to 3.13 only")
def test_before_3_14_with_raises_type_error_after_setting_the_value(recipe):
    module = load_module(recipe)

    def enter() -> None:
        with module.request_id.set("leaked"):
            pass

    context = contextvars.Context()  # run apart, so the leaked value stays there
    with pytest.raises(TypeError) as raised:
        context.run(enter)
    assert str(raised.value) == (
        "'_contextvars.Token' object does not support the context manager protocol"
    )
    assert context[module.request_id] == "leaked"  # set() ran before the error


def test_a_token_works_once(recipe):
    module = load_module(recipe)
    token = module.request_id.set("once")
    module.request_id.reset(token)
    with pytest.raises(
        RuntimeError, match=r"^<Token used var=.* has already been used once$"
    ):
        module.request_id.reset(token)
    if sys.version_info >= (3, 14):
        with pytest.raises(RuntimeError, match=r"has already been used once$"):  # noqa: SIM117
            with module.request_id.set("inner") as inner:
                module.request_id.reset(inner)  # then the block's exit resets again
