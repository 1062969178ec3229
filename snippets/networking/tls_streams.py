"""How do I use TLS with asyncio streams? A TLS server and client on 127.0.0.1."""

# --8<-- [start:recipe]
import asyncio
import ssl

import trustme  # pip install trustme: makes throwaway certificates for demos and tests

HOST = "127.0.0.1"
TIMEOUT = 5.0  # seconds: every wait on the network gets one


def make_contexts() -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context holding a certificate, and a client context that trusts it.
    In production the server loads real files with load_cert_chain("cert.pem",
    "key.pem") and the client keeps ssl.create_default_context() as it is."""
    ca = trustme.CA()  # a certificate authority that exists only in this process
    certificate = ca.issue_cert("localhost", HOST)  # valid for these names only
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(server)  # load_cert_chain() with its files
    client = ssl.create_default_context()  # verifies the chain and the hostname
    ca.configure_trust(client)  # load_verify_locations() with the CA's file
    return server, client


async def uppercase(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:  # the same streams API as plain TCP
            async with asyncio.timeout(TIMEOUT):  # the handshake timeout ends here
                line = await reader.readline()
            if not line:
                break
            writer.write(line.upper())
            async with asyncio.timeout(TIMEOUT):  # a client that never reads
                await writer.drain()
    except TimeoutError:
        pass  # an idle client: hang up on it
    finally:
        writer.close()  # sends close_notify once what is buffered has been sent
        try:
            async with asyncio.timeout(TIMEOUT):
                await writer.wait_closed()
        except TimeoutError:
            writer.transport.abort()  # it will not take the last bytes: cut it off
        except OSError:
            pass  # the error that broke the connection (ssl.SSLError is an OSError)


async def start_tls_server(context: ssl.SSLContext) -> asyncio.Server:
    # A client that has not finished its handshake after TIMEOUT is cut off; the
    # default, 60 s, lets a client that sends nothing hold a connection that long.
    return await asyncio.start_server(
        uppercase, HOST, 0, ssl=context, ssl_handshake_timeout=TIMEOUT
    )


async def main() -> str:
    # Making keys is CPU work: do it in a thread so the event loop is not blocked.
    server_context, client_context = await asyncio.to_thread(make_contexts)
    server = await start_tls_server(server_context)
    port = server.sockets[0].getsockname()[1]
    try:
        connecting = asyncio.open_connection(
            HOST, port, ssl=client_context, server_hostname="localhost"
        )  # the name the certificate must carry
        reader, writer = await asyncio.wait_for(connecting, TIMEOUT)
        try:
            tls = writer.get_extra_info("ssl_object")
            names = writer.get_extra_info("peercert")["subjectAltName"]
            print(f"{tls.version()} with a certificate for {names}")
            writer.write(b"secret message\n")
            await writer.drain()
            reply = (await asyncio.wait_for(reader.readline(), TIMEOUT)).decode()
            print(f"reply: {reply.strip()!r}")
        finally:
            writer.close()  # sends the TLS close_notify, then closes
            await writer.wait_closed()
    finally:
        server.close()
        await server.wait_closed()
    return reply.strip()


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
