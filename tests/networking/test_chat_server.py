"""Claims of docs/networking/chat-server.md."""

import asyncio

import pytest

from tests.support import load_module, run_main


async def test_every_one_of_100_clients_receives_every_message(recipe):
    run = await run_main(recipe, clients=100)
    names = [f"user{n:03}" for n in range(100)]
    expected = {f"{name}: hi from {name}" for name in names}
    assert list(run.result) == names
    for inbox in run.result.values():
        assert len(inbox) == 100
        assert set(inbox) == expected  # nothing lost, nothing doubled
    assert "100 of 100 clients received all 100 messages" in run.output


async def test_every_client_sees_the_messages_in_the_same_order(recipe):
    run = await run_main(recipe, clients=100)
    orders = {tuple(inbox) for inbox in run.result.values()}
    assert len(orders) == 1


async def test_prints_the_drop_the_delivery_and_the_goodbye(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "slowpoke dropped: it accepted nothing for 3 s",
        "flooder got 100 of its 100 lines back in the meantime",
        "20 clients connected",
        "20 of 20 clients received all 20 messages",
        "then: ['* server shutting down']",
    ]


async def test_the_slow_client_is_dropped_after_send_timeout(recipe):
    module = load_module(recipe)
    run = await run_main(recipe)
    assert run.elapsed == module.SEND_TIMEOUT  # everything else takes no time


async def test_a_slow_client_does_not_hold_up_the_others(recipe):
    module = load_module(recipe)
    chat = module.ChatServer()
    port = await chat.start()
    loop = asyncio.get_running_loop()
    try:
        slowpoke = await module.join(port, "slowpoke")
        flooder = await module.join(port, "flooder")
        start = loop.time()
        echoes = asyncio.create_task(module.read_lines(flooder, 100))
        for _ in range(100):
            await module.say(flooder, "x" * 16_000)
        assert len(await asyncio.wait_for(echoes, 5)) == 100
        assert loop.time() - start == 0.0  # at once, while slowpoke is stuck
        assert chat.dropped.empty()  # slowpoke is only dropped later
        assert await chat.dropped.get() == "slowpoke"
        assert loop.time() - start == module.SEND_TIMEOUT
    finally:
        await chat.close()
        for connection in (slowpoke, flooder):
            await asyncio.wait_for(module.read_lines(connection), 5)


async def test_kernel_buffers_hide_a_client_that_reads_nothing(recipe):
    """100 KB unread is not enough to notice: only full buffers block drain()."""
    module = load_module(recipe)
    chat = module.ChatServer()
    port = await chat.start()
    try:
        slowpoke = await module.join(port, "slowpoke")
        talker = await module.join(port, "talker")
        for _ in range(10):
            await module.say(talker, "x" * 10_000)
        await module.read_lines(talker, 10)
        await asyncio.sleep(module.SEND_TIMEOUT * 3)
        assert chat.dropped.empty()
        assert set(chat.outboxes) == {"slowpoke", "talker"}
    finally:
        await chat.close()
        for connection in (slowpoke, talker):
            await asyncio.wait_for(module.read_lines(connection), 5)


async def test_close_says_goodbye_hangs_up_and_refuses_newcomers(recipe):
    module = load_module(recipe)
    chat = module.ChatServer()
    port = await chat.start()
    connection = await module.join(port, "last")
    await chat.close()
    assert await asyncio.wait_for(module.read_lines(connection), 5) == [
        "* server shutting down"
    ]  # then end of stream: read_lines returned
    assert all(session.done() for session in chat.sessions)
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection(module.HOST, port)


# ---- fail-first tests (review items) -------------------------------------------


async def hostile(module, port, name, payload):
    reader, writer = await asyncio.open_connection(module.HOST, port)
    writer.write(f"{name}\n".encode())
    assert await asyncio.wait_for(reader.readline(), 5) == f"welcome {name}\n".encode()
    writer.write(payload)
    return reader, writer


async def test_NEW_invalid_utf8_does_not_crash_the_session(recipe):
    module = load_module(recipe)
    chat = module.ChatServer()
    port = await chat.start()
    alice = await module.join(port, "alice")
    reader, writer = await hostile(module, port, "mallory", b"\xff\xfe hi\n")
    try:
        assert await asyncio.wait_for(module.read_lines(alice, 1), 5) == ["mallory: \ufffd\ufffd hi"]
    finally:
        await chat.close()


async def test_NEW_an_overlong_line_does_not_crash_the_server(recipe):
    module = load_module(recipe)
    chat = module.ChatServer()
    port = await chat.start()
    alice = await module.join(port, "alice")
    reader, writer = await hostile(module, port, "mallory", b"x" * 70_000 + b"\n")
    await asyncio.sleep(0.1)
    await chat.close()  # must not raise


async def test_NEW_finished_sessions_are_let_go(recipe):
    module = load_module(recipe)
    chat = module.ChatServer()
    port = await chat.start()
    try:
        for n in range(10):
            connection = await module.join(port, f"user{n}")
            connection[1].write_eof()
            await asyncio.wait_for(module.read_lines(connection), 5)
        await asyncio.sleep(0.1)
        assert len(chat.sessions) == 0
    finally:
        await chat.close()


async def test_NEW_a_second_client_cannot_take_a_name_in_use(recipe):
    module = load_module(recipe)
    chat = module.ChatServer()
    port = await chat.start()
    first = await module.join(port, "alice")
    reader, writer = await asyncio.open_connection(module.HOST, port)
    writer.write(b"alice\n")
    try:
        assert (await asyncio.wait_for(reader.readline(), 5)).startswith(b"* name")
    finally:
        await chat.close()


async def test_NEW_a_client_that_never_reads_is_dropped_once_its_outbox_is_full(recipe):
    module = load_module(recipe)
    chat = module.ChatServer()
    port = await chat.start()
    loop = asyncio.get_running_loop()
    slowpoke = await module.join(port, "slowpoke")
    talkers = [await module.join(port, f"talker{n}") for n in range(3)]
    start = loop.time()
    try:
        for _ in range(100):
            for talker in talkers:
                await module.say(talker, "x" * 16_000)
            await asyncio.gather(*(module.read_lines(t, 3) for t in talkers))
        await asyncio.wait_for(chat.dropped.get(), 10)
        assert loop.time() - start < module.SEND_TIMEOUT  # dropped for its outbox, not its silence
    finally:
        await chat.close()
