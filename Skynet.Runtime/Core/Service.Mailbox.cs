using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Skynet;

public abstract partial class Service
{
    const int Starting = 0, Running = 1, Exiting = 2, Dead = 3;

    // Senders only touch _inbox; the fields below it belong to the service's own turn (and cold paths).
    Inbox _inbox = null!;
    readonly Lock _lifecycleLock = new(); // responders and the Exited task; senders never take it
    MailSegment? _out;
    int _outPos, _outRemaining;
    volatile int _state;
    volatile bool _exitRequested;
    volatile string? _killReason;
    int _overloadThreshold = OverloadBase;
    long _messageCount;
    long _cpuTicks;
    TaskCompletionSource? _exited;
    bool _gone;

    const int OverloadBase = 1024;

    /// <summary>Completes when the service is gone (exited, killed or failed to start).</summary>
    internal Task Exited
    {
        get
        {
            lock (_lifecycleLock)
            {
                _exited ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_gone) _exited.TrySetResult();
                return _exited.Task;
            }
        }
    }

    internal int QueueLength => _inbox.Count + Volatile.Read(ref _outRemaining);

    internal Inbox Inbox => _inbox;

    /// <summary>Queues a runtime message (never refused by a mailbox limit); false when the service is dead.</summary>
    internal bool Enqueue(in Envelope envelope) => _inbox.Post(in envelope) == Delivery.Delivered;

    /// <summary>Messages the turn detached from the inbox and has not handled yet (read by senders only when a limit is set).</summary>
    internal int DetachedUnhandled => Volatile.Read(ref _outRemaining);

    int? _mailboxLimit;

    /// <summary>
    /// The most messages that may wait in this service's mailbox (beyond skynet, which has no back-pressure); null uses
    /// the node's <see cref="SkynetOptions.MailboxLimit"/>, 0 means no limit. When full, <c>Send</c> to it returns false
    /// and counts a drop, and <c>Call</c> fails at once with <see cref="CallFailure.Overloaded"/>; replies, errors and
    /// exit messages are never refused. Set it in the constructor or in <see cref="OnStart"/>.
    /// </summary>
    public int? MailboxLimit
    {
        get => _mailboxLimit;
        set
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "Use 0 for no limit, null for the node's default.");
            _mailboxLimit = value;
            if (_node is { } node) _inbox.Limit = value ?? node.Options.MailboxLimit;
        }
    }

    /// <summary>User messages refused because this service's mailbox was full.</summary>
    internal long DroppedMessages => _inbox?.Dropped ?? 0;

    internal void ReportDrops(long since, long total, int limit) =>
        Log(LogLevel.Warning, $"Mailbox full ({limit} messages): dropped {since} message(s) since the last report, {total} in all");

    bool TryTake(out Envelope envelope)
    {
        if (_outRemaining == 0)
        {
            var head = _inbox.TakeAll(out var pending, out var start);
            if (pending == 0) { envelope = default; return false; }
            _out = head;
            _outPos = start;
            _outRemaining = pending;
            CheckOverload(pending);
        }
        var segment = _out!;
        envelope = segment.Items[_outPos];
        segment.Items[_outPos] = default; // drop the payload reference once taken
        _outRemaining--;
        if (++_outPos == MailSegment.Size)
        {
            // Its last slot is read, and a full segment left the inbox at the detach that handed us that slot.
            _out = segment.Next;
            _outPos = 0;
            _node!.MailSegments.Return(segment);
        }
        return true;
    }

    /// <summary>
    /// skynet's overload warning: when the queue passes the threshold, the threshold doubles past it and the warning
    /// names the true length (what waits in the inbox plus what the turn detached and has not handled).
    /// </summary>
    void CheckOverload(int length)
    {
        if (length <= _overloadThreshold) return;
        while (length > _overloadThreshold && _overloadThreshold < int.MaxValue / 2) _overloadThreshold *= 2;
        Log(LogLevel.Warning, $"May overload, message queue length = {length}");
    }

    /// <summary>One scheduling turn: up to the node's budget of messages, then back to the run queue if more wait.</summary>
    internal void RunTurn(Worker worker)
    {
        var node = _node!;
        var previousContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_turn ??= Coroutine.ForTurn(this));
        try
        {
            if (_killReason is { } killReason) { Teardown(killReason); return; }
            if (_exitRequested && _state == Running) BeginExit();
            // A long backlog keeps reporting as it grows. The inbox count sits on the senders' cache line, so it is read
            // only when the detached part alone is already half way to the threshold.
            if (_outRemaining > _overloadThreshold / 2) CheckOverload(_outRemaining + _inbox.Count);
            var profile = node.Options.Profile;
            // Handlers that finish synchronously run straight on this thread; an AsyncLocal one of them sets must not
            // leak into the next message (async handlers restore their context by themselves).
            var baseline = ExecutionContext.Capture();
            for (var budget = node.Options.MessageBudget; budget > 0 && _state != Dead; budget--)
            {
                if (!TryTake(out var envelope)) break;
                var started = profile ? Stopwatch.GetTimestamp() : 0;
                worker.BeginMessage(this, envelope.Source);
                try
                {
                    Dispatch(in envelope);
                    RunDeferred();
                }
                catch (Exception ex)
                {
                    Log(LogLevel.Error, $"Runtime failure while dispatching a message from {new Address(envelope.Source)}: {ex.Message}", ex);
                }
                finally
                {
                    worker.EndMessage();
                    if (profile) _cpuTicks += Stopwatch.GetTimestamp() - started;
                    if (baseline is not null && !ReferenceEquals(ExecutionContext.Capture(), baseline)) ExecutionContext.Restore(baseline);
                }
                if (_killReason is { } reason) { Teardown(reason); break; }
                if (_exitRequested && _state == Running) BeginExit();
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
        FinishTurn();
    }

    void FinishTurn()
    {
        var pending = _outRemaining > 0 || _killReason is not null || (_exitRequested && _state == Running);
        if (!_inbox.TryGoIdle(keepScheduled: pending, out var released))
        {
            _node!.Scheduler.Requeue(this);
            return;
        }
        if (released is not null)
        {
            // The shared tail, read to its end (nothing is pending): it was also our reading position.
            if (ReferenceEquals(_out, released)) _out = null;
            _outPos = 0;
            _node!.MailSegments.Return(released);
        }
        _overloadThreshold = OverloadBase;
    }

    /// <summary>Marks the service dead and takes what is left in its mailbox.</summary>
    List<Envelope> CloseMailbox()
    {
        var leftovers = new List<Envelope>();
        _state = Dead;
        var chain = _inbox.Close(out var queued, out var start);
        CollectLeftovers(_out, _outPos, _outRemaining, leftovers); // detached by the turn, not handled yet
        CollectLeftovers(chain, start, queued, leftovers);
        _out = null;
        _outPos = _outRemaining = 0;
        return leftovers;
    }

    static void CollectLeftovers(MailSegment? segment, int position, int count, List<Envelope> into)
    {
        for (; count > 0; count--)
        {
            if (position == MailSegment.Size)
            {
                segment = segment!.Next;
                position = 0;
            }
            into.Add(segment!.Items[position++]);
        }
    }

    /// <summary>Announces that teardown finished: names, handle and waiting callers are all dealt with.</summary>
    void MarkGone()
    {
        lock (_lifecycleLock)
        {
            _gone = true;
            _exited?.TrySetResult();
        }
    }
}
