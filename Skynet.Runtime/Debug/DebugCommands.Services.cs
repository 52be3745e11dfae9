using System.Diagnostics;
using System.Globalization;
using Skynet.Diagnostics;

namespace Skynet.Debugging;

sealed partial class DebugCommands
{
    ValueTask<DebugReply> List(string[] words, string line) =>
        new(DebugReply.Table(Node.ListServices().Select(s => new KeyValuePair<string, string>(s.Address.ToString(), Describe(s)))));

    static string Describe(ServiceInfo service)
    {
        var shortType = service.TypeName[(service.TypeName.LastIndexOf('.') + 1)..];
        var names = service.LocalNames.Count > 0 ? " " + string.Join(' ', service.LocalNames) : "";
        return (service.Name == shortType ? service.Name : $"{service.Name} ({shortType})") + names;
    }

    ValueTask<DebugReply> Stat(string[] words, string line) =>
        new(DebugReply.Table(Node.ListServices().Select(s => new KeyValuePair<string, string>(s.Address.ToString(), DebugReply.Fields(
            ("cpu", Seconds(s.CpuTime)), ("message", s.MessageCount), ("mqlen", s.QueueLength), ("task", s.PendingTasks))))));

    static string Seconds(TimeSpan? cpu) => (cpu ?? TimeSpan.Zero).TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture);

    // .NET has one heap per process, not one per service as Lua has: mem shows the node's heap (skynet's cmem/jmem).
    ValueTask<DebugReply> Mem(string[] words, string line) => new(MemTable());

    static DebugReply MemTable()
    {
        var info = GC.GetGCMemoryInfo();
        using var process = Process.GetCurrentProcess();
        return DebugReply.Table(
        [
            new("heap", Megabytes(GC.GetTotalMemory(false))),
            new("committed", Megabytes(info.TotalCommittedBytes)),
            new("allocated", Megabytes(GC.GetTotalAllocatedBytes())),
            new("workingset", Megabytes(process.WorkingSet64)),
            new("collections", DebugReply.Fields(("gen0", GC.CollectionCount(0)), ("gen1", GC.CollectionCount(1)), ("gen2", GC.CollectionCount(2)))),
        ]);
    }

    static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes,11}  {bytes / 1048576.0,8:F2} Mb");

    ValueTask<DebugReply> Gc(string[] words, string line)
    {
        var before = GC.GetTotalMemory(false);
        var started = Stopwatch.GetTimestamp();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var after = GC.GetTotalMemory(false);
        _console.Log(string.Create(CultureInfo.InvariantCulture, $"GC {before / 1024.0:F2} Kb -> {after / 1024.0:F2} Kb, cost {Stopwatch.GetElapsedTime(started).TotalSeconds:F2} sec"));
        return new(MemTable());
    }

    async ValueTask<DebugReply> Info(string[] words, string line)
    {
        var target = Target(words);
        var info = Node.GetInfo(target) ?? throw new FormatException($"No service at {target}");
        var custom = await Inside(target, service => service is IDebugInfo debug ? (true, debug.DebugInfo(words[2..])) : (false, null));
        if (custom.Item1)
        {
            return custom.Item2 switch
            {
                IEnumerable<KeyValuePair<string, object?>> pairs => DebugReply.Table(pairs.Select(p => new KeyValuePair<string, string>(p.Key, ConsoleArguments.Format(p.Value)))),
                var value => DebugReply.Success(ConsoleArguments.Format(value)),
            };
        }
        var patches = await SnaxHotfix.List(Node, target).WaitAsync(TimeSpan.FromSeconds(30));
        return DebugReply.Table(
        [
            new("address", info.Address.ToString()),
            new("name", info.Name),
            new("type", info.TypeName),
            new("names", info.LocalNames.Count == 0 ? "-" : string.Join(' ', info.LocalNames)),
            new("message", info.MessageCount.ToString(CultureInfo.InvariantCulture)),
            new("mqlen", info.QueueLength.ToString(CultureInfo.InvariantCulture)),
            new("task", info.PendingTasks.ToString(CultureInfo.InvariantCulture)),
            new("sessions", info.PendingSessions.ToString(CultureInfo.InvariantCulture)),
            new("cpu", Seconds(info.CpuTime)),
            new("hotfixes", patches.Count == 0 ? "-" : string.Join(' ', patches.Select(p => "#" + p.Id))),
            new("trace", MessageWatch.IsTraced(target) ? "on" : "off"),
        ]);
    }

    ValueTask<DebugReply> Kill(string[] words, string line)
    {
        var target = Target(words);
        var info = Node.GetInfo(target);
        if (info is null || !Node.Kill(target)) throw new FormatException($"No service at {target}");
        return new(DebugReply.Table([new(target.ToString(), Describe(info))]));
    }

    async ValueTask<DebugReply> Exit(string[] words, string line)
    {
        var target = Target(words);
        await Inside(target, service => { service.RequestExit(); return true; });
        return DebugReply.Success();
    }

    // skynet lists each suspended coroutine with its traceback; the core exposes counts only, so task and uniqtask agree.
    async ValueTask<DebugReply> TaskCounts(string[] words, string line)
    {
        var target = Target(words);
        var (tasks, sessions) = await Inside(target, _ => Node.GetInfo(target) is { } info ? (info.PendingTasks, info.PendingSessions) : (0, 0));
        return DebugReply.Table([new("task", tasks.ToString(CultureInfo.InvariantCulture)), new("sessions", sessions.ToString(CultureInfo.InvariantCulture))]);
    }

    async ValueTask<DebugReply> Ping(string[] words, string line)
    {
        var target = Target(words);
        var started = Stopwatch.GetTimestamp();
        await Inside(target, _ => true);
        var centiseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds / 10;
        return DebugReply.Success(centiseconds.ToString("0.##", CultureInfo.InvariantCulture));
    }

    ValueTask<DebugReply> LogOn(string[] words, string line)
    {
        var target = Target(words);
        if (Node.GetInfo(target) is null) throw new FormatException($"No service at {target}");
        return new(DebugReply.Success(MessageWatch.LogOn(target, _options.LogPath)));
    }

    ValueTask<DebugReply> LogOff(string[] words, string line) =>
        new(MessageWatch.LogOff(Target(words)) ? DebugReply.Success() : DebugReply.Error("logon was not on for that address"));

    ValueTask<DebugReply> Trace(string[] words, string line)
    {
        var target = Target(words);
        var on = words.Length < 3 ? !MessageWatch.IsTraced(target) : Toggle(words[2]);
        MessageWatch.Trace(target, on);
        return new(DebugReply.Success($"trace {target} {(on ? "on" : "off")}"));
    }

    ValueTask<DebugReply> Profile(string[] words, string line)
    {
        if (words.Length > 1) Node.Options.Profile = Toggle(words[1]);
        return new(DebugReply.Success($"profile is {(Node.Options.Profile ? "on" : "off")}"));
    }

    static bool Toggle(string word) => word switch
    {
        "on" or "true" => true,
        "off" or "false" => false,
        _ => throw new FormatException($"Expected on or off, not '{word}'"),
    };

    ValueTask<DebugReply> Signal(string[] words, string line)
    {
        var target = Target(words);
        var signal = words.Length > 2 ? int.Parse(words[2], CultureInfo.InvariantCulture) : 0;
        var service = Node.FindService(target) ?? throw new FormatException($"No service at {target}");
        if (service is not IDebugSignal receiver) return new(DebugReply.Error($"{target} does not implement IDebugSignal; .NET cannot interrupt its thread"));
        // Delivered on this thread on purpose: a service stuck in a loop never gives its turn to a message.
        receiver.OnSignal(signal);
        return new(DebugReply.Success());
    }

    // skynet's netstat: one line per socket keyed by its position, fields as convert_stat leaves them (sizes of 0 left out).
    // There is no last read/write time here (rtime/wtime); "age" is how long the socket has been open.
    ValueTask<DebugReply> NetStat(string[] words, string line)
    {
        var now = DateTimeOffset.UtcNow;
        var sockets = _console.Sockets.Netstat();
        return new(DebugReply.Table(sockets.Select((s, i) => new KeyValuePair<string, string>(
            (i + 1).ToString(CultureInfo.InvariantCulture), SocketLine(s, now)))));
    }

    static string SocketLine(Net.SocketInfo socket, DateTimeOffset now)
    {
        var fields = new List<(string, object?)>
        {
            ("id", socket.Id),
            ("type", socket.Kind.ToString().ToUpperInvariant()),
            ("state", socket.State.ToString().ToLowerInvariant()),
            ("address", socket.Owner),
            ("age", Age(now - socket.Opened)),
        };
        if (socket.LocalEndPoint is { } local) fields.Add(("sock", local));
        if (socket.RemoteEndPoint is { } peer) fields.Add(("peer", peer));
        AddBytes(fields, "read", socket.BytesIn);
        AddBytes(fields, "write", socket.BytesOut);
        AddBytes(fields, "wbuffer", socket.QueuedBytes);
        return DebugReply.Fields([.. fields]);
    }

    static void AddBytes(List<(string, object?)> fields, string key, long size)
    {
        if (size == 0) return;
        fields.Add((key, size switch
        {
            < 1024 => size.ToString(CultureInfo.InvariantCulture),
            < 1024 * 1024 => (size / 1024.0).ToString("0.0##", CultureInfo.InvariantCulture) + "K",
            _ => (size / (1024.0 * 1024)).ToString("0.0##", CultureInfo.InvariantCulture) + "M",
        }));
    }

    // skynet's time(): seconds below a minute, then [h:]m:ss.
    static string Age(TimeSpan age) => age < TimeSpan.FromMinutes(1)
        ? Math.Max(0, age.TotalSeconds).ToString("0.##", CultureInfo.InvariantCulture) + "s"
        : (age.Hours + (int)age.TotalDays * 24 > 0 ? $"{(int)age.TotalHours}:" : "") + age.ToString(@"m\:ss", CultureInfo.InvariantCulture) + "s";

    ValueTask<DebugReply> GetEnv(string[] words, string line)
    {
        var name = Word(words, 1, "a name");
        return new(DebugReply.Table([new(name, Node.GetEnv(name) ?? "nil")]));
    }

    ValueTask<DebugReply> SetEnv(string[] words, string line)
    {
        Node.SetEnv(Word(words, 1, "a name"), Word(words, 2, "a value"));
        return new(DebugReply.Success());
    }
}
