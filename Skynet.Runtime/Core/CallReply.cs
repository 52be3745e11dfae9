namespace Skynet;

/// <summary>One answer taken from <see cref="CallBatch.Select"/>: which call it ends, and its reply or its failure.</summary>
/// <param name="Index">The call's position in the batch, in the order it was added.</param>
/// <param name="Destination">The service that was called.</param>
/// <param name="Payload">The reply; null when the call failed.</param>
/// <param name="Error">Why the call failed (usually a <see cref="CallFailedException"/>); null when it was answered.</param>
public readonly record struct CallReply(int Index, Address Destination, object? Payload, Exception? Error)
{
    /// <summary>True when the call was answered normally.</summary>
    public bool Ok => Error is null;
}
