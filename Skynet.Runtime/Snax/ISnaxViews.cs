namespace Skynet;

/// <summary>
/// Implemented by the generated <c>Req</c> view of a snax proxy: every method sends a request and returns a
/// <see cref="ValueTask"/> to await. Analyzers use it to find dropped requests.
/// </summary>
public interface ISnaxRequestView
{
    /// <summary>The service the requests go to.</summary>
    Address Target { get; }
}

/// <summary>Implemented by the generated <c>Post</c> view of a snax proxy: every method sends one-way and returns at once.</summary>
public interface ISnaxPostView
{
    /// <summary>The service the messages go to.</summary>
    Address Target { get; }
}
