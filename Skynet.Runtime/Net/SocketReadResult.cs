namespace Skynet.Net;

/// <summary>
/// What a read returned: skynet's <c>data</c>, or <c>false, partial</c> when the socket closed first.
/// </summary>
/// <param name="Data">The bytes read. When <paramref name="IsClosed"/> is true, whatever was left (possibly empty).</param>
/// <param name="IsClosed">True when the socket closed before the read could be satisfied.</param>
public readonly record struct SocketReadResult(byte[] Data, bool IsClosed)
{
    /// <summary>The data as UTF-8 text.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Data);
}
