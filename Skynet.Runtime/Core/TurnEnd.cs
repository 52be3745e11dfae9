namespace Skynet;

/// <summary>Something written to during a service's turn that is flushed once when the turn ends, on the same worker.</summary>
internal interface ITurnEndFlush
{
    /// <summary>Runs on the worker right after the turn that deferred it; must not throw.</summary>
    void FlushAtTurnEnd();
}

/// <summary>
/// Work a service's turn defers to its end, on the worker that ran it (skynet's workers write to a socket
/// directly; deferring that write to the end of the turn keeps the writes of one turn in one syscall).
/// </summary>
/// <remarks>The scheduler opens and closes the turn; nothing else in the core knows about it.</remarks>
internal static class TurnEnd
{
    [ThreadStatic] static List<ITurnEndFlush>? t_pending;
    [ThreadStatic] static bool t_open;

    /// <summary>True on a worker inside a service's turn: a <see cref="Defer"/> now is flushed when the turn ends.</summary>
    public static bool InTurn => t_open;

    /// <summary>Flushes <paramref name="item"/> when the current turn ends; call only when <see cref="InTurn"/>.</summary>
    public static void Defer(ITurnEndFlush item) => (t_pending ??= new List<ITurnEndFlush>(4)).Add(item);

    public static void Open() => t_open = true;

    public static void Close()
    {
        t_open = false;
        var pending = t_pending;
        if (pending is null || pending.Count == 0) return;
        try
        {
            for (var i = 0; i < pending.Count; i++) pending[i].FlushAtTurnEnd();
        }
        finally
        {
            pending.Clear();
        }
    }
}
