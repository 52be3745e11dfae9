namespace Skynet.Sproto;

/// <summary>An RPC protocol (<c>name tag { request T response U }</c>).</summary>
public sealed class SprotoProtocol
{
    internal SprotoProtocol(string name, int tag, SprotoType? request, SprotoType? response, bool confirm)
    {
        Name = name;
        Tag = tag;
        Request = request;
        Response = response;
        Confirm = confirm;
    }

    /// <summary>The protocol's name.</summary>
    public string Name { get; }

    /// <summary>The protocol's tag, the <c>type</c> field of the <c>package</c> header.</summary>
    public int Tag { get; }

    /// <summary>The request's type, or null when the request carries no content.</summary>
    public SprotoType? Request { get; }

    /// <summary>The response's type, or null when the response carries no content.</summary>
    public SprotoType? Response { get; }

    /// <summary><c>response nil</c>: a response is expected though it carries no content.</summary>
    public bool Confirm { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Tag}";
}
