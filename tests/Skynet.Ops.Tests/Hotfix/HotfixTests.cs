namespace Skynet.Ops.Tests.Hotfix;

public class HotfixTests
{
    const string DescribePatch = """
        using Skynet.Ops.Tests.Hotfix;
        static class Patch
        {
            // _count is private: the patch is compiled with access to it.
            static string Describe(Counter self, string prefix) => $"patched {prefix}{self._count * 10}";
        }
        """;

    [Fact]
    public async Task A_source_patch_swaps_a_response_keeps_state_and_rolls_back()
    {
        await using var test = new TestNode();
        var counter = await TestNode.Within(Snax.NewService<Counter>(test.Node));
        counter.Post.Add(4);
        Assert.Equal("n=4", await TestNode.Within(counter.Req.Describe("n=")));

        var applied = await TestNode.Within(Snax.Hotfix(counter, DescribePatch));

        Assert.Equal("patched n=40", await TestNode.Within(counter.Req.Describe("n=")));
        Assert.Equal(4, await TestNode.Within(counter.Req.Get()));
        Assert.Equal(["Describe(String) [id " + SnaxHotfix.Slots<Counter>().Methods[SnaxHotfix.Slots<Counter>().IndexOf("Describe")].Id + "]"], applied.Patch.Slots);
        Assert.Null(applied.Result);
        var listed = Assert.Single(await TestNode.Within(Snax.Hotfixes(counter)));
        Assert.Equal(applied.Patch.Id, listed.Id);

        await TestNode.Within(Snax.Rollback(counter, applied.Patch.Id));
        Assert.Equal("n=4", await TestNode.Within(counter.Req.Describe("n=")));
        Assert.Empty(await TestNode.Within(Snax.Hotfixes(counter)));
    }

    [Fact]
    public async Task The_patch_writes_private_fields_and_its_Hotfix_method_runs_inside_and_returns()
    {
        await using var test = new TestNode();
        var counter = await TestNode.Within(Snax.NewService<Counter>(test.Node));
        counter.Post.Add(1);
        const string source = """
            using Skynet;
            using Skynet.Ops.Tests.Hotfix;
            static class Patch
            {
                static void Add(Counter self, int amount) => self._count += amount * 2;
                static object Hotfix(Counter self, int bonus)
                {
                    self._count += bonus;
                    return $"{Service.Current == self}:{self._count}";
                }
            }
            """;

        var applied = await TestNode.Within(Snax.Hotfix(counter, source, 100));

        Assert.Equal("True:101", applied.Result);
        counter.Post.Add(5);
        Assert.Equal(111, await TestNode.Within(counter.Req.Get()));
    }

    [Fact]
    public async Task A_compile_error_lists_the_compiler_messages_and_changes_nothing()
    {
        await using var test = new TestNode();
        var counter = await TestNode.Within(Snax.NewService<Counter>(test.Node));
        const string broken = """
            using Skynet.Ops.Tests.Hotfix;
            static class Patch
            {
                static string Describe(Counter self, string prefix) => self._missing + undefinedName;
            }
            """;

        var failure = await Assert.ThrowsAsync<HotfixCompilationException>(() => Snax.Hotfix(counter, broken));

        Assert.Equal(2, failure.Errors.Count);
        Assert.Contains("CS1061", failure.Message); // no _missing member
        Assert.Contains("CS0103", failure.Message); // undefinedName
        Assert.Contains("(4,", failure.Errors[0]);  // line numbers of the patch file
        Assert.Equal("n0", await TestNode.Within(counter.Req.Describe("n")));
        Assert.Empty(await TestNode.Within(Snax.Hotfixes(counter)));
    }

    [Fact]
    public async Task A_patch_that_does_not_fit_or_whose_Hotfix_throws_changes_nothing()
    {
        await using var test = new TestNode();
        var counter = await TestNode.Within(Snax.NewService<Counter>(test.Node));
        const string wrongSignature = """
            using Skynet.Ops.Tests.Hotfix;
            static class Patch { static string Describe(Counter self, int prefix) => "x"; }
            """;
        const string throwing = """
            using Skynet.Ops.Tests.Hotfix;
            static class Patch
            {
                static string Describe(Counter self, string prefix) => "patched";
                static object Hotfix(Counter self) => throw new System.InvalidOperationException("refused");
            }
            """;

        var misfit = await Assert.ThrowsAsync<HotfixException>(() => Snax.Hotfix(counter, wrongSignature));
        var refused = await Assert.ThrowsAsync<HotfixException>(() => Snax.Hotfix(counter, throwing));

        Assert.Contains("fits no slot", misfit.Message);
        Assert.Contains("refused", refused.Message);
        Assert.Equal("n0", await TestNode.Within(counter.Req.Describe("n")));
        Assert.Empty(await TestNode.Within(Snax.Hotfixes(counter)));
    }

    [Fact]
    public async Task Patches_stack_and_roll_back_one_by_one_in_any_order()
    {
        await using var test = new TestNode();
        var counter = await TestNode.Within(Snax.NewService<Counter>(test.Node));
        var first = await TestNode.Within(Snax.Hotfix(counter, Describing("first")));
        var second = await TestNode.Within(Snax.Hotfix(counter, Describing("second")));
        Assert.Equal("second", await TestNode.Within(counter.Req.Describe("")));

        await TestNode.Within(Snax.Rollback(counter, first.Patch.Id));   // the older one, from under the newer
        Assert.Equal("second", await TestNode.Within(counter.Req.Describe("")));
        await TestNode.Within(Snax.Rollback(counter, second.Patch.Id));
        Assert.Equal("0", await TestNode.Within(counter.Req.Describe("")));
        await Assert.ThrowsAsync<HotfixException>(() => Snax.Rollback(counter, second.Patch.Id));
    }

    [Fact]
    public async Task A_type_wide_patch_changes_every_instance_and_an_instance_patch_wins()
    {
        await using var test = new TestNode();
        var a = await TestNode.Within(Snax.NewService<Counter>(test.Node));
        var b = await TestNode.Within(Snax.NewService<Counter>(test.Node));
        var all = Snax.HotfixAll<Counter>(Describing("all"));
        try
        {
            await TestNode.Within(Snax.Hotfix(b, Describing("only b")));
            Assert.Equal("all", await TestNode.Within(a.Req.Describe("")));
            Assert.Equal("only b", await TestNode.Within(b.Req.Describe("")));
            Assert.Contains(SnaxHotfix.ListAll<Counter>(), p => p.Id == all.Id);
            Assert.Throws<HotfixException>(() => Snax.HotfixAll<Counter>("using Skynet.Ops.Tests.Hotfix; static class P { static object Hotfix(Counter c) => 1; }"));
        }
        finally
        {
            SnaxHotfix.RollbackAll<Counter>(all.Id);
        }
        Assert.Equal("0", await TestNode.Within(a.Req.Describe("")));
    }

    [Fact]
    public async Task A_call_pending_when_the_patch_lands_finishes_in_the_old_code()
    {
        await using var test = new TestNode();
        var counter = await TestNode.Within(Snax.NewService<Counter>(test.Node));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await TestNode.Within(SnaxHotfix.Apply(test.Node, counter.Target,
            "static class Arm { static object Hotfix(Skynet.Ops.Tests.Hotfix.Counter self, System.Threading.Tasks.TaskCompletionSource t) { self.ExpectSlow(t); return null; } }",
            "arm.cs", started));
        var pending = counter.Req.Slow().AsTask();
        await TestNode.Within(started.Task);

        await TestNode.Within(Snax.Hotfix(counter, """
            using System.Threading.Tasks;
            using Skynet.Ops.Tests.Hotfix;
            static class Patch { static ValueTask<string> Slow(Counter self) => new("new slow"); }
            """));
        counter.Post.Release();

        Assert.Equal("old slow", await TestNode.Within(pending));
        Assert.Equal("new slow", await TestNode.Within(counter.Req.Slow()));
    }

    [Fact]
    public async Task A_prebuilt_patch_assembly_applies_and_rolls_back_the_same_way()
    {
        await using var test = new TestNode();
        var counter = await TestNode.Within(Snax.NewService<Counter>(test.Node));
        var path = Path.Combine(Path.GetTempPath(), $"skynet-patch-{Guid.NewGuid():N}.dll");
        await File.WriteAllBytesAsync(path, HotfixCompiler.Compile(Describing("prebuilt")));
        try
        {
            var applied = await TestNode.Within(Snax.HotfixFromAssembly(counter, path));
            Assert.Equal("prebuilt", await TestNode.Within(counter.Req.Describe("")));
            Assert.Equal(path, applied.Patch.Origin);
            await TestNode.Within(Snax.Rollback(counter, applied.Patch.Id));
            Assert.Equal("0", await TestNode.Within(counter.Req.Describe("")));
            await File.WriteAllBytesAsync(path, [1, 2, 3]);
            await Assert.ThrowsAsync<HotfixException>(() => Snax.HotfixFromAssembly(counter, path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Two_hundred_apply_and_rollback_cycles_leave_no_load_context_alive()
    {
        await using var test = new TestNode();
        var counter = await TestNode.Within(Snax.NewService<Counter>(test.Node));
        var image = HotfixCompiler.Compile(Describing("cycled"));
        var contexts = new List<WeakReference>();

        for (var i = 0; i < 200; i++)
        {
            var origin = $"cycle {i}";
            var applied = await TestNode.Within(SnaxHotfix.ApplyAssembly(test.Node, counter.Target, image, origin));
            Assert.Equal("cycled", await TestNode.Within(counter.Req.Describe("")));
            contexts.Add(ContextNamed(origin));
            await TestNode.Within(Snax.Rollback(counter, applied.Patch.Id));
        }

        Assert.Equal("0", await TestNode.Within(counter.Req.Describe("")));
        for (var attempt = 0; attempt < 100 && contexts.Exists(c => c.IsAlive); attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.Equal(0, contexts.Count(c => c.IsAlive));
    }

    // Not inlined, so no strong reference to the context stays in the test's state machine.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static WeakReference ContextNamed(string origin) =>
        new(System.Runtime.Loader.AssemblyLoadContext.All.Single(c => c.Name == "skynet-hotfix: " + origin));

    static string Describing(string text) => $$"""
        using Skynet.Ops.Tests.Hotfix;
        static class Patch { static string Describe(Counter self, string prefix) => prefix + "{{text}}"; }
        """;
}
