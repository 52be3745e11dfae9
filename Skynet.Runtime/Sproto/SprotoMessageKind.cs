namespace Skynet.Sproto;

/// <summary>The first value <c>host:dispatch</c> returns.</summary>
public enum SprotoMessageKind
{
    /// <summary><c>"REQUEST"</c>: the peer calls one of our protocols.</summary>
    Request,

    /// <summary><c>"RESPONSE"</c>: the peer answers a request we sent.</summary>
    Response,
}
