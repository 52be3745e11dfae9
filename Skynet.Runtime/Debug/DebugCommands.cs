namespace Skynet.Debugging;

/// <summary>
/// skynet's <c>debug_console</c> commands, run inside the console service. Each command gets the words of its line
/// (and the whole line, for <c>call</c>/<c>send</c>) and returns what it prints; an exception prints its message and
/// <c>&lt;CMD Error&gt;</c>. Nothing a client types can stop the node: every failure ends at this boundary.
/// </summary>
sealed partial class DebugCommands
{
    delegate ValueTask<DebugReply> Command(string[] words, string line);

    readonly Service _console;
    readonly DebugConsoleOptions _options;
    readonly Dictionary<string, (Command Run, string Help)> _commands;

    public DebugCommands(Service console, DebugConsoleOptions options)
    {
        _console = console;
        _options = options;
        _commands = new(StringComparer.Ordinal)
        {
            ["help"] = (Help, "This help message"),
            ["list"] = (List, "List all the service"),
            ["stat"] = (Stat, "Dump all stats"),
            ["mem"] = (Mem, "mem : show memory status"),
            ["gc"] = (Gc, "gc : force a full garbage collection"),
            ["info"] = (Info, "info address : get service infomation"),
            ["kill"] = (Kill, "kill address : kill service"),
            ["exit"] = (Exit, "exit address : ask a service to exit (its OnExit runs)"),
            ["task"] = (TaskCounts, "task address : show service task detail"),
            ["uniqtask"] = (TaskCounts, "uniqtask address : show service unique task detail"),
            ["ping"] = (Ping, "ping address"),
            ["call"] = (Call, "call address ... : call a service (lua protocol, or a snax handler by name)"),
            ["send"] = (Send, "send address ... : send to a service (lua protocol, or a snax handler by name)"),
            ["inject"] = (Inject, "inject address file.cs ... : run a C# snippet's Inject(self, ...) inside the service"),
            ["hotfix"] = (Hotfix, "hotfix address file.cs ... : patch a snax service from C# source"),
            ["hotfixes"] = (Hotfixes, "hotfixes address : list the patches of a service"),
            ["rollback"] = (Rollback, "rollback address id : roll back one patch"),
            ["logon"] = (LogOn, "logon address"),
            ["logoff"] = (LogOff, "logoff address"),
            ["trace"] = (Trace, "trace address [on|off] : log each message the service handles"),
            ["profile"] = (Profile, "profile [on|off] : measure cpu time per service"),
            ["signal"] = (Signal, "signal address sig"),
            ["netstat"] = (NetStat, "netstat : show netstat"),
            ["getenv"] = (GetEnv, "getenv name : skynet.getenv(name)"),
            ["setenv"] = (SetEnv, "setenv name value : skynet.setenv(name,value)"),
        };
    }

    SkynetNode Node => _console.Node;

    /// <summary>Runs one command line (skynet's <c>docmd</c>).</summary>
    public async ValueTask<DebugReply> Run(string line)
    {
        var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || !_commands.TryGetValue(words[0], out var command))
            return DebugReply.Error("Invalid command, type help for command list");
        try
        {
            return await command.Run(words, line);
        }
        catch (Exception ex)
        {
            return DebugReply.Error(OneLine(ex));
        }
    }

    static string OneLine(Exception ex)
    {
        var message = ex is AggregateException { InnerException: { } inner } ? inner.Message : ex.Message;
        return message.ReplaceLineEndings("\n");
    }

    ValueTask<DebugReply> Help(string[] words, string line) =>
        new(DebugReply.Table(_commands.Select(c => new KeyValuePair<string, string>(c.Key, c.Value.Help))));

    static string Word(string[] words, int index, string what) =>
        index < words.Length ? words[index] : throw new FormatException($"{words[0]} needs {what}");

    Address Target(string[] words) => DebugAddress.Parse(Word(words, 1, "an address"), Node);

    /// <summary>Runs <paramref name="action"/> inside the target's turn and waits for it.</summary>
    Task<T> Inside<T>(Address target, Func<Service, T> action) =>
        SnaxHotfix.InsideService(Node, target, action).WaitAsync(TimeSpan.FromSeconds(30));
}
