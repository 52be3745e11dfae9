using Skynet.Hosting;

namespace Skynet.Samples.Hello;

/// <summary>The sample node's services and bootstrap, shared by <c>Program.cs</c> and the test that runs the tour.</summary>
public static class HelloNode
{
    /// <summary>Set (to <c>true</c>) by <c>--stay</c>: the node stays up after the tour, until SIGINT/SIGTERM.</summary>
    public const string StayKey = "Skynet:Stay";

    /// <summary>Registers the tour's raw services and boots with <see cref="Main"/>.</summary>
    public static void Configure(SkynetBuilder skynet) => skynet
        .AddService<Echo>("echo")
        .AddService<Bank>("bank")
        .AddService<Auditor>("auditor")
        .Bootstrap<Main>();
}
