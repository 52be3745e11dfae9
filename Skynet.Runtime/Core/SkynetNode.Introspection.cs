using System.Diagnostics;

namespace Skynet;

public sealed partial class SkynetNode
{
    /// <summary>Every live service, by address (the debug console's <c>list</c>).</summary>
    public IReadOnlyList<ServiceInfo> ListServices()
    {
        var services = LiveServices();
        var list = new List<ServiceInfo>(services.Count);
        foreach (var service in services) list.Add(Describe(service));
        return list;
    }

    /// <summary>The counters of one service, or null when nothing lives at <paramref name="address"/>.</summary>
    public ServiceInfo? GetInfo(Address address) =>
        _registry.Find(address.Value) is { } service ? Describe(service) : null;

    /// <summary>Completes when the service at <paramref name="address"/> is gone (at once if nothing lives there).</summary>
    public Task WhenGone(Address address) =>
        _registry.Find(address.Value) is { } service ? service.Exited : Task.CompletedTask;

    /// <summary>The live service at <paramref name="address"/> (console helpers that must not wait for its turn, such as <c>signal</c>).</summary>
    internal Service? FindService(Address address) => _registry.Find(address.Value);

    /// <summary>How many services are alive.</summary>
    public int ServiceCount => _registry.Count;

    /// <summary>How many timers are waiting to fire.</summary>
    public int PendingTimers => Timers.Pending;

    internal ServiceInfo Describe(Service service) => new(
        service.Self,
        service.ServiceName,
        service.GetType().FullName ?? service.GetType().Name,
        NamesOf(service.Self),
        service.MessageCount,
        service.QueueLength,
        service.ActiveCoroutines,
        service.PendingSessions,
        Options.Profile ? TimeSpan.FromSeconds(service.CpuTicks / (double)Stopwatch.Frequency) : null,
        service.DroppedMessages);
}
