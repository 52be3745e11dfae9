using System.Buffers;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using MemoryPack;

namespace Skynet.Codecs;

/// <summary>
/// Plumbing for the generated snax byte form (<see cref="ISnaxService{TSelf}"/>): pooled MemoryPack states, the
/// argument-object header check and the errors. Bytes come only from MemoryPack's writer and reader.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SnaxBytes
{
    /// <summary>A writer state from MemoryPack's pool; give it back with <see cref="Return(MemoryPackWriterOptionalState)"/>.</summary>
    public static MemoryPackWriterOptionalState RentWriterState() => MemoryPackWriterOptionalStatePool.Rent(null);

    /// <summary>A reader state from MemoryPack's pool; give it back with <see cref="Return(MemoryPackReaderOptionalState)"/>.</summary>
    public static MemoryPackReaderOptionalState RentReaderState() => MemoryPackReaderOptionalStatePool.Rent(null);

    /// <summary>Resets <paramref name="state"/> and returns it to MemoryPack's pool.</summary>
    public static void Return(MemoryPackWriterOptionalState state) => ((IDisposable)state).Dispose();

    /// <summary>Resets <paramref name="state"/> and returns it to MemoryPack's pool.</summary>
    public static void Return(MemoryPackReaderOptionalState state) => ((IDisposable)state).Dispose();

    /// <summary>Reads the object header of a request's arguments and checks the count.</summary>
    /// <exception cref="PackException">A null header or another argument count.</exception>
    public static void ReadArgumentsHeader(ref MemoryPackReader reader, int count, string service, string method)
    {
        if (!reader.TryReadObjectHeader(out var actual) || actual != count)
            throw new PackException($"{service}.{method} takes {count} argument(s); the request carries {(actual == MemoryPackCode.NullObject ? "a null argument object" : actual.ToString(System.Globalization.CultureInfo.InvariantCulture))}.");
    }

    /// <summary>Throws unless every byte was read: a payload with bytes left over is malformed.</summary>
    public static void EnsureEnd(ref MemoryPackReader reader)
    {
        if (reader.Remaining != 0) throw new PackException($"{reader.Remaining} unexpected byte(s) after the value.");
    }

    /// <summary>True for an exception that a MemoryPack read or write (or a user constructor it ran) raised and that
    /// must reach the caller as a <see cref="PackException"/>.</summary>
    public static bool IsCodecFailure(Exception exception) =>
        exception is not (PackException or OutOfMemoryException or OperationCanceledException);

    /// <summary>The error for a method id the service does not have.</summary>
    public static PackException UnknownMethod(string service, int methodId) =>
        new($"{service} has no snax method with id {methodId}.");

    /// <summary>The error for a method whose argument or result type the shared rule rejects (SKY1013).</summary>
    public static PackException NotCrossable(string service, string method, string type) =>
        new($"{service}.{method} cannot leave the process: {type} is not a type MemoryPack can write (see SKY1013).");

    /// <summary>The error for bytes that are not a valid request or result.</summary>
    public static PackException Malformed(string service, string what, Exception inner) =>
        new($"{service}: malformed snax {what}: {inner.Message}", inner);

    /// <summary>The error for a value MemoryPack could not write.</summary>
    public static PackException CannotPack(string service, string what, Exception inner) =>
        new($"{service}: the snax {what} could not be packed: {inner.Message}", inner);

    /// <summary>Decodes a payload (generated code hands over the span-based reader).</summary>
    public delegate T Decoder<T>(ReadOnlySpan<byte> data);

    /// <summary>
    /// Payloads up to this size decode on the caller's stack even when their type can contain itself: each nesting
    /// level takes at least one byte and MemoryPack's generated readers about 150-200 bytes of stack, well inside what
    /// <see cref="RuntimeHelpers.TryEnsureSufficientExecutionStack"/> guarantees.
    /// </summary>
    public const int InlineNestingBytes = 256;

    /// <summary>
    /// The largest payload of a type that can contain itself that is decoded at all (on a thread whose stack can follow
    /// the deepest nesting those bytes could encode). MemoryPack's reader has no depth limit, so without this a forged
    /// payload could overflow the stack and end the process.
    /// </summary>
    public const int MaxNestingBytes = 256 * 1024;

    const int StackBytesPerNestingByte = 256;

    /// <summary>True when a payload of <paramref name="length"/> bytes of a type that can contain itself must not be decoded on the caller's stack.</summary>
    public static bool NeedsOwnStack(long length) => length > InlineNestingBytes || !RuntimeHelpers.TryEnsureSufficientExecutionStack();

    /// <summary>The little-endian int32 at the start of <paramref name="data"/> (a request's method id), or 0 when shorter.</summary>
    public static int PeekInt32(ReadOnlySpan<byte> data) => data.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(data) : 0;

    /// <summary>The little-endian int32 at the start of <paramref name="data"/>, or 0 when shorter.</summary>
    public static int PeekInt32(in ReadOnlySequence<byte> data)
    {
        if (data.Length < 4) return 0;
        Span<byte> head = stackalloc byte[4];
        data.Slice(0, 4).CopyTo(head);
        return BinaryPrimitives.ReadInt32LittleEndian(head);
    }

    /// <summary>
    /// Decodes <paramref name="data"/> on a thread whose stack is sized for the deepest nesting the bytes could encode,
    /// so that a forged, absurdly nested payload fails that one call instead of overflowing the stack.
    /// </summary>
    /// <exception cref="PackException">The payload exceeds <see cref="MaxNestingBytes"/> or is malformed.</exception>
    public static T DecodeNested<T>(ReadOnlySpan<byte> data, Decoder<T> decode)
    {
        ArgumentNullException.ThrowIfNull(decode);
        if (data.Length > MaxNestingBytes)
            throw new PackException($"A payload of {data.Length} bytes whose type can contain itself exceeds the {MaxNestingBytes}-byte limit for such types (MemoryPack's reader does not bound nesting).");
        var bytes = data.ToArray();
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = decode(bytes);
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, 256 * 1024 + bytes.Length * StackBytesPerNestingByte)
        {
            IsBackground = true,
            Name = "skynet-snax-decode",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
