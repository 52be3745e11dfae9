using System.Text;
using Microsoft.Extensions.Logging;
using Skynet.ClusterWire;
using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// skynet's <c>clusteragent</c>: serves one inbound cluster connection. Each request becomes a local "lua" call
/// (pushes a send) to a numeric handle, an <c>@name</c> from <see cref="ClusterClient.Register"/> or a local
/// <c>.name</c>; address 0 answers name queries. Requests run concurrently; replies go back by session. Bytes that
/// break the protocol close this connection with a log line and end the agent.
/// </summary>
internal sealed class ClusterAgent(ClusterClient client) : Service
{
    readonly record struct LargeRequest(ClusterTarget Target, bool Push);

    int _fd;
    string _peer = "";
    LargeMessageAssembler<LargeRequest> _large = null!;
    bool _closed;
    int _inFlight;

    protected override ValueTask OnStart(object?[] args)
    {
        _fd = (int)args[0]!;
        _peer = (string)args[1]!;
        _large = new LargeMessageAssembler<LargeRequest>(client.Options.MaxMessageSize, client.Options.MaxBufferedBytes);
        if (!Sockets.Start(_fd)) throw new InvalidOperationException($"cluster connection from {_peer} closed before its agent started");
        Sockets.NoDelay(_fd);
        Fork(ReadLoop);
        return default;
    }

    async ValueTask ReadLoop()
    {
        var reader = new ClusterFrameReader();
        try
        {
            while (!_closed)
            {
                var read = await Sockets.Read(_fd);
                if (read.Data.Length > 0) reader.Feed(read.Data, this, static (self, body) => self.OnFrame(body));
                if (read.IsClosed) break;
            }
        }
        catch (ClusterProtocolException ex)
        {
            Log(LogLevel.Warning, $"cluster connection from {_peer} sent bad data, closing it: {ex.Message}");
        }
        catch (PackException ex)
        {
            Log(LogLevel.Warning, $"cluster connection from {_peer} sent bad data, closing it: {ex.Message}");
        }
        Close();
    }

    void Close()
    {
        if (_closed) return;
        _closed = true;
        _large.Clear();
        Sockets.Close(_fd);
        Exit();
    }

    void OnFrame(ReadOnlySpan<byte> body)
    {
        var frame = ClusterRequestFrame.Parse(body);
        switch (frame.Kind)
        {
            case ClusterRequestKind.Trace:
                Diagnostics.ClusterTracing.TraceFrame(this, frame.Payload); return; // skynet tags are ignored; a W3C traceparent parents the next request
            case ClusterRequestKind.Single:
                if (_large.IsOpen(frame.Session) && frame.Session != 0)
                    throw new ClusterProtocolException($"session {frame.Session} sent a whole request in the middle of its multi-part one");
                Serve(frame.Target, frame.Session, frame.IsPush, frame.Payload);
                return;
            case ClusterRequestKind.LargeBegin:
                _large.Begin(frame.Session, frame.TotalSize, new LargeRequest(frame.Target, frame.IsPush));
                return;
            default:
                if (_large.Append(frame.Session, frame.Payload, frame.Kind == ClusterRequestKind.LastPart, out var meta, out var message))
                    Serve(meta.Target, frame.Session, meta.Push, message.Span);
                return;
        }
    }

    void Serve(ClusterTarget target, int session, bool push, ReadOnlySpan<byte> payload)
    {
        using var trace = Diagnostics.ClusterTracing.Serving(this, session, push, target);
        if (!target.IsName && target.Handle == 0)
        {
            if (!push) AnswerQuery(session, payload);
            return;
        }
        var address = Resolve(target);
        if (address is null)
        {
            if (push) Log(LogLevel.Warning, $"cluster push from {_peer} to unknown {target} dropped");
            else Reply(session, false, "Invalid name"u8);
            return;
        }
        object?[] args;
        try
        {
            args = SkynetPack.Unpack(payload);
        }
        catch (PackException ex)
        {
            if (push) Log(LogLevel.Warning, $"cluster push from {_peer} to {target} dropped: {ex.Message}");
            else Reply(session, false, Encoding.UTF8.GetBytes(ex.Message));
            return;
        }
        if (push)
        {
            Send(address.Value, PType.Lua, args);
            return;
        }
        if (++_inFlight > client.Options.MaxRequestsInFlight)
            throw new ClusterProtocolException($"more than {client.Options.MaxRequestsInFlight} calls waiting for replies (ClusterOptions.MaxRequestsInFlight)");
        _ = Forward(session, address.Value, args);
    }

    async Task Forward(int session, Address address, object?[] args)
    {
        bool ok;
        byte[] reply;
        try
        {
            reply = LuaValues.PackReply(await Call(address, PType.Lua, args));
            ok = true;
        }
        catch (CallFailedException ex)
        {
            (ok, reply) = (false, Encoding.UTF8.GetBytes(ex.Reason));
        }
        catch (Exception ex) when (ex is PackException or ArgumentException)
        {
            (ok, reply) = (false, Encoding.UTF8.GetBytes($"the reply of {address} cannot be packed: {ex.Message}"));
        }
        finally
        {
            _inFlight--;
        }
        Reply(session, ok, reply);
    }

    Address? Resolve(ClusterTarget target)
    {
        if (target.Name is not { } name) return new Address(target.Handle);
        if (name.StartsWith('@')) return client.Registered(name[1..]);
        if (name.StartsWith('.')) return Node.LocalName(name);
        return null;
    }

    void AnswerQuery(int session, ReadOnlySpan<byte> payload)
    {
        string? name;
        try
        {
            var values = SkynetPack.Unpack(payload);
            name = values.Length > 0 ? values[0] as string : null;
        }
        catch (PackException)
        {
            name = null;
        }
        if (name is not null && client.Registered(name) is { } address) Reply(session, true, SkynetPack.Pack((long)address.Value));
        else Reply(session, false, "name not found"u8);
    }

    void Reply(int session, bool ok, ReadOnlySpan<byte> payload)
    {
        Diagnostics.ClusterTracing.Replied(this, session, ok);
        if (_closed) return;
        var output = new FrameBuffer(ClusterFrames.ResponseSize(ok, payload.Length));
        ClusterFrames.WriteResponse(output, session, ok, payload);
        Sockets.Write(_fd, output.Array);
    }
}
