"""Claims of docs/networking/chat-server.md."""

import asyncio
import contextlib

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


@contextlib.asynccontextmanager
async def chat_server(module):
    chat = module.ChatServer()
    port = await chat.start()
    try:
        yield chat, port
    finally:
        if chat.server.is_serving():  # the test did not close it itself
            await chat.close()


async def leave(module, *connections):
    for connection in connections:
        with contextlib.suppress(ConnectionError):  # a dropped client may be reset
            connection[1].write_eof()
            await asyncio.wait_for(module.read_lines(connection), 5)


async def hung_up(connection):
    """True once the server has closed this connection (end of stream, or a reset
    where the server left bytes unread); this side is then closed too."""
    reader, writer = connection
    with contextlib.suppress(ConnectionResetError):
        while await asyncio.wait_for(reader.read(100_000), 5):
            pass
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()
    return True


async def test_a_slow_client_does_not_hold_up_the_others(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    async with chat_server(module) as (chat, port):
        slowpoke = await module.join(port, "slowpoke")
        flooder = await module.join(port, "flooder")
        start = loop.time()
        echoes = asyncio.create_task(module.read_lines(flooder, 100))
        for _ in range(100):
            await module.say(flooder, "x" * 16_000)
        assert len(await asyncio.wait_for(echoes, 5)) == 100
        assert loop.time() - start == 0.0  # at once, while slowpoke is stuck
        assert chat.dropped.empty()  # slowpoke is only dropped later
        assert await chat.dropped.get() == ("slowpoke", "accepted nothing for 3 s")
        assert loop.time() - start == module.SEND_TIMEOUT
        await leave(module, slowpoke, flooder)


async def test_a_client_that_never_reads_is_dropped_once_its_outbox_is_full(recipe):
    """Three talkers fill the room; slowpoke reads nothing. The server queues at most
    OUTBOX_SIZE lines for it, then cuts it off at once, long before SEND_TIMEOUT."""
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    async with chat_server(module) as (chat, port):
        slowpoke = await module.join(port, "slowpoke")
        outbox = chat.clients["slowpoke"].outbox
        queued = []  # how many lines the outbox held after each line put on it
        put = outbox.put_nowait

        def put_and_count(item):
            put(item)
            if item is not None:  # a line, not the final None
                queued.append(outbox.qsize())

        outbox.put_nowait = put_and_count
        talkers = [await module.join(port, f"talker{n}") for n in range(3)]
        start = loop.time()
        for _ in range(100):
            for talker in talkers:
                await module.say(talker, "x" * 16_000)
            received = [module.read_lines(talker, 3) for talker in talkers]
            assert all(len(lines) == 3 for lines in await asyncio.gather(*received))
        assert await asyncio.wait_for(chat.dropped.get(), 5) == (
            "slowpoke",
            "100 lines behind",
        )
        assert loop.time() - start == 0.0 < module.SEND_TIMEOUT
        assert max(queued) == module.OUTBOX_SIZE == 100  # full, and never more
        assert "slowpoke" not in chat.clients
        assert len(chat.sessions) == 3  # its session is over: its backlog is garbage
        assert await hung_up(slowpoke)
        await leave(module, *talkers)


async def test_kernel_buffers_hide_a_client_that_reads_nothing(recipe):
    """100 KB unread is not enough to notice: only full buffers block drain()."""
    module = load_module(recipe)
    async with chat_server(module) as (chat, port):
        slowpoke = await module.join(port, "slowpoke")
        talker = await module.join(port, "talker")
        for _ in range(10):
            await module.say(talker, "x" * 10_000)
        await module.read_lines(talker, 10)
        await asyncio.sleep(module.SEND_TIMEOUT * 3)
        assert chat.dropped.empty()
        assert set(chat.clients) == {"slowpoke", "talker"}
        await chat.close()
        for connection in (slowpoke, talker):
            await asyncio.wait_for(module.read_lines(connection), 5)


async def test_invalid_utf8_is_replaced_not_fatal(recipe):
    module = load_module(recipe)
    async with chat_server(module) as (chat, port):
        alice = await module.join(port, "alice")
        reader, writer = await asyncio.open_connection(module.HOST, port)
        writer.write(b"mall\xffory\n")  # in the name, and in a line
        assert await asyncio.wait_for(reader.readline(), 5) == (
            "welcome mall\ufffdory\n".encode()
        )
        with pytest.raises(UnicodeDecodeError):  # what a plain decode() would do
            b"\xff\xfe hi\n".decode()
        writer.write(b"\xff\xfe hi\n")
        assert await asyncio.wait_for(module.read_lines(alice, 1), 5) == [
            "mall\ufffdory: \ufffd\ufffd hi"
        ]
        await chat.close()  # no UnicodeDecodeError: every session ended normally
        assert await asyncio.wait_for(module.read_lines(alice), 5) == [
            "* server shutting down"
        ]
        assert await hung_up((reader, writer))


async def test_a_line_of_exactly_line_limit_bytes_is_accepted(recipe):
    module = load_module(recipe)
    async with chat_server(module) as (chat, port):
        alice = await module.join(port, "alice")
        await module.say(alice, "x" * module.LINE_LIMIT)
        expected = f"alice: {'x' * 65536}\n".encode()
        assert (
            await asyncio.wait_for(alice[0].readexactly(len(expected)), 5) == expected
        )
        assert chat.dropped.empty()
        assert module.LINE_LIMIT == 64 * 1024
        await leave(module, alice)


@pytest.mark.parametrize(
    "line",
    [b"x" * 70_000 + b"\n", b"x" * 100_000],
    ids=["separator-found-but-chunk-too-long", "separator-not-found"],
)
async def test_a_line_over_the_limit_drops_its_sender_and_no_one_else(recipe, line):
    module = load_module(recipe)
    async with chat_server(module) as (chat, port):
        alice = await module.join(port, "alice")
        mallory = await module.join(port, "mallory")
        mallory[1].write(line)
        assert await asyncio.wait_for(chat.dropped.get(), 5) == (
            "mallory",
            "sent a line over 65536 bytes",
        )
        assert await hung_up(mallory)
        await module.say(alice, "still here")
        assert await asyncio.wait_for(module.read_lines(alice, 1), 5) == [
            "alice: still here"
        ]
        assert set(chat.clients) == {"alice"}
        await chat.close()  # no ValueError from a crashed session
        assert await asyncio.wait_for(module.read_lines(alice), 5) == [
            "* server shutting down"
        ]


async def test_the_record_of_dropped_clients_is_bounded_too(recipe):
    """Nobody reads `dropped` in a real server: it keeps the first 100 only."""
    module = load_module(recipe)
    async with chat_server(module) as (chat, port):
        for n in range(105):
            mallory = await module.join(port, f"mallory{n}")
            mallory[1].write(b"x" * 70_000 + b"\n")
            assert await hung_up(mallory)
        assert chat.dropped.qsize() == 100
        assert chat.dropped.get_nowait() == ("mallory0", "sent a line over 65536 bytes")
        assert chat.clients == {}


async def test_readline_raises_value_error_over_the_limit_then_reads_the_rest(recipe):
    """Why the recipe drops the client rather than skip the line: after "Separator is
    not found", readline() has thrown the buffer away, and the rest of the long line
    comes back as if it were a line of its own."""
    got = asyncio.get_running_loop().create_future()

    async def handler(reader, writer):
        try:
            with pytest.raises(
                ValueError, match="Separator is not found, and chunk exceed the limit"
            ):
                await asyncio.wait_for(reader.readline(), 5)
            got.set_result(await asyncio.wait_for(reader.readline(), 5))
        finally:
            writer.close()
            await writer.wait_closed()

    server = await asyncio.start_server(handler, "127.0.0.1", 0)  # limit: 64 KiB
    port = server.sockets[0].getsockname()[1]
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"x" * 100_000)
    await asyncio.sleep(0.1)  # the server has read it, and raised
    writer.write(b"the end of the long line\n")
    assert (await asyncio.wait_for(got, 5)).endswith(b"the end of the long line\n")
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


async def test_readline_raises_value_error_for_a_complete_line_over_the_limit(recipe):
    async def handler(reader, writer):
        writer.write(b"x" * 70_000 + b"\n")
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await asyncio.sleep(0.1)  # the whole line has arrived
    with pytest.raises(
        ValueError, match="Separator is found, but chunk is longer than limit"
    ):
        await asyncio.wait_for(reader.readline(), 5)
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


async def test_finished_sessions_are_let_go(recipe):
    module = load_module(recipe)
    async with chat_server(module) as (chat, port):
        for n in range(10):
            connection = await module.join(port, f"user{n}")
            (session,) = chat.sessions
            await leave(module, connection)
            await asyncio.wait_for(session, 5)
            assert chat.sessions == set()  # nothing held for a client that left
            assert chat.clients == {}


async def test_a_second_client_cannot_take_a_name_in_use(recipe):
    module = load_module(recipe)
    async with chat_server(module) as (chat, port):
        first = await module.join(port, "alice")
        reader, writer = await asyncio.open_connection(module.HOST, port)
        writer.write(b"alice\n")
        assert await asyncio.wait_for(reader.read(), 5) == (
            b"* the name alice is taken\n"  # and then end of stream
        )
        writer.close()
        await writer.wait_closed()
        await module.say(first, "still mine")
        assert await asyncio.wait_for(module.read_lines(first, 1), 5) == [
            "alice: still mine"
        ]
        assert list(chat.clients) == ["alice"]
        await chat.close()
        assert await asyncio.wait_for(module.read_lines(first), 5) == [
            "* server shutting down"
        ]


async def test_close_says_goodbye_hangs_up_and_refuses_newcomers(recipe):
    module = load_module(recipe)
    chat = module.ChatServer()
    port = await chat.start()
    connection = await module.join(port, "last")
    await chat.close()
    assert await asyncio.wait_for(module.read_lines(connection), 5) == [
        "* server shutting down"
    ]  # then end of stream: read_lines returned
    assert chat.sessions == set()  # every session finished
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection(module.HOST, port)
