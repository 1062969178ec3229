"""How do I add tasks dynamically while others are running?

A crawler: each page fetched may add new pages to fetch, while the others run on.
"""

# --8<-- [start:recipe]
import asyncio

# A pretend web site: url -> (seconds to fetch it, links on the page).
SITE: dict[str, tuple[float, list[str]]] = {
    "/": (0.5, ["/a", "/b"]),
    "/a": (1.0, ["/a/1", "/b"]),
    "/b": (0.5, ["/b/1", "/gone", "/"]),
    "/a/1": (0.25, []),
    "/b/1": (1.0, ["/a/1"]),
}


async def fetch(url: str) -> list[str]:
    """Pretend to download `url`; return the links on it."""
    delay, links = SITE.get(url, (0.25, None))
    await asyncio.sleep(delay)
    if links is None:
        raise LookupError(f"404 Not Found: {url}")
    return links


async def crawl(root: str) -> list[str]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    seen = {root}
    crawled: list[str] = []

    async with asyncio.TaskGroup() as tg:

        async def visit(url: str) -> None:
            try:
                links = await fetch(url)
            except LookupError as error:  # handled here, or it cancels the group
                print(f"{loop.time() - start:.2f} s  failed {url}: {error!r}")
                return
            new = [link for link in links if link not in seen]
            print(f"{loop.time() - start:.2f} s  got {url} -> new: {new}")
            crawled.append(url)
            seen.update(new)
            for link in new:
                tg.create_task(visit(link))  # the group waits for these too

        tg.create_task(visit(root))
    return crawled


# --8<-- [end:recipe]


# --8<-- [start:wait]
async def crawl_with_wait(root: str) -> list[str]:
    """The same crawl without a group: a set of tasks and asyncio.wait()."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    seen = {root}
    crawled: list[str] = []
    pending = {asyncio.create_task(fetch(root), name=root)}
    try:
        while pending:  # asyncio.wait() refuses an empty set
            done, pending = await asyncio.wait(
                pending, return_when=asyncio.FIRST_COMPLETED
            )
            for task in sorted(done, key=asyncio.Task.get_name):
                url = task.get_name()
                now = loop.time() - start
                error = task.exception()
                if error is not None:
                    print(f"{now:.2f} s  failed {url}: {error!r}")
                    continue
                new = [link for link in task.result() if link not in seen]
                print(f"{now:.2f} s  got {url} -> new: {new}")
                crawled.append(url)
                seen.update(new)
                for link in new:  # started now, while the others keep running
                    pending.add(asyncio.create_task(fetch(link), name=link))
    finally:
        for task in pending:  # only if the crawl was cancelled or failed itself
            task.cancel()
        if pending:
            await asyncio.wait(pending)
    return crawled


# --8<-- [end:wait]


# --8<-- [start:main]
async def main() -> list[str]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    crawled = await crawl("/")
    print(f"crawled {crawled} in {loop.time() - start:.2f} s")
    return crawled


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
