using Skynet;

namespace Skynet.Samples.Hello;

/// <summary>skynet's tutorial database as a snax service: <c>Set</c> is a post, <c>Get</c> a request; it is also named <c>.mydb</c>.</summary>
[Service]
public sealed partial class MyDb : Service
{
    readonly Dictionary<string, string?> _db = [];

    void OnInit() => Register(".mydb");

    /// <summary>Stores a value (snax <c>accept.set</c>).</summary>
    [Accept] public void Set(string key, string? value) => _db[key] = value;

    /// <summary>Reads a value (snax <c>response.get</c>).</summary>
    [Response] public string? Get(string key) => _db.GetValueOrDefault(key);
}
