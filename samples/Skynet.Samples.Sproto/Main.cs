using Skynet.Gate;

namespace Skynet.Samples.Sproto;

/// <summary>skynet's <c>examples/main.lua</c>: loads the protocols, starts the database and the watchdog, opens the
/// gate and exits. (skynet's <c>console</c> and <c>debug_console</c> are left out: this port has neither yet.)</summary>
/// <param name="port">The gate's port (8888 in skynet's example; 0 picks a free one).</param>
/// <param name="protocol"><c>sproto</c> (skynet's example) or <c>protobuf</c> (the same protocol in protobuf).</param>
public sealed class Main(int port = 8888, string protocol = "sproto") : Service
{
    const int MaxClient = 64;

    /// <summary>The port the gate listens on, once <c>NewService</c> of this service returned.</summary>
    public int ListenPort { get; private set; }

    /// <inheritdoc/>
    protected override async ValueTask OnStart(object?[] args)
    {
        Log("Server start");
        await UniqueService("protoloader");
        await NewService("simpledb");
        var watchdog = await NewService("watchdog", protocol);
        var bound = await Call(watchdog, "start", new GateOptions
        {
            Host = "127.0.0.1",
            Port = port,
            MaxClient = MaxClient,
            NoDelay = true,
        });
        ListenPort = (int)bound!;
        Log($"Watchdog listen on 127.0.0.1:{ListenPort}");
        Exit();
    }

    /// <summary>
    /// Starts <paramref name="main"/> as skynet's bootstrap starts <c>main.lua</c>: <c>pcall(skynet.newservice, "main")</c>.
    /// main exits at the end of its start on purpose, which makes <c>NewService</c> fail as skynet's returns nil.
    /// </summary>
    /// <returns>The gate's port.</returns>
    public static async Task<int> Launch(SkynetNode node, Main main)
    {
        try
        {
            await node.NewService(main);
        }
        catch (ServiceStartException e) when (e.ExitedDuringStart)
        {
        }
        return main.ListenPort;
    }

    /// <summary>Registers the example's services by their skynet names.</summary>
    /// <param name="node">The node to register them on.</param>
    public static SkynetNode Register(SkynetNode node) => node
        .AddService<ProtoLoader>("protoloader")
        .AddService<SimpleDb>("simpledb")
        .AddService<Watchdog>("watchdog")
        .AddService<Agent>("agent")
        .AddService<Protobuf.ProtobufAgent>("protobufagent");
}
