namespace Skynet.Toolkit;

/// <summary>
/// A 64-bit id generator in the snowflake scheme (skynet-demo's <c>snowflake</c> service, as a plain object a service
/// owns): timestamp, node, worker and sequence fields laid out by a <see cref="SnowflakeLayout"/>. Ids of one generator
/// strictly increase; generators with different (node, worker) never collide.
/// </summary>
/// <remarks>
/// <para>The generator keeps a logical clock: its tick is the later of the wall clock and its last tick. When the wall
/// clock steps backwards (NTP, a VM resume) it neither fails (skynet-demo's "Clock moved backwards") nor waits: it goes
/// on from its last tick. When a tick's sequence is used up it borrows the next tick instead of spinning, so a burst
/// faster than <see cref="SnowflakeLayout.SequencesPerTick"/> per tick runs the id's timestamp ahead of the wall
/// clock until the rate drops. A process that restarts may reuse ticks it borrowed before; give restarted processes
/// a new worker id, or persist <see cref="LastId"/> and pass it back.</para>
/// <para>Thread-safe (one compare-and-swap per id); within one service no other thread competes for it.</para>
/// </remarks>
public sealed class Snowflake
{
    readonly TimeProvider _time;
    readonly bool _systemClock; // read DateTime.UtcNow directly: no virtual call, no DateTimeOffset on the hot path
    readonly long _tickTicks;
    readonly long _epochTicks;
    readonly long _identity;          // node and worker bits, in place
    readonly int _sequenceBits;
    readonly int _timestampShift;
    readonly long _sequenceMask;
    readonly long _maxState;          // the last (tick, sequence) the timestamp field can hold
    long _state;                      // (tick << sequenceBits) | sequence of the last id

    /// <summary>Creates a generator.</summary>
    /// <param name="node">The node id, 0..<see cref="SnowflakeLayout.MaxNode"/>.</param>
    /// <param name="worker">The worker id, 0..<see cref="SnowflakeLayout.MaxWorker"/>.</param>
    /// <param name="layout">The bit layout; <see cref="SnowflakeLayout.Default"/> when null.</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="lastId">An id this (node, worker) made before, to continue after it (see remarks).</param>
    public Snowflake(long node, long worker, SnowflakeLayout? layout = null, TimeProvider? time = null, long lastId = 0)
    {
        Layout = layout ?? SnowflakeLayout.Default;
        Layout.Validate();
        if ((ulong)node > (ulong)Layout.MaxNode) throw new ArgumentOutOfRangeException(nameof(node), node, $"The layout has {Layout.NodeBits} node bits: 0..{Layout.MaxNode}.");
        if ((ulong)worker > (ulong)Layout.MaxWorker) throw new ArgumentOutOfRangeException(nameof(worker), worker, $"The layout has {Layout.WorkerBits} worker bits: 0..{Layout.MaxWorker}.");
        _time = time ?? TimeProvider.System;
        _systemClock = ReferenceEquals(_time, TimeProvider.System);
        _sequenceBits = Layout.SequenceBits;
        _timestampShift = Layout.SequenceBits + Layout.WorkerBits + Layout.NodeBits;
        _sequenceMask = Layout.SequencesPerTick - 1;
        _identity = (node << (Layout.WorkerBits + Layout.SequenceBits)) | (worker << Layout.SequenceBits);
        _maxState = ((1L << Layout.TimestampBits) << _sequenceBits) - 1;
        _epochTicks = Layout.Epoch.UtcTicks;
        _tickTicks = Layout.Tick.Ticks;
        Node = node;
        Worker = worker;
        if (lastId < 0) throw new ArgumentOutOfRangeException(nameof(lastId), lastId, "Snowflake ids are never negative.");
        if (lastId != 0)
        {
            var parts = Decode(lastId);
            _state = (parts.Ticks << _sequenceBits) | parts.Sequence;
        }
    }

    /// <summary>The layout ids are made with.</summary>
    public SnowflakeLayout Layout { get; }

    /// <summary>This generator's node id.</summary>
    public long Node { get; }

    /// <summary>This generator's worker id.</summary>
    public long Worker { get; }

    /// <summary>The last id made (0 before the first).</summary>
    public long LastId
    {
        get
        {
            var state = Volatile.Read(ref _state);
            return state == 0 ? 0 : Compose(state);
        }
    }

    /// <summary>Makes the next id.</summary>
    /// <exception cref="InvalidOperationException">The clock is before the epoch, or the timestamp field is full (the layout's lifetime is over).</exception>
    public long NextId()
    {
        var floor = CurrentTick() << _sequenceBits;
        while (true)
        {
            var last = Volatile.Read(ref _state);
            var next = Math.Max(last + 1, floor);   // sequence overflow carries into the tick: a borrowed tick
            if (next > _maxState)
                throw new InvalidOperationException($"The snowflake timestamp field ({Layout.TimestampBits} bits of {Layout.Tick}) is full: the layout's lifetime since {Layout.Epoch:O} is over. Use a later epoch or more timestamp bits.");
            if (Interlocked.CompareExchange(ref _state, next, last) == last) return Compose(next);
        }
    }

    /// <summary>Splits an id made with this generator's layout into its fields.</summary>
    public SnowflakeId Decode(long id)
    {
        var ticks = id >>> _timestampShift;
        return new SnowflakeId(
            new DateTimeOffset(_epochTicks + ticks * _tickTicks, TimeSpan.Zero),
            ticks,
            (id >>> (Layout.WorkerBits + Layout.SequenceBits)) & Layout.MaxNode,
            (id >>> Layout.SequenceBits) & Layout.MaxWorker,
            id & _sequenceMask);
    }

    long Compose(long state) => ((state >>> _sequenceBits) << _timestampShift) | _identity | (state & _sequenceMask);

    long CurrentTick()
    {
        var elapsed = (_systemClock ? DateTime.UtcNow.Ticks : _time.GetUtcNow().UtcTicks) - _epochTicks;
        if (elapsed < 0) throw new InvalidOperationException($"The clock ({_time.GetUtcNow():O}) is before the snowflake epoch ({Layout.Epoch:O}).");
        return elapsed / _tickTicks;
    }
}
