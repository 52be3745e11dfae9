using Skynet.Analyzers.Diagnostics;
using static Skynet.Analyzers.Tests.Infrastructure.AnalyzerTest;

namespace Skynet.Analyzers.Tests;

public class SnaxMethodAnalyzerTests
{
    // ---- SKY1008 [Accept] returns a value ----

    [Fact]
    public void AcceptReturningValue_Fires() => Verify<SnaxMethodAnalyzer>(DiagnosticIds.AcceptReturnsValue, """
        [Service] public partial class Db : Service
        {
            [Accept] public [|int|] Set(string key) => 1;
            [Accept] public [|ValueTask<int>|] SetAsync(string key) => default;
        }
        """);

    [Theory]
    [InlineData("[Accept] public void Set(string key) { }")]
    [InlineData("[Accept] public ValueTask Set(string key) => default;")]
    [InlineData("[Accept] public Task Set(string key) => Task.CompletedTask;")]
    [InlineData("[Response] public int Get(string key) => 1;")]
    public void AcceptReturningNothing_DoesNotFire(string member) =>
        Verify<SnaxMethodAnalyzer>(DiagnosticIds.AcceptReturnsValue, $"[Service] public partial class Db : Service {{ {member} }}");

    // ---- SKY1009 [Response] returns void ----

    [Fact]
    public void ResponseReturningVoid_Fires() => Verify<SnaxMethodAnalyzer>(DiagnosticIds.ResponseReturnsVoid, """
        [Service] public partial class Db : Service
        {
            [Response] public [|void|] Flush() { }
        }
        """);

    [Theory]
    [InlineData("[Response] public int Count() => 1;")]
    [InlineData("[Response] public ValueTask Flush() => default;")]
    [InlineData("[Response] public async ValueTask<int> Count() { await Task.Yield(); return 1; }")]
    [InlineData("[Accept] public void Flush() { }")]
    public void ResponseReturningSomething_DoesNotFire(string member) =>
        Verify<SnaxMethodAnalyzer>(DiagnosticIds.ResponseReturnsVoid, $"[Service] public partial class Db : Service {{ {member} }}");

    // ---- SKY1013 types that cannot cross services (the rule shared with the generator: Skynet.Shared.Packability) ----

    [Fact]
    public void NonTransferableTypes_Fire()
    {
        var diagnostics = Verify<SnaxMethodAnalyzer>(DiagnosticIds.NonTransferableType, """
            public class Plain { }
            [Immutable] public sealed class Frozen { public int X { get; } }
            public struct Handle { public object Target; }
            [Service] public unsafe partial class Db : Service
            {
                [Accept] public void A([|ref int x|], [|out int y|], [|in int z|]) { y = 0; }
                [Accept] public void B([|int* p|], [|Action callback|], [|Plain plain|], [|object any|], [|Frozen frozen|], [|Handle handle|], [|IntPtr raw|]) { }
                [Response] public [|ValueTask<Plain>|] C() => default;
                [Response] public [|List<Plain>|] D() => new();
                [Response] public [|Dictionary<string, Func<int>>|] E() => new();
                [Response] public [|(int, Plain)|] F() => default;
                [Response] public [|HashSet<Frozen>|] G() => new();
            }
            """);
        Assert.Contains("Parameter 'x' of 'A'", diagnostics[0].GetMessage());
        Assert.Contains("cannot cross services: 'Plain' is not [MemoryPackable]", diagnostics[5].GetMessage());
        Assert.Contains("'Frozen' is [Immutable] but not [MemoryPackable]", diagnostics[7].GetMessage());
        Assert.Contains("The result of 'C'", diagnostics[10].GetMessage());
        Assert.Equal("https://github.com/skynet-dotnet/skynet-dotnet/blob/main/docs/diagnostics/SKY1013.md", diagnostics[0].Descriptor.HelpLinkUri);
    }

    [Fact]
    public void LifecycleParametersThatCannotCross_Fire() => Verify<SnaxMethodAnalyzer>(DiagnosticIds.NonTransferableType, """
        public class Plain { }
        [Service] public partial class Db : Service
        {
            void OnInit(string name, [|Plain settings|]) { }
            ValueTask OnExit([|Action callback|]) => default;
            static void OnInit(Plain notLifecycle) { }
        }
        public class NotAService { void OnInit(Plain p) { } }
        """);

    [Fact]
    public void TypesMemoryPackCanWrite_DoNotFire() => Verify<SnaxMethodAnalyzer>(DiagnosticIds.NonTransferableType, """
        using System.Collections.Immutable;
        using MemoryPack;
        public enum Color { Red }
        public struct Vec { public float X, Y; }
        [MemoryPackable] public partial class Item { public int Id { get; set; } }
        [MemoryPackable, Immutable] public sealed partial record Tag(string Name);
        [MemoryPackable(GenerateType.VersionTolerant)] public partial class Evolving { [MemoryPackOrder(0)] public int A { get; set; } }
        [MemoryPackUnion(0, typeof(Item))] public partial interface IMessage { }
        [Service] public partial class Db : Service
        {
            [Accept] public void A(int a, long b, string c, bool d, double e, decimal f, Color g, Guid h, DateTime i, TimeSpan j, Address k, byte[] l, Vec m, DateTimeOffset n) { }
            [Accept] public void B(Item item, Tag tag, List<Item> items, Dictionary<string, int[]> map, HashSet<Guid> set, int? maybe, (int, string) pair, Tuple<Item, int> tuple) { }
            [Accept] public void C(ImmutableArray<Tag> tags, IReadOnlyList<Item> list, IDictionary<int, Item> dict, Queue<Item> queue, KeyValuePair<string, Item> kv, int[,] grid, Version version, Uri uri, Evolving evolving, IMessage message) { }
            [Response] public ValueTask<Item?> D() => default;
            [Response] public Task<List<Tag>> E() => Task.FromResult(new List<Tag>());
            public void NotSnax(ref int x, Action y) { }
        }
        """);

    // ---- SKY1014 / SKY1015 [Service] shape ----

    [Fact]
    public void ServiceNotPartial_Fires() => Verify<SnaxMethodAnalyzer>(DiagnosticIds.ServiceNotPartial, """
        [Service] public class [|Db|] : Service { }
        public class Outer { [Service] public partial class Inner : Service { } }
        """.Replace("public class Outer", "public class [|Outer|]"));

    [Theory]
    [InlineData("[Service] public partial class Db : Service { }")]
    [InlineData("[Service] public partial class Db : Service { } public partial class Db { }")]
    [InlineData("public partial class Outer { [Service] public partial class Inner : Service { } }")]
    [InlineData("public class Db : Service { }")]
    public void PartialService_DoesNotFire(string source) => Verify<SnaxMethodAnalyzer>(DiagnosticIds.ServiceNotPartial, source);

    [Fact]
    public void ServiceNotDerived_Fires() => Verify<SnaxMethodAnalyzer>(DiagnosticIds.ServiceNotDerived, """
        [Service] public partial class [|Db|] { }
        """);

    [Theory]
    [InlineData("[Service] public partial class Db : Service { }")]
    [InlineData("public abstract class Base : Service { } [Service] public partial class Db : Base { }")]
    [InlineData("public partial class NotAService { }")]
    public void DerivedService_DoesNotFire(string source) => Verify<SnaxMethodAnalyzer>(DiagnosticIds.ServiceNotDerived, source);
}
