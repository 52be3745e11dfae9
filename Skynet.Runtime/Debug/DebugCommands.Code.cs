using System.Reflection;
using System.Text.RegularExpressions;
using Skynet.Hotfix;

namespace Skynet.Debugging;

sealed partial class DebugCommands
{
    static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    async ValueTask<DebugReply> Call(string[] words, string line)
    {
        var target = Target(words);
        var args = ConsoleArguments.Parse(ArgumentsOf(line, 2) ?? throw new FormatException("need arguments"));
        if (await IsSnax(target)) return DebugReply.Success(ConsoleArguments.Format(await InvokeSnax(target, args)));
        var reply = await _console.Call(target, PType.Lua, args, CallTimeout);
        return DebugReply.Success(ConsoleArguments.Format(reply));
    }

    async ValueTask<DebugReply> Send(string[] words, string line)
    {
        var target = Target(words);
        var args = ConsoleArguments.Parse(ArgumentsOf(line, 2) ?? throw new FormatException("need arguments"));
        if (await IsSnax(target)) await InvokeSnax(target, args);
        else if (!_console.Send(target, PType.Lua, args)) throw new FormatException($"No service at {target}");
        return DebugReply.Success();
    }

    Task<bool> IsSnax(Address target) => Inside(target, service => SnaxHotfix.SlotsOf(service.GetType()) is not null);

    /// <summary>The text after the first <paramref name="skip"/> words of <paramref name="line"/>, or null.</summary>
    static string? ArgumentsOf(string line, int skip)
    {
        var match = Regex.Match(line, $@"^\s*(?:\S+\s+){{{skip}}}(.+)$", RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        return match.Success ? match.Groups[1].Value : null;
    }

    // A snax handler is called by name through its slot, inside the service's turn: the console needs no codec for
    // the service's private message classes. A handler that suspends is refused rather than run outside a coroutine.
    Task<object?> InvokeSnax(Address target, object?[] args) => Inside(target, service =>
    {
        var table = SnaxHotfix.SlotsOf(service.GetType())!;
        if (args.Length == 0 || args[0] is not string method) throw new FormatException($"Name a handler first: {string.Join(", ", table.Methods)}");
        var index = table.IndexOf(method);
        var parameters = table.Methods[index].ParameterTypes;
        if (parameters.Count != args.Length - 1) throw new FormatException($"{table.Methods[index]} takes {parameters.Count} argument(s); {args.Length - 1} were given.");
        var invokeArgs = new object?[args.Length];
        invokeArgs[0] = service;
        for (var i = 0; i < parameters.Count; i++) invokeArgs[i + 1] = ConsoleArguments.ConvertTo(args[i + 1], parameters[i]);
        var handler = service.SnaxInstanceSlots?[index] ?? table[index];
        object? result;
        try { result = handler.DynamicInvoke(invokeArgs); }
        catch (TargetInvocationException ex) when (ex.InnerException is { } inner) { throw new InvalidOperationException($"{method} threw: {inner.Message}", inner); }
        return Completed(result, method);
    });

    static object? Completed(object? result, string method)
    {
        if (result is null) return null;
        var type = result.GetType();
        if (result is ValueTask plain) return plain.IsCompleted ? null : throw Suspended(method);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
            result = type.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(result, null);
        if (result is Task task)
        {
            if (!task.IsCompleted) throw Suspended(method);
            if (task.IsFaulted) throw new InvalidOperationException($"{method} threw: {task.Exception!.InnerException!.Message}");
            return task.GetType().IsGenericType ? task.GetType().GetProperty(nameof(Task<int>.Result))!.GetValue(task) : null;
        }
        return result;
    }

    static InvalidOperationException Suspended(string method) =>
        new($"{method} suspends (awaits); the console calls handlers synchronously. Call it through a proxy from a service.");

    async ValueTask<DebugReply> Hotfix(string[] words, string line)
    {
        var target = Target(words);
        var (source, name) = await ReadSource(Word(words, 2, "a C# file"));
        var args = ConsoleArguments.Parse(ArgumentsOf(line, 3) ?? "");
        var result = await SnaxHotfix.Apply(Node, target, source, name, args).WaitAsync(CallTimeout);
        return DebugReply.Table(
        [
            new("patch", "#" + result.Patch.Id),
            new("slots", string.Join(' ', result.Patch.Slots)),
            new("result", ConsoleArguments.Format(result.Result)),
        ]);
    }

    async ValueTask<DebugReply> Hotfixes(string[] words, string line)
    {
        var patches = await SnaxHotfix.List(Node, Target(words)).WaitAsync(CallTimeout);
        return new(patches.Select(p => $"#{p.Id}\t{string.Join(' ', p.Slots)}\tfrom {p.Origin} at {p.AppliedAt:O}").ToArray(), true);
    }

    async ValueTask<DebugReply> Rollback(string[] words, string line)
    {
        var target = Target(words);
        var id = int.Parse(Word(words, 2, "a patch id").TrimStart('#'), System.Globalization.CultureInfo.InvariantCulture);
        var patch = await SnaxHotfix.Rollback(Node, target, id).WaitAsync(CallTimeout);
        return DebugReply.Success($"rolled back #{patch.Id}\t{string.Join(' ', patch.Slots)}");
    }

    /// <summary>skynet's <c>inject</c>: runs <c>static object? Inject(TService self, ...)</c> from the file inside the service, then unloads it.</summary>
    async ValueTask<DebugReply> Inject(string[] words, string line)
    {
        var target = Target(words);
        var (source, name) = await ReadSource(Word(words, 2, "a C# file"));
        var args = ConsoleArguments.Parse(ArgumentsOf(line, 3) ?? "");
        var image = HotfixCompiler.Compile(source, name);
        var (context, assembly) = HotfixLoadContext.Load(image, name);
        try
        {
            var output = await Inside(target, service =>
            {
                var inject = HotfixPlan.StaticMethods(assembly).FirstOrDefault(m => m.Name == "Inject" && HotfixPlan.TakesService(m, service.GetType()))
                    ?? throw new FormatException($"{name} has no static Inject({service.GetType().Name} self, ...) method.");
                var parameters = inject.GetParameters();
                var converted = new object?[Math.Min(args.Length, parameters.Length - 1)];
                for (var i = 0; i < converted.Length; i++) converted[i] = ConsoleArguments.ConvertTo(args[i], parameters[i + 1].ParameterType);
                return ConsoleArguments.Format(HotfixPlan.Run(inject, service, converted));
            });
            return DebugReply.Success(output);
        }
        finally
        {
            context.Unload();
        }
    }

    static async Task<(string Source, string Name)> ReadSource(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Can't open {path}");
        return (await File.ReadAllTextAsync(path), Path.GetFileName(path));
    }
}
