using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

public class SmokeTests
{
    [Fact]
    public async Task Echo_service_answers_a_call_from_outside_and_from_a_service()
    {
        await using var t = new TestNode();
        var echo = await TestNode.Within(t.SpawnHandler((self, m) => { self.Ret(m.Args[0]); return default; }));
        Assert.Equal("hi", await TestNode.Within(t.Node.Call(echo, "hi")));
        var viaService = await t.Inside(async self => await self.Call(echo, "again"));
        Assert.Equal("again", viaService);
    }
}
