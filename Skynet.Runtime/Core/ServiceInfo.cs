namespace Skynet;

/// <summary>
/// A snapshot of one service's counters, as the debug console's <c>list</c>, <c>stat</c> and <c>mem</c> show them
/// (skynet's <c>skynet.stat</c>: <c>mqlen</c>, <c>message</c>, <c>task</c>, <c>cpu</c>).
/// </summary>
/// <param name="Address">The service.</param>
/// <param name="Name">The name it was created under.</param>
/// <param name="TypeName">Its .NET type.</param>
/// <param name="LocalNames">The <c>.names</c> pointing at it.</param>
/// <param name="MessageCount">Messages handled so far (replies and timers included).</param>
/// <param name="QueueLength">Messages waiting in its mailbox.</param>
/// <param name="PendingTasks">Coroutines suspended in the middle of a handler, fork or timeout.</param>
/// <param name="PendingSessions">Calls, sleeps and waits it is waiting on.</param>
/// <param name="CpuTime">Time spent in its handlers; null unless the node profiles (<see cref="SkynetOptions.Profile"/>).</param>
/// <param name="DroppedMessages">Messages refused because its mailbox was full (<see cref="Service.MailboxLimit"/>).</param>
public sealed record ServiceInfo(
    Address Address,
    string Name,
    string TypeName,
    IReadOnlyList<string> LocalNames,
    long MessageCount,
    int QueueLength,
    int PendingTasks,
    int PendingSessions,
    TimeSpan? CpuTime,
    long DroppedMessages = 0)
{
    /// <summary>
    /// The service as the debug console's <c>list</c> names it: <c>:0000000a gate (Skynet.Gate) .gate .watchdog</c>
    /// (a record's own ToString would print the names list as a collection type).
    /// </summary>
    public override string ToString()
    {
        var text = $"{Address} {Name} ({TypeName})";
        return LocalNames is { Count: > 0 } names ? text + " " + string.Join(" ", names) : text;
    }
}
