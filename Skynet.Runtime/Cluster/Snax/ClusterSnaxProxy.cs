using Skynet.ClusterWire;

namespace Skynet;

/// <summary>
/// A local stand-in for a snax service on another node: typed <c>Post</c>/<c>Req</c> calls through a
/// <see cref="SnaxProxy{T}"/> of this address become cluster pushes and calls in the chosen <see cref="SnaxWireFormat"/>.
/// </summary>
internal sealed class ClusterSnaxProxy<T>(ClusterClient client) : Service where T : Service, ISnaxService<T>, ISnaxLuaService<T>
{
    string _node = "";
    ClusterTarget _target;
    SnaxWireFormat _format;

    protected override ValueTask OnStart(object?[] args)
    {
        _node = (string)args[0]!;
        _target = (ClusterTarget)args[1]!;
        _format = (SnaxWireFormat)args[2]!;
        Dispatch(PType.Snax, Forward);
        return default;
    }

    ValueTask Forward(Message message)
    {
        var request = (SnaxMessage)message.Payload!;
        var payload = SnaxWire.PackRequest<T>(request, _format);
        if (message.Session == 0)
        {
            client.SendPacked(_node, new SenderRequest(_target, payload, Push: true));
            return default;
        }
        return ForwardCall(request.MethodId, payload);
    }

    async ValueTask ForwardCall(int methodId, byte[] payload)
    {
        var responder = Response();
        try
        {
            var reply = await client.CallPacked(_node, _target, payload);
            responder.Respond(true, SnaxWire.UnpackResult<T>(methodId, reply, _format));
            // Snax.Kill waits for the proxy's address to go: the stand-in goes with the service it stood for.
            if (methodId == SnaxMessage.ExitMethodId) Exit();
        }
        catch (CallFailedException ex)
        {
            responder.Fail(ex.Failure, ex.Reason);
        }
        catch (Exception ex) when (ex is Codecs.PackException or ArgumentException)
        {
            responder.Fail(CallFailure.Refused, $"the reply from {_node} {_target} cannot be read as {typeof(T).Name}'s result: {ex.Message}");
        }
    }
}
