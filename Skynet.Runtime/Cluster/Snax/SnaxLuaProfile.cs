using System.Diagnostics;
using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// snaxd's <c>profile_table</c> for the Lua-form calls one service serves: per method name, how many calls and how
/// many seconds they took. Unlike skynet's <c>skynet.profile</c>, which stops its clock while a coroutine is
/// suspended, the time here is wall time from the call's start to its end, waits included. Used inside the service's
/// turn only, so it needs no lock.
/// </summary>
internal sealed class SnaxLuaProfile
{
    readonly Dictionary<string, (long Count, long Ticks)> _methods = [];

    /// <summary>The clock reading a call starts with.</summary>
    public static long Start() => Stopwatch.GetTimestamp();

    /// <summary>Counts <paramref name="run"/> under <paramref name="method"/> when it ends, failed or not (snaxd's <c>timing</c>).</summary>
    public ValueTask Finish(string method, long start, ValueTask run)
    {
        if (!run.IsCompleted) return TimeLater(method, run, start);
        Add(method, start);
        return run;
    }

    async ValueTask TimeLater(string method, ValueTask run, long start)
    {
        try
        {
            await run;
        }
        finally
        {
            Add(method, start);
        }
    }

    /// <summary>Counts a call that ended (or threw) now.</summary>
    public void Add(string method, long start)
    {
        var elapsed = Stopwatch.GetTimestamp() - start;
        _methods[method] = _methods.TryGetValue(method, out var entry) ? (entry.Count + 1, entry.Ticks + elapsed) : (1, elapsed);
    }

    /// <summary>What <c>snax.profile_info</c> returns: <c>{ [name] = { count = n, time = seconds } }</c>.</summary>
    public LuaTable ToLua()
    {
        var table = new LuaTable();
        foreach (var (name, (count, ticks)) in _methods)
        {
            var row = new LuaTable();
            row.RawSet("count", count);
            row.RawSet("time", (double)ticks / Stopwatch.Frequency);
            table.RawSet(name, row);
        }
        return table;
    }
}
