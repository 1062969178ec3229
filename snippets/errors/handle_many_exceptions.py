"""How do I handle exceptions from many tasks? gather(..., return_exceptions=True)."""

# --8<-- [start:recipe]
import asyncio


async def fetch(name: str, delay: float, error: Exception | None = None) -> str:
    """Pretend to download `name`; fail with `error` if one is given."""
    await asyncio.sleep(delay)
    if error is not None:
        raise error
    return f"contents of {name}"


async def main() -> dict[str, str]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    jobs = {
        "a.json": fetch("a.json", 1.0),
        "b.json": fetch("b.json", 0.5, ConnectionError("connection refused")),
        "c.json": fetch("c.json", 2.0),
        "d.json": fetch("d.json", 1.5, ValueError("invalid JSON")),
    }
    results = await asyncio.gather(*jobs.values(), return_exceptions=True)
    report = {}
    for name, result in zip(jobs, results, strict=True):
        if isinstance(result, BaseException):  # also catches CancelledError
            report[name] = f"failed: {result!r}"
        else:
            report[name] = f"ok: {result}"
        print(f"{name}  {report[name]}")
    print(f"all four finished after {loop.time() - start:.2f} s")
    return report


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
