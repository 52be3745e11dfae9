using System.ComponentModel;

namespace Skynet.Codecs;

/// <summary>The copier of immutable values: returns the value itself.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class IdentityCopier<T> : IDeepCopier<T>
{
    IdentityCopier()
    {
    }

    /// <inheritdoc/>
    public static T Copy(T value) => value;
}
