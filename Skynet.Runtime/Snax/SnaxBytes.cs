using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
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
}
