namespace Skynet.ClusterWire;

/// <summary>
/// Bytes on a cluster connection that break skynet's cluster protocol (<c>lua-cluster.c</c>): a frame of the wrong
/// size or type, a multi-part message that does not add up, a reply to a session nobody asked for. The connection
/// that carried them is closed; the node carries on.
/// </summary>
public sealed class ClusterProtocolException(string message) : Exception(message);
