namespace Skynet;

/// <summary>Where <see cref="Cluster.Open(string)"/> listens.</summary>
/// <param name="Host">The bound address.</param>
/// <param name="Port">The bound port (the real one when 0 was asked for).</param>
public readonly record struct ClusterEndPoint(string Host, int Port)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Host}:{Port}";

    /// <summary>Reads <c>host:port</c> as skynet's cluster config writes it.</summary>
    /// <exception cref="FormatException">Not <c>host:port</c>.</exception>
    public static ClusterEndPoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is < 0 or > 65535)
            throw new FormatException($"'{text}' is not a cluster node address; write it as host:port, like \"127.0.0.1:2528\".");
        return new(text[..colon], port);
    }
}
