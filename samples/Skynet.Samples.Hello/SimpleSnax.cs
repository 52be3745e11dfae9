using Skynet;

namespace Skynet.Samples.Hello;

/// <summary>The skynet tutorial's simplesnax: <c>hello</c> (post), <c>echo</c> (req) and <c>quit</c>.</summary>
[Service]
public sealed partial class SimpleSnax : Service
{
    string _greeting = "";

    void OnInit(string greeting)
    {
        _greeting = greeting;
        Log($"simplesnax init: {greeting}");
    }

    void OnExit(string reason) => Log($"simplesnax exit: {reason}");

    /// <summary>One-way hello.</summary>
    [Accept] public void Hello(string who) => Log($"{_greeting}, {who}");

    /// <summary>Echoes its argument back.</summary>
    [Response] public string Echo(string text) => text;

    /// <summary>Answers a <see cref="Greeting"/> with one of its own: a [MemoryPackable] message type in and out.</summary>
    [Response] public Greeting Greet(Greeting greeting) => new("simplesnax", [_greeting, .. greeting.Words]);

    /// <summary>Exits through snax's exit with a reason.</summary>
    [Accept] public void Quit() => Exit("quit");
}
