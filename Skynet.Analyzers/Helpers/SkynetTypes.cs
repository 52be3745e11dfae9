using Microsoft.CodeAnalysis;

namespace Skynet.Analyzers.Helpers;

/// <summary>
/// The Skynet and BCL types the analyzers look for, resolved once per compilation.
/// <see cref="TryCreate"/> fails when the compilation does not reference Skynet.Runtime, and the analyzers then do nothing.
/// </summary>
internal sealed class SkynetTypes
{
    SkynetTypes(Compilation compilation, INamedTypeSymbol service)
    {
        Service = service;
        ServiceAttribute = compilation.GetTypeByMetadataName("Skynet.ServiceAttribute");
        AcceptAttribute = compilation.GetTypeByMetadataName("Skynet.AcceptAttribute");
        ResponseAttribute = compilation.GetTypeByMetadataName("Skynet.ResponseAttribute");
        ImmutableAttribute = compilation.GetTypeByMetadataName("Skynet.ImmutableAttribute");
        RequestView = compilation.GetTypeByMetadataName("Skynet.ISnaxRequestView");
        PostView = compilation.GetTypeByMetadataName("Skynet.ISnaxPostView");
        CriticalSection = compilation.GetTypeByMetadataName("Skynet.CriticalSection");
        Snax = compilation.GetTypeByMetadataName("Skynet.Snax");
        SnaxProxy = compilation.GetTypeByMetadataName("Skynet.SnaxProxy`1");
        Responder = compilation.GetTypeByMetadataName("Skynet.Responder");
        Message = compilation.GetTypeByMetadataName("Skynet.Message");
        MessageHandler = compilation.GetTypeByMetadataName("Skynet.MessageHandler");
        Address = compilation.GetTypeByMetadataName("Skynet.Address");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
        TaskAwaiter = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.TaskAwaiter");
        TaskAwaiterOfT = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.TaskAwaiter`1");
        ValueTaskAwaiter = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ValueTaskAwaiter");
        ValueTaskAwaiterOfT = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ValueTaskAwaiter`1");
        ConfiguredTaskAwaiter = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ConfiguredTaskAwaitable+ConfiguredTaskAwaiter");
        ConfiguredTaskAwaiterOfT = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter");
        ConfiguredValueTaskAwaiter = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable+ConfiguredValueTaskAwaiter");
        ConfiguredValueTaskAwaiterOfT = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1+ConfiguredValueTaskAwaiter");
        ListOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.List`1");
        DictionaryOfTT = compilation.GetTypeByMetadataName("System.Collections.Generic.Dictionary`2");
        HashSetOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.HashSet`1");
        Guid = compilation.GetTypeByMetadataName("System.Guid");
        DateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
    }

    public INamedTypeSymbol Service { get; }
    public INamedTypeSymbol? ServiceAttribute { get; }
    public INamedTypeSymbol? AcceptAttribute { get; }
    public INamedTypeSymbol? ResponseAttribute { get; }
    public INamedTypeSymbol? ImmutableAttribute { get; }
    public INamedTypeSymbol? RequestView { get; }
    public INamedTypeSymbol? PostView { get; }
    public INamedTypeSymbol? CriticalSection { get; }
    public INamedTypeSymbol? Snax { get; }
    public INamedTypeSymbol? SnaxProxy { get; }
    public INamedTypeSymbol? Responder { get; }
    public INamedTypeSymbol? Message { get; }
    public INamedTypeSymbol? MessageHandler { get; }
    public INamedTypeSymbol? Address { get; }
    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? Thread { get; }
    public INamedTypeSymbol? TaskAwaiter { get; }
    public INamedTypeSymbol? TaskAwaiterOfT { get; }
    public INamedTypeSymbol? ValueTaskAwaiter { get; }
    public INamedTypeSymbol? ValueTaskAwaiterOfT { get; }
    public INamedTypeSymbol? ConfiguredTaskAwaiter { get; }
    public INamedTypeSymbol? ConfiguredTaskAwaiterOfT { get; }
    public INamedTypeSymbol? ConfiguredValueTaskAwaiter { get; }
    public INamedTypeSymbol? ConfiguredValueTaskAwaiterOfT { get; }
    public INamedTypeSymbol? ListOfT { get; }
    public INamedTypeSymbol? DictionaryOfTT { get; }
    public INamedTypeSymbol? HashSetOfT { get; }
    public INamedTypeSymbol? Guid { get; }
    public INamedTypeSymbol? DateTimeOffset { get; }
    public INamedTypeSymbol? TimeSpan { get; }

    public static bool TryCreate(Compilation compilation, out SkynetTypes types)
    {
        var service = compilation.GetTypeByMetadataName("Skynet.Service");
        types = service is null ? null! : new SkynetTypes(compilation, service);
        return service is not null;
    }

    /// <summary>True for a class deriving (directly or not) from <c>Skynet.Service</c>.</summary>
    public bool IsService(ITypeSymbol? type)
    {
        for (var t = type?.BaseType; t is not null; t = t.BaseType)
            if (SymbolEqualityComparer.Default.Equals(t, Service)) return true;
        return false;
    }

    /// <summary>The service class whose code <paramref name="symbol"/> is (a member, lambda or local function in it), or null.</summary>
    public INamedTypeSymbol? ContainingService(ISymbol? symbol)
    {
        for (var type = symbol as INamedTypeSymbol ?? symbol?.ContainingType; type is not null; type = type.ContainingType)
            if (IsService(type)) return type;
        return null;
    }

    /// <summary>True when <paramref name="type"/> implements <paramref name="marker"/>.</summary>
    public static bool Implements(ITypeSymbol? type, INamedTypeSymbol? marker)
    {
        if (type is null || marker is null) return false;
        foreach (var i in type.AllInterfaces)
            if (SymbolEqualityComparer.Default.Equals(i, marker)) return true;
        return false;
    }

    /// <summary>True for a member of <c>Skynet.Service</c> itself (Ret, Response, Call, Self...).</summary>
    public bool IsServiceApi(ISymbol? member, string name) =>
        member is not null && member.Name == name && SymbolEqualityComparer.Default.Equals(member.ContainingType, Service);

    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute)
    {
        if (attribute is null) return false;
        foreach (var a in symbol.GetAttributes())
            if (SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute)) return true;
        return false;
    }

    /// <summary>True for Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;.</summary>
    public bool IsTaskLike(ITypeSymbol? type) => IsTask(type) || IsGenericTask(type);

    public bool IsTask(ITypeSymbol? type) =>
        SymbolEqualityComparer.Default.Equals(type, Task) || SymbolEqualityComparer.Default.Equals(type, ValueTask);

    public bool IsGenericTask(ITypeSymbol? type) =>
        type is INamedTypeSymbol { IsGenericType: true } named &&
        (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, TaskOfT) || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, ValueTaskOfT));
}
