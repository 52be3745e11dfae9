using System.Collections.Concurrent;

namespace Skynet;

/// <summary>
/// The part of skynet's <c>service_mgr</c> that a remote <c>cluster.snax(node, name)</c> asks: a service named
/// <c>.service</c> answering <c>QUERY "snaxd" name</c> with the handle of the snax service published under that name.
/// </summary>
internal sealed class SnaxDirectory(ConcurrentDictionary<string, Address> published) : Service
{
    public const string DirectoryName = ".service";

    protected override ValueTask OnStart(object?[] args)
    {
        Node.Name(DirectoryName, Self);
        Dispatch(PType.Lua, Handle);
        return default;
    }

    ValueTask Handle(Message message)
    {
        var args = message.Payload as object?[] ?? [];
        if (args is ["QUERY" or "GQUERY", "snaxd", string name])
        {
            if (!published.TryGetValue(name, out var address))
                throw new InvalidOperationException($"no snax service is published as '{name}' on this node (SnaxCluster: ClusterClient.PublishSnax)");
            Ret((long)address.Value);
            return default;
        }
        throw new InvalidOperationException($".service supports QUERY \"snaxd\" name; got {string.Join(" ", args)}");
    }
}
