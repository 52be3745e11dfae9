namespace Skynet.Sproto;

/// <summary>The function <c>host:attach(sp)</c> returns: encodes requests of one schema behind the host's header.</summary>
public sealed class SprotoSender
{
    readonly SprotoHost _host;
    readonly SprotoSchema _schema;

    internal SprotoSender(SprotoHost host, SprotoSchema schema)
    {
        _host = host;
        _schema = schema;
    }

    /// <summary>Packs a request (<c>send_request(name, args, session, ud)</c>). With a session the host remembers
    /// the protocol, so that <see cref="SprotoHost.Dispatch"/> can decode the response.</summary>
    /// <param name="name">The protocol's name.</param>
    /// <param name="args">The request's fields, or null.</param>
    /// <param name="session">The session the response will carry; null for a request that wants no response.</param>
    /// <param name="ud">The header's <c>ud</c> field, when the package type has one.</param>
    /// <returns>The packed message, to frame and send.</returns>
    public byte[] Request(string name, IReadOnlyDictionary<string, object?>? args = null, long? session = null, object? ud = null) =>
        _host.EncodeRequest(_schema, name, args, session, ud);
}
