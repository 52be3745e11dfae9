using Skynet.Gate;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Gate;

/// <summary>A node with the stock gate, a watchdog that records the gate's notices, and an agent that echoes frames.</summary>
public sealed class GateHarness : IAsyncDisposable
{
    readonly List<(string Kind, int Fd, object? Detail)> _events = [];
    readonly List<(Func<string, int, bool> Match, int Count, TaskCompletionSource Seen)> _waiters = [];
    readonly Dictionary<string, int> _counts = [];
    int _echoed;

    GateHarness(TestNode node) => T = node;

    public TestNode T { get; }
    public Address Gate { get; private set; }
    public Address Watchdog { get; private set; }
    public Address Agent { get; private set; }
    public int Port { get; private set; }
    public GateOptions Options { get; private set; } = null!;

    /// <summary>Frames the agent has echoed.</summary>
    public int Echoed => Volatile.Read(ref _echoed);

    /// <param name="configure">Adjusts the options before <c>open</c>.</param>
    /// <param name="forward">When true the watchdog forwards each new client to the echo agent; otherwise it leaves it unread.</param>
    public static async Task<GateHarness> Start(Action<GateOptions>? configure = null, bool forward = true)
    {
        var h = new GateHarness(new TestNode());
        h.Agent = await h.T.Spawn((self, _) =>
        {
            self.Dispatch(PType.Client, message =>
            {
                var frame = (ClientMessage)message.Payload!;
                Interlocked.Increment(ref h._echoed);
                self.Sockets.Write(frame.Fd, NetPack.Pack(frame.Payload));
                return default;
            });
            return default;
        });
        h.Gate = await h.T.Node.NewService(new GateService());
        h.Watchdog = await h.T.Spawn((self, _) =>
        {
            self.Dispatch(PType.Lua, message =>
            {
                var args = message.Args;
                if (args is ["socket", string kind, int fd, ..])
                {
                    if (kind == "open" && forward) self.Send(h.Gate, "forward", fd, Address.None, h.Agent);
                    h.Record(kind, fd, args.Length > 3 ? args[3] : null);
                }
                return default;
            });
            return default;
        });
        var options = new GateOptions { Host = "127.0.0.1", Port = 0, Watchdog = h.Watchdog, NoDelay = true };
        configure?.Invoke(options);
        h.Options = options;
        h.Port = (int)(await TestNode.Within(h.T.Node.Call(h.Gate, "open", options)))!;
        return h;
    }

    void Record(string kind, int fd, object? detail)
    {
        lock (_waiters)
        {
            _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
            if (kind != "open" && kind != "close") _events.Add((kind, fd, detail));
            else if (_events.Count < 1000) _events.Add((kind, fd, detail));
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var (match, count, seen) = _waiters[i];
                if (count == 0 ? match(kind, fd) : _counts.GetValueOrDefault(kind) >= count && match(kind, fd))
                {
                    seen.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Waits (past or future) for the watchdog notice <paramref name="kind"/> about <paramref name="fd"/> (any fd when null).</summary>
    public Task WaitFor(string kind, int? fd = null)
    {
        bool Match(string k, int f) => k == kind && (fd is null || fd == f);
        lock (_waiters)
        {
            foreach (var e in _events)
                if (Match(e.Kind, e.Fd)) return Task.CompletedTask;
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Match, 0, seen));
            return TestNode.Within(seen.Task);
        }
    }

    /// <summary>Waits until the watchdog has seen <paramref name="count"/> notices of <paramref name="kind"/>.</summary>
    public Task WaitCount(string kind, int count)
    {
        lock (_waiters)
        {
            if (_counts.GetValueOrDefault(kind) >= count) return Task.CompletedTask;
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add(((k, _) => k == kind, count, seen));
            return seen.Task;
        }
    }

    /// <summary>
    /// Connections the watchdog heard end (a "close" or "error" notice), each counted once: a gate repeats "close" when
    /// the watchdog forwards a client that is already gone, so an agent started late is ended too.
    /// </summary>
    public int Ended()
    {
        lock (_waiters) return _events.Where(e => e.Kind is "close" or "error").Select(e => e.Fd).Distinct().Count();
    }

    public int Count(string kind)
    {
        lock (_waiters) return _counts.GetValueOrDefault(kind);
    }

    public (string Kind, int Fd, object? Detail)[] Events
    {
        get { lock (_waiters) return [.. _events]; }
    }

    public ValueTask DisposeAsync() => T.DisposeAsync();
}
