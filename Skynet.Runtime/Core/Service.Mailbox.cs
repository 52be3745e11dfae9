using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Skynet;

public abstract partial class Service
{
    const int Starting = 0, Running = 1, Exiting = 2, Dead = 3;

    // Producers append to _in under the lock; the service's turn swaps it with the drained _out buffer, so
    // the consumer takes the lock once per batch, not once per message (skynet's message_queue, double-buffered).
    readonly Lock _mailboxLock = new();
    Envelope[] _in = [];
    Envelope[] _out = [];
    int _inCount, _outCount, _outPos;
    bool _scheduled;
    volatile int _state;
    volatile bool _exitRequested;
    volatile string? _killReason;
    int _overloadThreshold = OverloadBase;
    long _messageCount;
    long _cpuTicks;
    TaskCompletionSource? _exited;
    bool _gone;

    const int OverloadBase = 1024;

    internal bool IsDead => _state == Dead;

    /// <summary>Completes when the service is gone (exited, killed or failed to start).</summary>
    internal Task Exited
    {
        get
        {
            lock (_mailboxLock)
            {
                _exited ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_gone) _exited.TrySetResult();
                return _exited.Task;
            }
        }
    }

    internal int QueueLength
    {
        get { lock (_mailboxLock) return _inCount + (_outCount - _outPos); }
    }

    /// <summary>Queues a message; false when the service is dead (the message was not taken).</summary>
    internal bool Enqueue(in Envelope envelope)
    {
        bool schedule;
        lock (_mailboxLock)
        {
            if (_state == Dead) return false;
            if (_inCount == _in.Length) Array.Resize(ref _in, Math.Max(8, _in.Length * 2));
            _in[_inCount++] = envelope;
            schedule = !_scheduled;
            _scheduled = true;
        }
        if (schedule) _node!.Scheduler.Schedule(this);
        return true;
    }

    /// <summary>Makes sure the service gets a turn even with an empty mailbox (kill and exit requests).</summary>
    void Wake()
    {
        lock (_mailboxLock)
        {
            if (_state == Dead || _scheduled) return;
            _scheduled = true;
        }
        _node!.Scheduler.Schedule(this);
    }

    bool TryTake(out Envelope envelope)
    {
        if (_outPos == _outCount)
        {
            int pending;
            lock (_mailboxLock)
            {
                if (_inCount == 0) { envelope = default; return false; }
                (_in, _out) = (_out, _in);
                _outCount = _inCount;
                _outPos = 0;
                _inCount = 0;
                pending = _outCount;
            }
            if (pending > _overloadThreshold)
            {
                Log(LogLevel.Warning, $"May overload, message queue length = {pending}");
                _overloadThreshold *= 2;
            }
        }
        envelope = _out[_outPos];
        _out[_outPos++] = default; // drop the payload reference once taken
        return true;
    }

    /// <summary>One scheduling turn: up to the node's budget of messages, then back to the run queue if more wait.</summary>
    internal void RunTurn(Worker worker)
    {
        var node = _node!;
        var previousContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_syncContext ??= new ServiceSynchronizationContext(this));
        t_current = this;
        try
        {
            if (_killReason is { } killReason) { Teardown(killReason); return; }
            if (_exitRequested && _state == Running) BeginExit();
            var profile = node.Options.Profile;
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
                }
                if (_killReason is { } reason) { Teardown(reason); break; }
                if (_exitRequested && _state == Running) BeginExit();
            }
        }
        finally
        {
            t_current = null;
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
        FinishTurn();
    }

    void FinishTurn()
    {
        lock (_mailboxLock)
        {
            if (_state == Dead) { _scheduled = false; return; }
            var idle = _inCount == 0 && _outPos == _outCount;
            if (idle && _killReason is null && !(_exitRequested && _state == Running))
            {
                _scheduled = false;
                _overloadThreshold = OverloadBase;
                return;
            }
        }
        _node!.Scheduler.Schedule(this);
    }

    /// <summary>Marks the service dead and takes what is left in its mailbox.</summary>
    List<Envelope> CloseMailbox()
    {
        var leftovers = new List<Envelope>();
        lock (_mailboxLock)
        {
            _state = Dead;
            for (var i = _outPos; i < _outCount; i++) leftovers.Add(_out[i]);
            for (var i = 0; i < _inCount; i++) leftovers.Add(_in[i]);
            _in = _out = [];
            _inCount = _outCount = _outPos = 0;
        }
        return leftovers;
    }

    /// <summary>Announces that teardown finished: names, handle and waiting callers are all dealt with.</summary>
    void MarkGone()
    {
        lock (_mailboxLock)
        {
            _gone = true;
            _exited?.TrySetResult();
        }
    }
}
