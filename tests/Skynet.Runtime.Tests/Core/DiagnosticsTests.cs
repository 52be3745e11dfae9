using Microsoft.Extensions.Logging;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

public class DiagnosticsTests
{
    [Fact]
    public async Task Overload_is_reported_at_1024_queued_messages_and_again_at_double()
    {
        await using var t = new TestNode(threads: 1);
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = 0;
        var target = await TestNode.Within(t.SpawnHandler((_, m) =>
        {
            if (m.Args[0] is "hold") { entered.Set(); gate.Wait(TestNode.Patience); }
            else if (++handled == 5000) done.SetResult();
            return default;
        }));
        t.Node.Send(target, "hold");
        Assert.True(entered.Wait(TestNode.Patience));
        for (var i = 0; i < 5000; i++) t.Node.Send(target, i);
        gate.Set();
        await TestNode.Within(done.Task);
        var line = await TestNode.Within(t.Logs.WaitFor("May overload, message queue length = 5000"));
        Assert.StartsWith($"[{target}] ", line);

        // The threshold doubled: 2048 queued messages warn again only after reaching it.
        entered.Reset();
        gate.Reset();
        done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        handled = 0;
        t.Node.Send(target, "hold");
        Assert.True(entered.Wait(TestNode.Patience));
        for (var i = 0; i < 5000; i++) t.Node.Send(target, i);
        gate.Set();
        await TestNode.Within(done.Task);
        Assert.Equal(2, t.Logs.Lines.Count(l => l.Text.Contains("May overload")));
    }

    [Fact]
    public async Task A_handler_running_past_the_threshold_is_reported_as_an_endless_loop()
    {
        await using var t = new TestNode(configure: o => o.EndlessLoopThreshold = TimeSpan.FromMilliseconds(50));
        using var gate = new ManualResetEventSlim();
        var target = await TestNode.Within(t.SpawnHandler((_, _) => { gate.Wait(TestNode.Patience); return default; }));
        var sender = await TestNode.Within(t.Spawn((self, args) => { self.Send((Address)args[0]!, "spin"); return default; }, target));
        var line = await TestNode.Within(t.Logs.WaitFor("maybe in an endless loop"));
        gate.Set();
        Assert.StartsWith($"[{target}] A message from [ {sender} ] to [ {target} ] maybe in an endless loop (version = ", line);
        Assert.Contains(t.Logs.Lines, l => l.Level == LogLevel.Warning && l.Text == line);
    }

    [Fact]
    public async Task Service_info_reports_messages_queue_tasks_and_cpu_time()
    {
        await using var t = new TestNode(threads: 1, configure: o => o.Profile = true);
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var target = await TestNode.Within(t.Spawn((self, _) =>
        {
            self.Register(".stats");
            self.Dispatch(PType.Lua, async m =>
            {
                switch (m.Args[0])
                {
                    case "hold": entered.Set(); gate.Wait(TestNode.Patience); break;
                    case "park": await self.Wait("parked"); break;
                    case "burn": Thread.SpinWait(200_000); self.Ret(null); break;
                }
            });
            return default;
        }));
        t.Node.Send(target, "park");
        t.Node.Send(target, "hold");
        Assert.True(entered.Wait(TestNode.Patience));
        t.Node.Send(target, "queued 1");
        t.Node.Send(target, "queued 2");
        var busy = t.Node.GetInfo(target)!;
        Assert.Equal(2, busy.QueueLength);
        gate.Set();
        await TestNode.Within(t.Node.Call(target, "burn"));

        var info = t.Node.GetInfo(target)!;
        Assert.Equal(target, info.Address);
        Assert.Equal([".stats"], info.LocalNames);
        Assert.Equal(typeof(TestService).FullName, info.TypeName);
        Assert.Equal(0, info.QueueLength);
        Assert.True(info.MessageCount >= 6, $"message count {info.MessageCount}");
        Assert.Equal(1, info.PendingTasks);
        Assert.Equal(1, info.PendingSessions);
        Assert.NotNull(info.CpuTime);
        Assert.True(info.CpuTime > TimeSpan.Zero);

        var list = t.Node.ListServices();
        Assert.Contains(list, s => s.Address == target);
        Assert.Equal(list.OrderBy(s => s.Address.Value).Select(s => s.Address), list.Select(s => s.Address));
        Assert.Equal(t.Node.ServiceCount, list.Count);
    }

    [Fact]
    public async Task Cpu_time_is_absent_when_profiling_is_off()
    {
        await using var t = new TestNode();
        var target = await TestNode.Within(t.Spawn((_, _) => default));
        Assert.Null(t.Node.GetInfo(target)!.CpuTime);
        Assert.Null(t.Node.GetInfo(new Address(0x00fffff0)));
    }

    [Fact]
    public async Task Service_log_lines_carry_the_address_prefix()
    {
        await using var t = new TestNode();
        var target = await TestNode.Within(t.Spawn((self, _) => { self.Log("hello from a service"); return default; }));
        Assert.Equal($"[{target}] hello from a service", await TestNode.Within(t.Logs.WaitFor("hello from a service")));
    }
}
