using System.ComponentModel;

namespace Skynet;

public abstract partial class Service
{
    /// <summary>
    /// Hot-fix slots swapped for this instance only (index = slot index of the type's <see cref="SnaxSlotTable"/>);
    /// null until the first swap. Read by generated dispatch code; written by <see cref="SnaxHotfix"/> inside the
    /// service's turn.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected internal Delegate?[]? SnaxInstanceSlots { get; internal set; }
}
