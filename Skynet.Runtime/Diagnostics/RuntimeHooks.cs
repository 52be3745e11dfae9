namespace Skynet.Diagnostics;

/// <summary>
/// The few calls the core makes into diagnostics. Each is one line at a clear point of the core and costs one static
/// check while no metrics listener, activity listener or console watch is active.
/// </summary>
internal static class RuntimeHooks
{
    /// <summary>The core's one check before calling a hook: something listens, or a session may still be recorded.</summary>
    public static bool Active => SkynetMetrics.Recording || SkynetTracing.Recording || MessageWatch.Any;

    /// <summary>A service took <paramref name="envelope"/> off its mailbox and is about to handle it.</summary>
    public static void MessageHandled(Service service, in Envelope envelope)
    {
        if (SkynetMetrics.MessagesEnabled) SkynetMetrics.MessageHandled(service);
        if (MessageWatch.Any && !envelope.IsControl) MessageWatch.Handled(service, in envelope);
        if (envelope.Session != 0 && !envelope.IsControl && SkynetTracing.Enabled) SkynetTracing.RequestArrived(service.Node, in envelope);
    }

    /// <summary>A service sent a request with <paramref name="session"/>.</summary>
    public static void CallStarted(Service caller, int session, Address destination, PType type)
    {
        if (SkynetMetrics.CallsEnabled) SkynetMetrics.CallStarted(caller, session);
        if (SkynetTracing.Enabled) SkynetTracing.CallStarted(caller, session, destination, type);
    }

    /// <summary>A session of <paramref name="caller"/> ended: a reply (<paramref name="failure"/> null) or a failure.</summary>
    public static void SessionEnded(Service caller, int session, object? failure)
    {
        // Not gated on the listeners: a call started while one listened must not leave its entry behind.
        SkynetMetrics.CallEnded(caller, session, failure);
        SkynetTracing.CallEnded(caller, session, failure);
    }
}
