namespace Skynet.Benchmarks.Peers;

/// <summary>Heap readings for bytes per actor that the previous measurement's teardown cannot skew.</summary>
internal static class Heap
{
    /// <summary>
    /// The managed heap after full collections, once it stops shrinking: a system stopped by the previous measurement
    /// may still be releasing its actors asynchronously (Proto.Actor's did: a negative "bytes per actor" otherwise).
    /// </summary>
    public static async Task<long> SettledBytes()
    {
        var last = GC.GetTotalMemory(forceFullCollection: true);
        for (var round = 0; round < 40; round++)
        {
            await Task.Delay(25);
            GC.WaitForPendingFinalizers();
            var now = GC.GetTotalMemory(forceFullCollection: true);
            if (Math.Abs(now - last) < 64 * 1024) return now;
            last = now;
        }
        return last;
    }
}
