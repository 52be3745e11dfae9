using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

public class EnvTests
{
    [Fact]
    public async Task A_key_is_set_once_and_read_anywhere()
    {
        await using var t = new TestNode(configure: o => o.Env["start"] = "main");
        Assert.Equal("main", t.Node.GetEnv("start"));
        Assert.Null(t.Node.GetEnv("missing"));
        var (read, error) = await t.Inside(self =>
        {
            self.SetEnv("gate_port", "8888");
            return ValueTask.FromResult((self.GetEnv("gate_port"), Record.Exception(() => self.SetEnv("gate_port", "9999"))));
        });
        Assert.Equal("8888", read);
        Assert.Contains("already set to '8888'", Assert.IsType<InvalidOperationException>(error).Message);
        Assert.Equal("8888", t.Node.GetEnv("gate_port"));
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SkynetNode(new SkynetOptions { Harbor = 256 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SkynetNode(new SkynetOptions { Threads = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SkynetNode(new SkynetOptions { MessageBudget = 0 }));
    }

    [Fact]
    public async Task Services_cannot_start_before_the_node_or_after_it_stopped()
    {
        var node = new SkynetNode(new SkynetOptions { Threads = 1 });
        var early = await Assert.ThrowsAsync<InvalidOperationException>(() => node.NewService(new TestService()));
        Assert.Contains("Start the node", early.Message);
        node.Start();
        Assert.Throws<InvalidOperationException>(() => node.Start());
        await node.StopAsync();
        await node.StopAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => node.NewService(new TestService()));
    }
}
