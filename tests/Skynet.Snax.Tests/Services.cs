using MemoryPack;

namespace SnaxTests;

public enum Mood : byte
{
    Calm = 1,
    Angry = 2,
}

/// <summary>A mutable message that may evolve: copied on every in-process hop, version-tolerant on the wire.</summary>
[MemoryPackable(GenerateType.VersionTolerant)]
public sealed partial class Note
{
    [MemoryPackOrder(0)] public string? Text { get; set; }
    [MemoryPackOrder(1)] public List<int>? Numbers { get; set; }
}

/// <summary>An immutable record: passed by reference.</summary>
[MemoryPackable(GenerateType.VersionTolerant, SerializeLayout.Sequential)]
public sealed partial record Point(int X, int Y);

/// <summary>A sequential message with a member of every common shape, and a recursive one.</summary>
[MemoryPackable]
public partial class Player
{
    public string? Name;
    public int Level;
    public Mood Mood;
    public int? Rank;
    public Player? Friend;
    public List<string?>? Tags;
    public int[]? Scores;
    public Dictionary<string, int>? Items;
}

[MemoryPackable]
public partial struct Vector
{
    public float X;
    public float Y;
}

[Service]
public sealed partial class Room : Service
{
    readonly List<string> _log = [];
    int _roomId;
    string _title = "";
    Note? _lastNote;

    public static TaskCompletionSource<string> Exited { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    ValueTask OnInit(int roomId, string title)
    {
        _roomId = roomId;
        _title = title;
        Dispatch(PType.Text, m => { Ret("raw:" + m.Payload); return default; });
        return default;
    }

    ValueTask OnExit(string reason)
    {
        Exited.TrySetResult($"{_roomId}:{reason}");
        return default;
    }

    [Accept] public void Say(string text) => _log.Add(text);

    [Accept] public void Keep(Note note) => _lastNote = note;

    [Accept] public async ValueTask SayLater(string text)
    {
        await Sleep(TimeSpan.FromMilliseconds(1));
        _log.Add(text);
    }

    [Response] public string Title() => $"{_roomId}:{_title}";

    [Response] public List<string> Log() => _log;

    [Response] public Note? LastNote() => _lastNote;

    [Response] public async ValueTask<int> CountLater()
    {
        await Sleep(TimeSpan.FromMilliseconds(1));
        return _log.Count;
    }

    [Response] public Task<Point> Move(Point p, int dx) => Task.FromResult(new Point(p.X + dx, p.Y));

    [Response] public ValueTask Clear()
    {
        _log.Clear();
        return default;
    }

    [Response] public Task Touch() => Task.CompletedTask;

    [Response] public void Nothing()
    {
    }

    [Response] public int Fail(string why) => throw new InvalidOperationException(why);

    [Response, Id(7)] public Player Echo(Player player, Vector v, int? maybe) => player;

    [Response] public void Quit(string reason) => Exit(reason);
}

[Service]
public sealed partial class Counter : Service
{
    int _count;

    [Accept] public void Add(int n) => _count += n;

    [Response] public int Get() => _count;
}

/// <summary>A service whose exit and request arguments are optional.</summary>
[Service]
public sealed partial class Lobby : Service
{
    public static TaskCompletionSource<string> Exited { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    ValueTask OnExit(string reason = "closed")
    {
        Exited.TrySetResult(reason);
        return default;
    }

    [Response] public string Greet(string name = "guest", int times = 1) => string.Concat(Enumerable.Repeat(name, times));

    [Response] public void Leave(string reason) => Exit(reason);

    [Response] public void Close() => Exit();
}

/// <summary>A base with mutable state (not [MemoryPackable] itself).</summary>
public abstract record Tagged
{
    public List<string> Tags { get; set; } = [];
    public string? Owner { get; set; }
}

/// <summary>A sealed record whose only own member is immutable, but which inherits mutable ones: copied, not shared.</summary>
[MemoryPackable]
public sealed partial record Labeled(string Name) : Tagged;

/// <summary>A struct holding references: its nullable is MemoryPack's header-1-or-null form.</summary>
[MemoryPackable]
public partial struct Badge
{
    public string? Title;
    public List<int>? Marks;
}

/// <summary>Overloaded handlers, told apart by their ids.</summary>
[Service]
public sealed partial class Tally : Service
{
    int _total;
    Labeled? _label;
    Badge? _badge;

    [Accept] public void Add(int n) => _total += n;

    [Accept, Id(2)] public void Add(int n, int times) => _total += n * times;

    [Response] public int Total() => _total;

    [Accept] public void Keep(Labeled label) => _label = label;

    [Response] public Labeled? Kept() => _label;

    [Accept] public void Pin(Badge? badge) => _badge = badge;

    [Response] public Badge? Pinned() => _badge;
}

[MemoryPackable]
public sealed partial class Holder
{
    public Badge? Badge;
}

/// <summary>Keeps values whose copies come from the collection copiers and from a MemoryPack round trip.</summary>
[Service]
public sealed partial class Shelf : Service
{
    HashSet<string>? _tags;
    (int Id, List<int> Marks) _pair;
    Queue<Note>? _queue;

    [Accept] public void Keep(HashSet<string> tags, (int Id, List<int> Marks) pair, Queue<Note> queue) => (_tags, _pair, _queue) = (tags, pair, queue);

    [Response] public HashSet<string>? Tags() => _tags;

    [Response] public (int Id, List<int> Marks) Pair() => _pair;

    [Response] public Queue<Note>? Queue() => _queue;

    [Response] public Chain? Link(Chain? chain) => chain;
}

/// <summary>The cheapest self-containing type on the wire: one byte per level.</summary>
[MemoryPackable]
public sealed partial class Chain
{
    public Chain? Next;
}
