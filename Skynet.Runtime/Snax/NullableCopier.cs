using System.ComponentModel;

namespace Skynet.Codecs;

/// <summary>Copies a <c>Nullable&lt;T&gt;</c>: null stays null, a value is copied with <typeparamref name="TCopier"/>.</summary>
/// <typeparam name="T">The struct inside.</typeparam>
/// <typeparam name="TCopier">The copier of <typeparamref name="T"/>.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class NullableCopier<T, TCopier> : IDeepCopier<T?>
    where T : struct
    where TCopier : IDeepCopier<T>
{
    NullableCopier()
    {
    }

    /// <inheritdoc/>
    public static T? Copy(T? value) => value.HasValue ? TCopier.Copy(value.GetValueOrDefault()) : null;
}
