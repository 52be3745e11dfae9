using Skynet.ClusterWire;

namespace Skynet;

/// <summary>
/// skynet's <c>clusterproxy</c>: a local address standing for one service on another node. A "lua" send to it
/// becomes a cluster push, a call a cluster call whose reply (or failure) goes back to the caller.
/// </summary>
internal sealed class ClusterProxy(ClusterClient client) : Service
{
    string _node = "";
    ClusterTarget _target;

    protected override ValueTask OnStart(object?[] args)
    {
        _node = (string)args[0]!;
        _target = (ClusterTarget)args[1]!;
        Dispatch(PType.Lua, Forward);
        return default;
    }

    ValueTask Forward(Message message)
    {
        var payload = LuaValues.PackArgs(message.Payload);
        if (message.Session == 0)
        {
            client.SendPacked(_node, new SenderRequest(_target, payload, Push: true));
            return default;
        }
        return ForwardCall(payload);
    }

    async ValueTask ForwardCall(byte[] payload)
    {
        var responder = Response();
        try
        {
            var reply = await client.CallPacked(_node, _target, payload);
            responder.Respond(true, LuaValues.UnpackReply(reply));
        }
        catch (CallFailedException ex)
        {
            responder.Fail(ex.Failure, ex.Reason);
        }
    }
}
