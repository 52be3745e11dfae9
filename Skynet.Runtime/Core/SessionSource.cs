using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace Skynet;

/// <summary>
/// The suspended side of a session: what a coroutine awaits in <c>Call</c>, <c>Sleep</c>, <c>Wait</c>,
/// <c>Yield</c> and critical sections. It is completed inside the owning service's turn, so the
/// continuation runs inline there, exactly where skynet would resume the coroutine. The scheduling
/// context an awaiter asks for is ignored on purpose: resuming in the turn is already the service's context.
/// Reused through <see cref="Service"/>'s one-slot cache; the version guards against stale awaits.
/// </summary>
internal sealed class SessionSource : IValueTaskSource<object?>, IValueTaskSource<bool>, IValueTaskSource
{
    static readonly Action<object?> s_completedSentinel = static _ => Debug.Fail("sentinel invoked");

    Action<object?>? _continuation;
    object? _continuationState;
    Coroutine? _capturedContext;
    object? _result;
    Exception? _error;
    bool _flag;
    short _version;

    /// <summary>The address a call went to, for error messages.</summary>
    public Address Target;

    /// <summary>For <c>SetTimeout(delay, action)</c>: the work to start when the session fires.</summary>
    public Func<ValueTask>? Callback;

    /// <summary>The wake-up token of a Sleep or Wait, removed when the session ends.</summary>
    public object? Token;

    /// <summary>The caller's cancellation registration, released when the session ends.</summary>
    public CancellationTokenRegistration Cancellation;

    /// <summary>A call's timeout timer, cancelled when the session ends first.</summary>
    public TimerService.TimerEntry? Timer;

    /// <summary>Releases what would outlive the session: the timeout timer and the cancellation registration.</summary>
    public void CancelTimer()
    {
        if (Timer is { } timer)
        {
            Timer = null;
            Owner.Node.Timers.Cancel(timer);
        }
        Cancellation.Dispose();
        Cancellation = default;
    }

    public short Version => _version;

    public void SetResult(object? result, bool flag = false)
    {
        _result = result;
        _flag = flag;
        Signal();
    }

    public void SetException(Exception error)
    {
        _error = error;
        Signal();
    }

    void Signal()
    {
        var continuation = Interlocked.Exchange(ref _continuation, s_completedSentinel);
        if (continuation is not null && !ReferenceEquals(continuation, s_completedSentinel))
        {
            var state = _continuationState;
            var context = _capturedContext;
            _continuationState = null;
            _capturedContext = null;
            if (context is not null) context.Resume(continuation, state);
            else continuation(state); // awaited with ConfigureAwait(false): resumes where it completes
        }
    }

    public ValueTaskSourceStatus GetStatus(short token)
    {
        Validate(token);
        return !ReferenceEquals(Volatile.Read(ref _continuation), s_completedSentinel) ? ValueTaskSourceStatus.Pending
            : _error is null ? ValueTaskSourceStatus.Succeeded
            : _error is OperationCanceledException ? ValueTaskSourceStatus.Canceled
            : ValueTaskSourceStatus.Faulted;
    }

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        Validate(token);
        _continuationState = state;
        _capturedContext = Coroutine.Running;
        var previous = Interlocked.CompareExchange(ref _continuation, continuation, null);
        if (previous is not null)
        {
            // Completed between the awaiter's IsCompleted check and here: only possible when awaited off the
            // service's turn. Resume on the pool rather than deep in someone else's stack.
            _continuationState = null;
            _capturedContext = null;
            ThreadPool.UnsafeQueueUserWorkItem(continuation, state, preferLocal: true);
        }
    }

    object? IValueTaskSource<object?>.GetResult(short token)
    {
        Validate(token);
        var (result, error) = (_result, _error);
        Recycle();
        if (error is not null) throw error;
        return result;
    }

    bool IValueTaskSource<bool>.GetResult(short token)
    {
        Validate(token);
        var (flag, error) = (_flag, _error);
        Recycle();
        if (error is not null) throw error;
        return flag;
    }

    void IValueTaskSource.GetResult(short token)
    {
        Validate(token);
        var error = _error;
        Recycle();
        if (error is not null) throw error;
    }

    public ValueTask<object?> AsObjectTask() => new(this, _version);
    public ValueTask<bool> AsBoolTask() => new(this, _version);
    public ValueTask AsTask() => new(this, _version);

    /// <summary>The service whose sessions this serves; recycling hands the instance back to it.</summary>
    public required Service Owner;

    void Recycle()
    {
        _version++;
        _continuation = null;
        _continuationState = null;
        _capturedContext = null;
        _result = null;
        _error = null;
        _flag = false;
        Target = default;
        Callback = null;
        Token = null;
        Cancellation = default;
        Timer = null;
        Owner.ReturnSource(this);
    }

    void Validate(short token)
    {
        if (token != _version)
            throw new InvalidOperationException("A session's ValueTask was awaited twice or after it was consumed; await runtime calls exactly once.");
    }
}
