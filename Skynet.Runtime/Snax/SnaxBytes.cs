using System.Buffers;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Skynet.Codecs;

/// <summary>
/// Plumbing for the generated snax byte form (<see cref="ISnaxService{TSelf}"/>): the five-byte request head, the
/// checks and errors, and where a payload is decoded. Every value's bytes are MemoryPack's
/// (<c>MemoryPackSerializer</c>, whose writer and reader state it pools per thread).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SnaxBytes
{
    /// <summary>MemoryPack's object header of a null object (<c>MemoryPackCode.NullObject</c>).</summary>
    const byte NullObject = 255;

    /// <summary>Decodes a payload (generated code): <paramref name="methodId"/> names the method of a result, and is unused for requests.</summary>
    public delegate T Decoder<T>(int methodId, ReadOnlySpan<byte> data);

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

    /// <summary>Writes a request's head: the method id (int32, little-endian) and the arguments' count, which is
    /// MemoryPack's object header of a sequential object with that many members.</summary>
    public static void WriteRequestHead(IBufferWriter<byte> output, int methodId, int count)
    {
        var span = output.GetSpan(5);
        BinaryPrimitives.WriteInt32LittleEndian(span, methodId);
        span[4] = (byte)count;
        output.Advance(5);
    }

    /// <summary>Reads a request's head and moves <paramref name="data"/> past it.</summary>
    /// <exception cref="PackException">Fewer than five bytes.</exception>
    public static int ReadRequestHead(ref ReadOnlySpan<byte> data, out byte count)
    {
        if (data.Length < 5) throw new PackException($"Truncated snax request: {data.Length} byte(s); the method id and argument count take 5.");
        var id = BinaryPrimitives.ReadInt32LittleEndian(data);
        count = data[4];
        data = data.Slice(5);
        return id;
    }

    /// <summary>Checks the argument count of a request.</summary>
    /// <exception cref="PackException">A null argument object or another count.</exception>
    public static void CheckArgumentCount(byte count, int expected, string service, string method)
    {
        if (count != expected)
            throw new PackException($"{service}.{method} takes {expected} argument(s); the request carries {(count == NullObject ? "a null argument object" : count.ToString(CultureInfo.InvariantCulture))}.");
    }

    /// <summary>Throws unless the value read (<paramref name="consumed"/> bytes) filled <paramref name="data"/>: bytes left over are malformed input.</summary>
    public static void EnsureEnd(ReadOnlySpan<byte> data, int consumed)
    {
        if (consumed != data.Length) throw new PackException($"{data.Length - consumed} unexpected byte(s) after the value.");
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

    /// <summary>Decodes a possibly segmented payload: one segment is read in place, several are first copied into a pooled array.</summary>
    public static T Decode<T>(int methodId, in ReadOnlySequence<byte> data, Decoder<T> decode)
    {
        ArgumentNullException.ThrowIfNull(decode);
        if (data.IsSingleSegment) return decode(methodId, data.FirstSpan);
        if (data.Length > Array.MaxLength) throw new PackException($"A snax payload of {data.Length} bytes is larger than any array.");
        var length = (int)data.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            data.CopyTo(rented);
            return decode(methodId, rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>True when a payload of <paramref name="length"/> bytes of a type that can contain itself must not be decoded on the caller's stack.</summary>
    public static bool NeedsOwnStack(long length) => length > InlineNestingBytes || !RuntimeHelpers.TryEnsureSufficientExecutionStack();

    /// <summary>The little-endian int32 at the start of <paramref name="data"/> (a request's method id), or 0 when shorter.</summary>
    public static int PeekInt32(ReadOnlySpan<byte> data) => data.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(data) : 0;

    /// <summary>
    /// Decodes <paramref name="data"/> on a thread whose stack is sized for the deepest nesting the bytes could encode,
    /// so that a forged, absurdly nested payload fails that one call instead of overflowing the stack.
    /// </summary>
    /// <exception cref="PackException">The payload exceeds <see cref="MaxNestingBytes"/> or is malformed.</exception>
    public static T DecodeNested<T>(int methodId, ReadOnlySpan<byte> data, Decoder<T> decode)
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
                result = decode(methodId, bytes);
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
