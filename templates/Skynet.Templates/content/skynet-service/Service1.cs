using Skynet;

namespace SkynetServiceNamespace;

/// <summary>
/// A snax service. Start it from another service with <c>await Snax.NewService&lt;Service1&gt;("name")</c> (or
/// <c>Snax.UniqueService</c>), from outside with <c>Snax.NewService&lt;Service1&gt;(node, "name")</c>; then
/// <c>proxy.Post.Add(...)</c> is one-way and <c>await proxy.Req.Count()</c> waits for the answer.
/// </summary>
[Service]
public sealed partial class Service1 : Service
{
    readonly Dictionary<string, int> _items = new(StringComparer.Ordinal);
    string _owner = "";

    /// <summary>Runs first, with the arguments given to NewService (snax's init).</summary>
    void OnInit(string owner)
    {
        _owner = owner;
        Log($"Service1 of {owner} started");
    }

    /// <summary>Runs when the service exits: <c>Snax.Kill(proxy, "reason")</c>, <c>Exit("reason")</c>, or a node shutdown (the default reason).</summary>
    void OnExit(string reason = "node stopped") => Log($"Service1 of {_owner} stopped ({reason}) with {_items.Count} kind(s) of item");

    /// <summary>One-way: nobody waits for it (snax's accept).</summary>
    [Accept]
    public void Add(string item, int count) => _items[item] = _items.GetValueOrDefault(item) + count;

    /// <summary>A request: the caller awaits the result (snax's response).</summary>
    [Response]
    public int Count(string item) => _items.GetValueOrDefault(item);
}
