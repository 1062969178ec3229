"""How do I mock an async function? unittest.mock.AsyncMock and patch()."""

# --8<-- [start:recipe]
import asyncio
from unittest.mock import AsyncMock, MagicMock, patch


async def fetch_temperature(city: str) -> float:
    """The real one would ask a weather service over the network."""
    raise ConnectionError("no network in this demo")


async def forecast(city: str) -> str:
    """The code under test."""
    try:
        temperature = await fetch_temperature(city)
    except TimeoutError:
        return f"{city}: unknown"
    return f"{city}: {temperature:.0f} °C"


async def main() -> dict[str, object]:
    results: dict[str, object] = {}
    loop = asyncio.get_running_loop()
    # patch() sees that fetch_temperature is an async def and puts an AsyncMock
    # in its place. In a test, patch it where it is used: "myapp.weather.fetch_…".
    with patch(f"{__name__}.fetch_temperature") as fake:
        results["patched with"] = type(fake).__name__

        fake.return_value = 21.4  # what `await fake(...)` gives
        results["return_value"] = await forecast("Oslo")
        fake.assert_awaited_once_with("Oslo")

        fake.side_effect = TimeoutError  # raised when awaited
        results["exception"] = await forecast("Oslo")

        fake.side_effect = [18.0, 19.0]  # one item per await
        results["iterable"] = [await forecast("Oslo"), await forecast("Rome")]
        try:
            await forecast("Paris")
        except StopAsyncIteration:  # the iterable has run out
            results["exhausted"] = "StopAsyncIteration"

        async def slow(city: str) -> float:  # awaited in the mock's place
            await asyncio.sleep(2)
            return 30.0 if city == "Cairo" else 10.0

        fake.side_effect = slow
        start = loop.time()
        results["async function"] = await forecast("Cairo")
        results["took"] = f"{loop.time() - start:.2f} s"
        results["await_count"] = fake.await_count
        results["await_args_list"] = [c.args for c in fake.await_args_list]

    # The pitfall: a MagicMock returns its value directly, and `await 21.4` fails.
    with patch(f"{__name__}.fetch_temperature", MagicMock(return_value=21.4)):
        try:
            await forecast("Oslo")
        except TypeError as error:
            results["MagicMock"] = f"TypeError: {error}"
    # The fix when you build the mock yourself: AsyncMock, not MagicMock.
    with patch(f"{__name__}.fetch_temperature", AsyncMock(return_value=21.4)):
        results["AsyncMock"] = await forecast("Oslo")

    for key, value in results.items():
        print(f"{key}: {value}")
    return results


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
