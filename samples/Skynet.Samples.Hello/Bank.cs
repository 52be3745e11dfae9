using Skynet;

namespace Skynet.Samples.Hello;

/// <summary>
/// skynet's reentrancy hazard in miniature. A deposit reads the balance, awaits the auditor, then writes it back.
/// While it awaits, the service handles other deposits, which read the same old balance: updates are lost.
/// <c>deposit_safe</c> runs the same code inside a <see cref="CriticalSection"/> (skynet.queue) and loses nothing.
/// </summary>
public sealed class Bank : Service
{
    readonly CriticalSection _queue = new();
    Address _auditor;
    int _balance;

    protected override ValueTask OnStart(object?[] args)
    {
        _auditor = (Address)args[0]!;
        Dispatch(PType.Lua, async message =>
        {
            switch (message.Args[0])
            {
                case "deposit": Ret(await Deposit(message.Arg<int>(1))); break;
                case "deposit_safe": Ret(await _queue.Run(() => Deposit(message.Arg<int>(1)))); break;
                case "balance": Ret(_balance); break;
                case "reset": _balance = 0; Ret(null); break;
                default: throw new ArgumentException($"bank has no command '{message.Args[0]}'");
            }
        });
        return default;
    }

    // The hazard on purpose: SKY1001 reports exactly this, and deposit_safe is the fix it proposes.
#pragma warning disable SKY1001
    async ValueTask<int> Deposit(int amount)
    {
        var before = _balance;
        await Call(_auditor, "audit", amount); // a yield point: other messages run here
        _balance = before + amount;
        return _balance;
    }
#pragma warning restore SKY1001
}

/// <summary>Takes a little time to approve each amount, as a remote check would.</summary>
public sealed class Auditor : Service
{
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, async message =>
        {
            await Sleep(TimeSpan.FromMilliseconds(5));
            Ret(true);
        });
        return default;
    }
}
