using Skynet.Net;
using Skynet.Runtime.Tests.Net;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Gate;

/// <summary>Connection admission of the TCP gate: MaxClient refusals and the idle timeout are logged and counted.</summary>
public sealed class GateAdmissionTests
{
    [Fact]
    public async Task A_client_past_MaxClient_is_closed_logged_and_counted()
    {
        await using var h = await GateHarness.Start(o => o.MaxClient = 2, forward: false);
        var before = await h.T.Inside(self => new ValueTask<long>(self.Sockets.Stats().Refused));
        using var a = await TcpTestClient.Connect(h.Port);
        using var b = await TcpTestClient.Connect(h.Port);
        await TestNode.Within(h.WaitCount("open", 2));
        using var c = await TcpTestClient.Connect(h.Port);
        Assert.Empty(await c.ReadToEnd()); // closed at once
        await TestNode.Within(h.T.Logs.WaitFor("clients connected (MaxClient); refusing"));
        var after = await h.T.Inside(self => new ValueTask<long>(self.Sockets.Stats().Refused));
        Assert.True(after > before);
    }

    [Fact]
    public async Task An_idle_client_is_closed_after_IdleTimeout_and_an_active_one_is_not()
    {
        await using var h = await GateHarness.Start(o => o.IdleTimeout = TimeSpan.FromSeconds(2));
        using var idle = await TcpTestClient.Connect(h.Port);
        Assert.Empty(await idle.ReadToEnd()); // the gate closes it
        await TestNode.Within(h.WaitFor("error"));
        Assert.Contains(h.Events, e => e.Kind == "error" && e.Detail is string reason && reason.StartsWith("idle", StringComparison.Ordinal));
        await TestNode.Within(h.T.Logs.WaitFor("(IdleTimeout); closing it"));

        // A client that keeps talking (every 100 ms, well inside the 2 s timeout, a scheduling stall on a loaded box included) stays past the timeout.
        using var active = await TcpTestClient.Connect(h.Port);
        for (var i = 0; i < 25; i++)
        {
            await active.SendFrame([(byte)i]);
            Assert.Equal([(byte)i], await active.ReadFrame());
            await Task.Delay(100); // the idle clock runs between frames (the test's subject, not a wait for a result)
        }
    }

    [Fact]
    public async Task A_negative_IdleTimeout_is_refused_at_open()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => GateHarness.Start(o => o.IdleTimeout = TimeSpan.FromSeconds(-1)));
    }
}
