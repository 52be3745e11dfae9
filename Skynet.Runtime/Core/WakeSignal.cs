using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Skynet;

/// <summary>
/// A parked worker's wake-up: one waiter, auto-reset. On Linux a bare futex word, so a wake is one
/// <c>futex(WAKE)</c> and a sleep one <c>futex(WAIT)</c>, with no lock between the two threads; elsewhere a
/// <see cref="ManualResetEventSlim"/>.
/// </summary>
/// <remarks>
/// <see cref="ManualResetEventSlim"/> sets and waits under a monitor: the woken worker often found the waker still
/// holding it and blocked a second time, so a frame at one client cost about two sleeps of the worker instead of one
/// (docs/benchmarks.md, "Gate CPU per frame").
/// </remarks>
internal sealed unsafe partial class WakeSignal
{
    const int Empty = 0, Signaled = 1, Sleeping = 2;
    const int FutexWaitPrivate = 128, FutexWakePrivate = 129;

    static readonly long s_futex = RuntimeInformation.IsOSPlatform(OSPlatform.Linux)
        ? RuntimeInformation.ProcessArchitecture switch { Architecture.X64 => 202, Architecture.Arm64 => 98, _ => 0 }
        : 0;

    // On the pinned heap: the kernel keys a futex by address, so the word must never move while a worker sleeps on it.
    readonly int[]? _word = s_futex != 0 ? GC.AllocateArray<int>(1, pinned: true) : null;
    readonly ManualResetEventSlim? _event = s_futex != 0 ? null : new(false, spinCount: 0);

    /// <summary>Wakes the waiter, or lets its next <see cref="Wait"/> return at once.</summary>
    public void Set()
    {
        if (_word is null)
        {
            _event!.Set();
            return;
        }
        ref var word = ref MemoryMarshal.GetArrayDataReference(_word);
        if (Interlocked.Exchange(ref word, Signaled) == Sleeping) Futex(ref word, FutexWakePrivate, 1);
    }

    /// <summary>Sleeps until <see cref="Set"/> (one that came first counts), and consumes the signal.</summary>
    public void Wait()
    {
        if (_word is null)
        {
            _event!.Wait();
            _event.Reset();
            return;
        }
        ref var word = ref MemoryMarshal.GetArrayDataReference(_word);
        while (Interlocked.CompareExchange(ref word, Empty, Signaled) != Signaled)
        {
            // Announce the sleep; a Set in between makes the word Signaled and the kernel returns at once.
            if (Interlocked.CompareExchange(ref word, Sleeping, Empty) == Signaled) continue;
            Futex(ref word, FutexWaitPrivate, Sleeping);
        }
    }

    static void Futex(ref int word, int op, int value) =>
        _ = Syscall(s_futex, (int*)Unsafe.AsPointer(ref word), op, value, 0, 0, 0); // EINTR/EAGAIN: the caller looks again

    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long Syscall(long number, int* address, int op, int value, nint timeout, nint address2, int value3);
}
