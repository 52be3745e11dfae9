namespace Skynet;

/// <summary>How the cluster module fails a call whose node is gone.</summary>
internal static class ClusterFailures
{
    internal static CallError Down(string reason) => new(CallFailure.NodeDown, reason);
}
