namespace Skynet.Codecs;

/// <summary>
/// A type that writes and reads itself in MemoryPack's layout. The source generator implements it for
/// <c>[Packable]</c> types; static abstract members let collection helpers and formatters call it without
/// reflection, boxing or delegates.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
public interface IPackable<TSelf>
    where TSelf : IPackable<TSelf>
{
    /// <summary>Writes <paramref name="value"/> (an object header and its members, or the null header).</summary>
    /// <param name="writer">The writer to append to.</param>
    /// <param name="value">The value; <see langword="null"/> writes <see cref="PackCode.NullObject"/>.</param>
    static abstract void Pack(ref PackWriter writer, scoped in TSelf? value);

    /// <summary>Reads a value written by <see cref="Pack"/>.</summary>
    /// <param name="reader">The reader positioned at the object header.</param>
    /// <param name="value">Receives the value; an implementation may reuse an instance passed in.</param>
    /// <exception cref="PackException">The input is malformed.</exception>
    static abstract void Unpack(ref PackReader reader, scoped ref TSelf? value);
}
