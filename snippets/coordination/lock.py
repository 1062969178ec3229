"""Do I need a Lock in single-threaded asyncio? Yes, when an update spans an await."""

# --8<-- [start:recipe]
import asyncio


class Account:
    def __init__(self) -> None:
        self.balance = 0
        self.lock = asyncio.Lock()


async def deposit_unsafe(account: Account, amount: int) -> None:
    balance = account.balance  # read
    await asyncio.sleep(0.1)  # a database round trip: other tasks run meanwhile
    account.balance = balance + amount  # write: overwrites their deposits


async def deposit_safe(account: Account, amount: int) -> None:
    async with account.lock:  # one task at a time from the read to the write
        balance = account.balance
        await asyncio.sleep(0.1)
        account.balance = balance + amount


async def main(deposits: int = 5) -> dict[str, int]:
    loop = asyncio.get_running_loop()
    balances = {}
    for deposit in (deposit_unsafe, deposit_safe):
        account = Account()
        start = loop.time()
        await asyncio.gather(*(deposit(account, 10) for _ in range(deposits)))
        took = loop.time() - start
        print(f"{deposit.__name__}: {deposits} x 10 -> balance {account.balance}")
        print(f"  took {took:.2f} s")
        balances[deposit.__name__] = account.balance
    return balances


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
