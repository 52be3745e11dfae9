using System.ComponentModel;

namespace Skynet.Codecs;

/// <summary>
/// Copies values of <typeparamref name="T"/> so that two services never share mutable state. Implementations are
/// stateless types passed as generic arguments, composed for nested collections.
/// </summary>
/// <typeparam name="T">The value type copied.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IDeepCopier<T>
{
    /// <summary>Returns a copy of <paramref name="value"/> sharing no mutable state with it.</summary>
    static abstract T Copy(T value);
}
