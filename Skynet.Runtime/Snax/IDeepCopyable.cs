namespace Skynet.Codecs;

/// <summary>A type with a generated deep copier (every concrete, non-generic <c>[MemoryPackable]</c> type of a project that uses Skynet).</summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
public interface IDeepCopyable<TSelf>
    where TSelf : IDeepCopyable<TSelf>
{
    /// <summary>Returns a deep copy, or the same instance when the type is immutable.</summary>
    static abstract TSelf? DeepCopy(TSelf? value);
}
