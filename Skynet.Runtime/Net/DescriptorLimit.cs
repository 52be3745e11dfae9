using System.Runtime.InteropServices;

namespace Skynet.Net;

/// <summary>
/// The process's file-descriptor limit (<c>RLIMIT_NOFILE</c>) through libc, as Go's runtime does at start: the soft
/// limit is raised to the hard one, so the node gets every descriptor the administrator allows.
/// </summary>
internal static partial class DescriptorLimit
{
    [StructLayout(LayoutKind.Sequential)]
    struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    // RLIMIT_NOFILE is 7 on Linux and 8 on the BSDs and macOS; rlim_t is 64 bits on every 64-bit Unix .NET runs on.
    static int Resource => OperatingSystem.IsLinux() ? 7 : 8;

    static bool Supported => (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()) && Environment.Is64BitProcess;

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);

    /// <summary>The current soft and hard limits, or null where they cannot be read (Windows).</summary>
    public static (long Soft, long Hard)? Read()
    {
        if (!Supported) return null;
        try
        {
            if (GetRLimit(Resource, out var limit) != 0) return null;
            return (Clamp(limit.Current), Clamp(limit.Maximum));
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Raises the soft limit to the hard one (macOS caps it at <c>OPEN_MAX</c>, 10240). Returns the limits before and
    /// after, or null where there are none to raise; <c>Error</c> is set when the kernel refused.
    /// </summary>
    public static (long Before, long After, string? Error)? RaiseSoftToHard()
    {
        if (!Supported) return null;
        try
        {
            if (GetRLimit(Resource, out var limit) != 0) return null;
            var before = Clamp(limit.Current);
            var target = limit.Maximum;
            if (OperatingSystem.IsMacOS() && target > 10240) target = 10240;
            if (target <= limit.Current) return (before, before, null);
            var raised = new RLimit { Current = target, Maximum = limit.Maximum };
            if (SetRLimit(Resource, raised) != 0)
                return (before, before, $"setrlimit failed with errno {Marshal.GetLastPInvokeError()}");
            return (before, Clamp(target), null);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    static long Clamp(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;
}
