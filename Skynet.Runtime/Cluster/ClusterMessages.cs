using Skynet.ClusterWire;

namespace Skynet;

// The in-process commands between the cluster module's services. They never leave the process.

/// <summary>To a sender: send <paramref name="Payload"/> (packed) to <paramref name="Target"/> on the sender's node.</summary>
internal sealed record SenderRequest(ClusterTarget Target, byte[] Payload, bool Push);

/// <summary>To a sender: the node moved (or went offline when <paramref name="Host"/> is null).</summary>
internal sealed record SenderChangeNode(string? Host, int Port);

/// <summary>To the daemon: the sender service for a node, waiting for the node to appear unless <c>__nowaiting</c>.</summary>
internal sealed record DaemonSender(string Node);

/// <summary>To the daemon: listen on <paramref name="Host"/>:<paramref name="Port"/>, or on the address <paramref name="Node"/> maps to.</summary>
internal sealed record DaemonListen(string? Host, int Port, string? Node);

/// <summary>To the daemon: new node addresses (a string, or false for offline) and <c>__</c> options.</summary>
internal sealed record DaemonReload(IReadOnlyList<KeyValuePair<string, object?>> Entries);

/// <summary>To the daemon: the proxy service for <paramref name="Target"/> on <paramref name="Node"/>.</summary>
internal sealed record DaemonProxy(string Node, ClusterTarget Target);
