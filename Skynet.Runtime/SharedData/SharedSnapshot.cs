namespace Skynet;

/// <summary>
/// One version of a shared table (skynet's <c>sharedata</c>/<c>sharetable</c> object): the same instance reaches every
/// reader, so a table read by 64 services exists once. A reader holding a snapshot keeps it, unchanged, after an
/// update; it asks for the new one with <see cref="SharedDataClient.Query"/> or hears of it through
/// <see cref="SharedDataClient.Watch"/>.
/// </summary>
/// <remarks>The value must be immutable (records with init-only members, frozen or immutable collections,
/// <see cref="System.Text.Json.JsonElement"/>): every reader shares it, and nothing copies it.</remarks>
/// <param name="Name">The table's name.</param>
/// <param name="Version">1 for the first value, one more for every update.</param>
/// <param name="Value">The table; null only in the notice that the table was deleted.</param>
public sealed record SharedSnapshot(string Name, long Version, object? Value)
{
    /// <summary>True in the change notice sent when the table was deleted.</summary>
    public bool IsDeleted => Value is null;

    /// <summary>The value as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidCastException">The table holds something else.</exception>
    public T As<T>() => Value is T value ? value
        : throw new InvalidCastException($"Shared table '{Name}' (version {Version}) holds a {Value?.GetType().Name ?? "deleted table"}, not a {typeof(T).Name}.");
}
