using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Skynet.Gate;
using Skynet.Gate.WebSocket;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Gate.WebSocket;

/// <summary>
/// A node with a WebSocket gate (a master with slaves, or one standalone gate), a watchdog that records notices with
/// the slave that sent them, and an echo agent that replies through the gate (text as text, binary as binary).
/// </summary>
public sealed class WsGateHarness : IAsyncDisposable
{
    readonly List<(string Kind, int Fd, object? Detail, Address From)> _events = [];
    readonly List<(Func<string, int, bool> Match, TaskCompletionSource Seen)> _waiters = [];

    WsGateHarness(TestNode node) => T = node;

    public TestNode T { get; }
    public Address Gate { get; private set; }
    public Address Watchdog { get; private set; }
    public Address Agent { get; private set; }
    public int Port { get; private set; }
    public WebSocketGateOptions Options { get; private set; } = null!;

    public static async Task<WsGateHarness> Start(Action<WebSocketGateOptions>? configure = null, bool master = true, bool forward = true)
    {
        var h = new WsGateHarness(new TestNode());
        h.Agent = await h.T.Spawn((self, _) =>
        {
            self.Dispatch(PType.Client, message =>
            {
                var frame = (ClientMessage)message.Payload!;
                if (frame.IsText) self.Send(frame.Gate, "response", frame.Fd, System.Text.Encoding.UTF8.GetString(frame.Payload));
                else self.Send(frame.Gate, "response", frame.Fd, frame.Payload);
                return default;
            });
            return default;
        });
        h.Gate = master ? await h.T.Node.NewService(new WebSocketMasterGate()) : await h.T.Node.NewService(new WebSocketGate());
        h.Watchdog = await h.T.Spawn((self, _) =>
        {
            self.Dispatch(PType.Lua, message =>
            {
                if (message.Args is ["socket", string kind, int fd, ..] args)
                {
                    if (kind == "open" && forward) self.Send(h.Gate, "forward", fd, Address.None, h.Agent);
                    h.Record(kind, fd, args.Length > 3 ? args[3] : null, message.Source);
                }
                return default;
            });
            return default;
        });
        var options = new WebSocketGateOptions { Host = "127.0.0.1", Port = 0, Watchdog = h.Watchdog, NoDelay = true };
        configure?.Invoke(options);
        h.Options = options;
        h.Port = (int)(await TestNode.Within(h.T.Node.Call(h.Gate, "open", options)))!;
        return h;
    }

    public Uri Uri(string path = "/") => new($"{(Options.IsSecure ? "wss" : "ws")}://127.0.0.1:{Port}{path}");

    /// <summary>A browser-style client; for wss it accepts the test's self-signed certificate.</summary>
    public async Task<ClientWebSocket> Connect(string path = "/")
    {
        var client = new ClientWebSocket();
        client.Options.RemoteCertificateValidationCallback = static (_, certificate, _, errors) =>
            errors == SslPolicyErrors.None || certificate?.Subject == TestCertificate.Subject;
        await TestNode.Within(client.ConnectAsync(Uri(path), CancellationToken.None));
        return client;
    }

    void Record(string kind, int fd, object? detail, Address from)
    {
        lock (_waiters)
        {
            _events.Add((kind, fd, detail, from));
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(kind, fd)) continue;
                _waiters[i].Seen.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    /// <summary>Waits (past or future) for a notice of <paramref name="kind"/> (about <paramref name="fd"/> when given).</summary>
    public Task WaitFor(string kind, int? fd = null)
    {
        bool Match(string k, int f) => k == kind && (fd is null || fd == f);
        lock (_waiters)
        {
            foreach (var e in _events)
                if (Match(e.Kind, e.Fd)) return Task.CompletedTask;
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Match, seen));
            return TestNode.Within(seen.Task);
        }
    }

    /// <summary>Waits until <paramref name="count"/> notices of <paramref name="kind"/> have come.</summary>
    public async Task WaitCount(string kind, int count)
    {
        var deadline = DateTime.UtcNow + TestNode.Patience;
        while (Count(kind) < count)
        {
            Task next;
            lock (_waiters)
            {
                if (_events.Count(e => e.Kind == kind) >= count) return;
                var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add(((k, _) => k == kind, seen));
                next = seen.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"{Count(kind)} of {count} '{kind}' notices came");
            await next.WaitAsync(left);
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
        lock (_waiters) return _events.Count(e => e.Kind == kind);
    }

    public (string Kind, int Fd, object? Detail, Address From)[] Events
    {
        get { lock (_waiters) return [.. _events]; }
    }

    public ValueTask DisposeAsync() => T.DisposeAsync();
}

/// <summary>A self-signed certificate made in-process and written to a temporary PFX file, for wss tests.</summary>
public sealed class TestCertificate : IDisposable
{
    public const string Subject = "CN=skynet-ws-test";

    public TestCertificate(string? password = "test")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(Subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"skynet-ws-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(Path, certificate.Export(X509ContentType.Pfx, password));
        Password = password;
    }

    public string Path { get; }
    public string? Password { get; }

    public void Dispose() => File.Delete(Path);
}
