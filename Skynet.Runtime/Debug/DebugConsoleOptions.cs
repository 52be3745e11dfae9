namespace Skynet.Debugging;

/// <summary>
/// Settings of the debug console (configuration section <c>Skynet:Console</c>: <c>Port</c>, <c>Address</c>,
/// <c>Token</c>, <c>LogPath</c>, <c>MaxLineLength</c>, <c>GreetingDelay</c>).
/// </summary>
public sealed class DebugConsoleOptions
{
    /// <summary>The TCP port (skynet's <c>debug_console</c> argument); 0 picks a free one. Null: no console.</summary>
    public int? Port { get; set; }

    /// <summary>The address to bind; loopback by default. Anything else requires <see cref="Token"/>.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>
    /// The shared secret a client must present before any command when the console listens beyond loopback: the line
    /// <c>auth TOKEN</c> over TCP, or <c>Authorization: Bearer TOKEN</c> (or <c>?token=TOKEN</c>) over HTTP.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>The longest command line accepted; a longer one gets <c>&lt;CMD Error&gt;</c> and the connection closes.</summary>
    public int MaxLineLength { get; set; } = 8192;

    /// <summary>
    /// How long a new connection stays silent before the console greets it (<c>Welcome to skynet console</c>, as
    /// skynet's <c>debug_console</c> does at once). HTTP clients speak first and must not get the greeting ahead of
    /// their response, so a connection that sends anything within this delay is never greeted. A client slower than
    /// this (a browser's preconnected socket, a loaded machine) would read the greeting as a broken response: raise it,
    /// or use <see cref="Timeout.InfiniteTimeSpan"/> to never greet. Default 200 ms.
    /// </summary>
    public TimeSpan GreetingDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Where <c>logon</c> writes its message dumps (skynet's <c>logpath</c>).</summary>
    public string LogPath { get; set; } = ".";

    /// <summary>Checks the settings.</summary>
    /// <exception cref="InvalidOperationException">A console bound beyond loopback has no token, or a value is out of range.</exception>
    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new InvalidOperationException($"Skynet:Console:Port is {Port}; use 0..65535.");
        if (GreetingDelay < TimeSpan.Zero && GreetingDelay != Timeout.InfiniteTimeSpan)
            throw new InvalidOperationException($"Skynet:Console:GreetingDelay is {GreetingDelay}; use a delay of zero or more, or -00:00:00.001 (never greet).");
        if (MaxLineLength < 64) throw new InvalidOperationException("Skynet:Console:MaxLineLength must be at least 64.");
        if (!IsLoopback(Address) && string.IsNullOrEmpty(Token))
            throw new InvalidOperationException($"The debug console would listen on {Address}, beyond loopback, without Skynet:Console:Token. Set a token, or bind 127.0.0.1.");
    }

    static bool IsLoopback(string address) =>
        address == "localhost" || (System.Net.IPAddress.TryParse(address, out var ip) && System.Net.IPAddress.IsLoopback(ip));
}
