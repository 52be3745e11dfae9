namespace Skynet.Sproto;

/// <summary>The responder <c>host:dispatch</c> returns with a request that carries a session: packs the response.</summary>
public sealed class SprotoResponder
{
    readonly SprotoHost _host;
    readonly SprotoProtocol _protocol;

    internal SprotoResponder(SprotoHost host, SprotoProtocol protocol, long session)
    {
        _host = host;
        _protocol = protocol;
        Session = session;
    }

    /// <summary>The session the response carries.</summary>
    public long Session { get; }

    /// <summary>Packs the response (<c>response(args, ud)</c>); the content is left out when the protocol's response
    /// has no type.</summary>
    /// <param name="args">The response's fields, or null.</param>
    /// <param name="ud">The header's <c>ud</c> field, when the package type has one.</param>
    public byte[] Respond(IReadOnlyDictionary<string, object?>? args = null, object? ud = null) =>
        _host.EncodeResponse(_protocol, Session, args, ud);
}
