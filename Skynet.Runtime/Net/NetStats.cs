namespace Skynet.Net;

/// <summary>The socket layer's totals, from <see cref="SocketApi.Stats"/> (also published on the <c>Skynet.Net</c> meter).</summary>
/// <param name="NodeSockets">Sockets open in this node.</param>
/// <param name="ProcessSockets">Sockets open in the process (all nodes): what the descriptor budget counts.</param>
/// <param name="DescriptorLimit">The process's soft descriptor limit, or <see cref="long.MaxValue"/> where there is none.</param>
/// <param name="AcceptCeiling">Sockets the process may hold before this node's listeners stop accepting.</param>
/// <param name="AcceptPauses">Times (episodes) listeners stopped accepting at the descriptor budget, process-wide.</param>
/// <param name="Refused">Connections refused or closed by an admission limit (MaxClient, pending handshakes, idle timeout, write limit), process-wide.</param>
/// <param name="SlowReadersClosed">Connections closed to keep queued output within a send budget, process-wide.</param>
/// <param name="QueuedBytes">Bytes queued for sending on this node's sockets now.</param>
/// <param name="SendBudget">This node's <see cref="NetLimits.SendBudget"/>.</param>
public readonly record struct NetStats(
    int NodeSockets,
    int ProcessSockets,
    long DescriptorLimit,
    long AcceptCeiling,
    long AcceptPauses,
    long Refused,
    long SlowReadersClosed,
    long QueuedBytes,
    long SendBudget);
