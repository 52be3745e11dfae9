namespace Skynet;

/// <summary>
/// Message type numbers. The values are skynet's <c>PTYPE_*</c> constants, so cluster traffic
/// with real skynet nodes means the same thing on both sides.
/// </summary>
public enum PType
{
    /// <summary>Plain text (<c>PTYPE_TEXT</c>).</summary>
    Text = 0,
    /// <summary>A reply to a request (<c>PTYPE_RESPONSE</c>).</summary>
    Response = 1,
    /// <summary>Multicast channel traffic (<c>PTYPE_MULTICAST</c>).</summary>
    Multicast = 2,
    /// <summary>Frames from a client connection, as forwarded by a gate (<c>PTYPE_CLIENT</c>).</summary>
    Client = 3,
    /// <summary>System messages (<c>PTYPE_SYSTEM</c>).</summary>
    System = 4,
    /// <summary>Harbor traffic (<c>PTYPE_HARBOR</c>).</summary>
    Harbor = 5,
    /// <summary>Socket events (<c>PTYPE_SOCKET</c>).</summary>
    Socket = 6,
    /// <summary>A failed request: the callee died, failed or refused (<c>PTYPE_ERROR</c>).</summary>
    Error = 7,
    /// <summary>Reserved by skynet for queue messages (<c>PTYPE_RESERVED_QUEUE</c>).</summary>
    Queue = 8,
    /// <summary>Debug protocol (<c>PTYPE_RESERVED_DEBUG</c>).</summary>
    Debug = 9,
    /// <summary>The default request protocol, skynet's <c>"lua"</c> (<c>PTYPE_RESERVED_LUA</c>).</summary>
    Lua = 10,
    /// <summary>snax object calls (<c>PTYPE_RESERVED_SNAX</c>).</summary>
    Snax = 11,
    /// <summary>Trace messages (<c>PTYPE_TRACE</c>).</summary>
    Trace = 12,
}
