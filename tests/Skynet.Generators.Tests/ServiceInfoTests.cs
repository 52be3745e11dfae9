namespace Skynet.Generators.Tests;

/// <summary>
/// ServiceInfo belongs to the runtime, but its ToString is part of issue 16's "names, not type names" with the
/// generated code, so it is tested with it.
/// </summary>
public sealed class ServiceInfoTests
{
    [Fact]
    public void ToString_prints_the_address_name_type_and_local_names()
    {
        var info = new ServiceInfo(new Address(10), "gate", "Skynet.Gate.GateService", [".gate", ".watchdog"], 3, 0, 0, 0, null);
        Assert.Equal(":0000000a gate (Skynet.Gate.GateService) .gate .watchdog", info.ToString());
        Assert.Equal(":0000000b db (Demo.MyDb)", (info with { Address = new Address(11), Name = "db", TypeName = "Demo.MyDb", LocalNames = [] }).ToString());
    }
}
