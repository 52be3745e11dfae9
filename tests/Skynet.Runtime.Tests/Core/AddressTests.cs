using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

public class AddressTests
{
    [Theory]
    [InlineData(0x0000000au, ":0000000a")]
    [InlineData(0x0100000au, ":0100000a")]
    [InlineData(0xff123456u, ":ff123456")]
    public void Formats_like_skynet(uint value, string text)
    {
        Assert.Equal(text, new Address(value).ToString());
        Assert.Equal(text, $"{new Address(value)}");
        Assert.Equal(new Address(value), Address.Parse(text));
        Assert.Equal(new Address(value), Address.Parse(text[1..]));
    }

    [Fact]
    public void Harbor_is_the_high_eight_bits()
    {
        var address = Address.Create(3, 0x10);
        Assert.Equal(3, address.Harbor);
        Assert.Equal(0x10u, address.LocalId);
        Assert.Equal(":03000010", address.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => Address.Create(256, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Address.Create(1, 0x0100_0000));
    }

    [Theory]
    [InlineData("")]
    [InlineData(":")]
    [InlineData(".mydb")]
    [InlineData(":123456789")]
    [InlineData("xyz")]
    public void Rejects_what_is_not_an_address(string text)
    {
        Assert.False(Address.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => Address.Parse(text));
        Assert.Contains("not a service address", error.Message);
    }

    [Fact]
    public async Task Services_on_a_harbor_carry_it_in_their_address()
    {
        await using var t = new TestNode(configure: o => o.Harbor = 5);
        var address = await TestNode.Within(t.Spawn((_, _) => default));
        Assert.Equal(5, address.Harbor);
        Assert.StartsWith(":05", address.ToString());
    }

    [Fact]
    public async Task Addresses_are_not_reused_while_ids_remain()
    {
        await using var t = new TestNode();
        var first = await TestNode.Within(t.Spawn((_, _) => default));
        Assert.True(t.Node.Kill(first));
        var second = await TestNode.Within(t.Spawn((_, _) => default));
        Assert.NotEqual(first, second);
        Assert.True(second.LocalId > first.LocalId);
    }

    [Fact]
    public async Task A_reused_handle_never_receives_mail_meant_for_the_dead_service()
    {
        // Four local ids (one is the node's client port), so ids wrap quickly and get reused.
        await using var t = new TestNode(threads: 1, maxLocalId: 4);
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var oldGotMail = 0;
        var old = await TestNode.Within(t.Spawn((self, _) =>
        {
            self.Dispatch(PType.Lua, m =>
            {
                // Holding the only worker keeps the later mail queued until the kill is in place.
                if (m.Args[0] is "block") { entered.Set(); gate.Wait(TestNode.Patience); }
                else Interlocked.Increment(ref oldGotMail);
                return default;
            });
            return default;
        }));
        t.Node.Send(old, "block");
        Assert.True(entered.Wait(TestNode.Patience));
        var pendingCall = t.Node.Call(old, "stale call");
        t.Node.Send(old, "stale send");
        Assert.True(t.Node.Kill(old));
        gate.Set();

        var failure = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(pendingCall));
        Assert.Equal(CallFailure.ServiceExited, failure.Failure);

        // Spawn until the old id is handed out again.
        var newGotMail = 0;
        Address reused = default;
        for (var i = 0; i < 8 && reused != old; i++)
        {
            reused = await TestNode.Within(t.Spawn((self, _) =>
            {
                self.Dispatch(PType.Lua, m => { Interlocked.Increment(ref newGotMail); self.Ret(m.Args[0]); return default; });
                return default;
            }));
            if (reused != old) t.Node.Kill(reused);
        }
        Assert.Equal(old, reused);
        Assert.Equal("fresh", await TestNode.Within(t.Node.Call(reused, "fresh")));
        Assert.Equal(1, newGotMail);
        Assert.Equal(0, oldGotMail);
    }
}
