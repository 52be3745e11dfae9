using System.Net.Sockets;
using System.Reflection;

namespace Skynet.Net;

/// <summary>
/// Lets .NET's socket event thread run a socket's completions itself instead of queuing each to the thread pool
/// (what <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> does for every socket of the process), for the node's
/// own sockets only. Their continuations only read, post a message and start the next wait, as skynet's socket
/// thread does; user code never runs there (services get the data as messages). One thread-pool hand-off less per
/// read: at one frame in flight it was most of the gap to skynet's gate (see docs/benchmarks.md).
/// </summary>
/// <remarks>
/// Uses the runtime's internal <c>Socket.PreferInlineCompletions</c> setter, which System.Net.Sockets keeps for
/// reflection (a DynamicDependency on it); where it is missing (Windows has no event thread) nothing changes.
/// </remarks>
internal static class InlineCompletions
{
    static readonly Action<Socket, bool>? s_prefer = Find();

    /// <summary>Whether this runtime lets a socket prefer inline completions.</summary>
    public static bool Supported => s_prefer is not null;

    /// <summary>Call before the socket's first asynchronous operation.</summary>
    public static void Prefer(Socket socket, NetLimits limits)
    {
        if (s_prefer is null || !limits.InlineSocketCompletions) return;
        try { s_prefer(socket, true); }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException) { }
    }

    static Action<Socket, bool>? Find()
    {
        if (OperatingSystem.IsWindows()) return null;
        var setter = typeof(Socket).GetProperty("PreferInlineCompletions", BindingFlags.NonPublic | BindingFlags.Instance)?.SetMethod;
        return setter is null || setter.GetParameters() is not [{ ParameterType: var type }] || type != typeof(bool)
            ? null
            : setter.CreateDelegate<Action<Socket, bool>>();
    }
}
