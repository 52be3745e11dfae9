using System.ComponentModel;

namespace Skynet.Codecs;

/// <summary>The copier of <see cref="IDeepCopyable{TSelf}"/> types (the generated copiers of <c>[MemoryPackable]</c> types).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DeepCopyableCopier<T> : IDeepCopier<T?>
    where T : IDeepCopyable<T>
{
    DeepCopyableCopier()
    {
    }

    /// <inheritdoc/>
    public static T? Copy(T? value) => T.DeepCopy(value);
}
