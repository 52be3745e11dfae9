namespace Skynet;

/// <summary>The failure kinds the cluster module reports beyond the core's.</summary>
public static class ClusterFailures
{
    /// <summary>
    /// The remote node is down, offline (mapped to <c>false</c>), unreachable, or its connection dropped before the
    /// reply. Core's <see cref="CallFailure"/> has no such member yet; this is the one place to re-point at
    /// <c>CallFailure.NodeDown</c> once it has.
    /// </summary>
    public const CallFailure NodeDown = (CallFailure)100;

    internal static CallError Down(string reason) => new(NodeDown, reason);
}
