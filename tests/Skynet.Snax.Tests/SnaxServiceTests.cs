using System.Runtime.CompilerServices;
using MemoryPack;

namespace SnaxTests;

public sealed class SnaxServiceTests
{
    [Fact]
    public async Task Init_arguments_reach_OnInit_and_req_returns_results()
    {
        await using var t = new TestNode();
        var room = await TestNode.Within(Snax.NewService<Room>(t.Node, 42, "lobby"));
        Assert.Equal("42:lobby", await TestNode.Within(room.Req.Title()));
        Assert.Equal(new Point(3, 2), await TestNode.Within(room.Req.Move(new Point(1, 2), 2)));
        await TestNode.Within(room.Req.Clear());
        await TestNode.Within(room.Req.Touch());
        await TestNode.Within(room.Req.Nothing());
    }

    [Fact]
    public async Task Posts_arrive_in_order_and_async_handlers_finish()
    {
        await using var t = new TestNode();
        var room = await TestNode.Within(Snax.NewService<Room>(t.Node, 1, "order"));
        for (var i = 0; i < 1000; i++) room.Post.Say(i.ToString());
        var log = await TestNode.Within(room.Req.Log());
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i.ToString()), log);
        room.Post.SayLater("late");
        // the async accept suspends; CountLater sleeps longer than it, measured on the service's own clock
        Assert.True(await TestNode.Within(room.Req.CountLater()) >= 1000);
    }

    [Fact]
    public async Task A_throwing_response_fails_the_caller_and_the_service_lives_on()
    {
        await using var t = new TestNode();
        var room = await TestNode.Within(Snax.NewService<Room>(t.Node, 1, "fail"));
        var error = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(room.Req.Fail("boom")));
        Assert.Equal(CallFailure.HandlerFailed, error.Failure);
        Assert.Contains("boom", error.Message);
        Assert.Equal("1:fail", await TestNode.Within(room.Req.Title()));
    }

    [Fact]
    public async Task Calls_from_inside_a_service_resume_inside_it()
    {
        await using var t = new TestNode();
        var title = await t.Inside(async self =>
        {
            var room = await Snax.NewService<Room>(7, "inner");
            room.Post.Say("x");
            var text = await room.Req.Title();
            Assert.Same(self, Service.Current);
            return text + ":" + (await room.Req.Log()).Count;
        });
        Assert.Equal("7:inner:1", title);
    }

    [Fact]
    public async Task Mutating_an_argument_after_posting_does_not_change_what_the_service_sees()
    {
        await using var t = new TestNode();
        var room = await TestNode.Within(Snax.NewService<Room>(t.Node, 1, "copy"));
        var note = new Note { Text = "before", Numbers = [1, 2] };
        room.Post.Keep(note);
        note.Text = "after";
        note.Numbers.Add(3);
        var kept = await TestNode.Within(room.Req.LastNote());
        Assert.Equal("before", kept!.Text);
        Assert.Equal([1, 2], kept.Numbers!);
        // the result is a copy too: changing it does not reach the service
        kept.Text = "changed by caller";
        Assert.Equal("before", (await TestNode.Within(room.Req.LastNote()))!.Text);
        // lists returned from a response are copied as well
        var log = await TestNode.Within(room.Req.Log());
        log.Add("mine");
        Assert.Empty(await TestNode.Within(room.Req.Log()));
    }

    [Fact]
    public async Task Immutable_arguments_travel_by_reference()
    {
        await using var t = new TestNode();
        var room = await TestNode.Within(Snax.NewService<Room>(t.Node, 1, "ref"));
        var player = new Player { Name = "p" };
        // Player is mutable, so Echo's argument and result are copies
        Assert.NotSame(player, await TestNode.Within(room.Req.Echo(player, default, null)));
        Assert.Equal("p", (await TestNode.Within(room.Req.Echo(player, default, 3))).Name);
        var point = new Point(1, 1);
        Assert.Same(point, Point.DeepCopy(point));
    }

    [Fact]
    public async Task Kill_passes_exit_arguments_and_Exit_with_arguments_works_inside()
    {
        await using var t = new TestNode();
        Room.Exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var room = await TestNode.Within(Snax.NewService<Room>(t.Node, 5, "k"));
        await TestNode.Within(Snax.Kill(room, "bye"));
        Assert.Equal("5:bye", await TestNode.Within(Room.Exited.Task));

        Room.Exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var other = await TestNode.Within(Snax.NewService<Room>(t.Node, 6, "q"));
        await TestNode.Within(other.Req.Quit("self"));
        Assert.Equal("6:self", await TestNode.Within(Room.Exited.Task));
        await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(other.Req.Title()));
    }

    [Fact]
    public async Task Unique_query_and_bind_find_the_same_service()
    {
        await using var t = new TestNode();
        var query = Snax.QueryService<Counter>(t.Node, TestNode.Patience);
        var first = await TestNode.Within(Snax.UniqueService<Counter>(t.Node));
        var second = await TestNode.Within(Snax.UniqueService<Counter>(t.Node));
        Assert.Equal(first.Target, second.Target);
        Assert.Equal(first.Target, (await TestNode.Within(query)).Target);
        var bound = Snax.Bind<Counter>(t.Node, first.Target);
        bound.Post.Add(2);
        first.Post.Add(3);
        Assert.Equal(5, await TestNode.Within(second.Req.Get()));
    }

    [Fact]
    public async Task Raw_and_snax_services_call_each_other()
    {
        await using var t = new TestNode();
        var room = await TestNode.Within(Snax.NewService<Room>(t.Node, 9, "raw"));
        // the snax service registered a raw protocol in OnInit
        Assert.Equal("raw:hi", await TestNode.Within(t.Node.Call(room.Target, PType.Text, "hi")));
        // a raw service makes a proxy for a handle
        var title = await t.Inside(async self => await Snax.Bind<Room>(room.Target).Req.Title());
        Assert.Equal("9:raw", title);
        // a raw message of the wrong shape on PType.Snax fails the caller, the service lives on
        await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(t.Node.Call(room.Target, PType.Snax, "junk")));
        Assert.Equal("9:raw", await TestNode.Within(room.Req.Title()));
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_count")]
    static extern ref int CountOf(Counter counter);

    [Fact]
    public async Task Slots_swap_for_one_instance_keeping_its_state()
    {
        await using var t = new TestNode();
        var a = await TestNode.Within(Snax.NewService<Counter>(t.Node));
        var b = await TestNode.Within(Snax.NewService<Counter>(t.Node));
        a.Post.Add(1);
        b.Post.Add(1);
        // the patch reads and writes the private field of the running instance
        await TestNode.Within(SnaxHotfix.Swap(a, "Add", new Action<Counter, int>((self, n) => CountOf(self) += n * 100)));
        a.Post.Add(2);
        b.Post.Add(2);
        Assert.Equal(201, await TestNode.Within(a.Req.Get()));
        Assert.Equal(3, await TestNode.Within(b.Req.Get()));
        // putting the type-wide handler back
        await TestNode.Within(SnaxHotfix.Swap(a, "Add", null));
        a.Post.Add(1);
        Assert.Equal(202, await TestNode.Within(a.Req.Get()));
    }

    [Fact]
    public async Task Slots_swap_for_all_instances_and_reject_wrong_delegates()
    {
        await using var t = new TestNode();
        var a = await TestNode.Within(Snax.NewService<Counter>(t.Node));
        a.Post.Add(4);
        Assert.Throws<ArgumentException>(() => SnaxHotfix.SwapAll<Counter>("Get", new Action<Counter>(_ => { })));
        Assert.Throws<ArgumentException>(() => SnaxHotfix.SwapAll<Counter>("Missing", new Func<Counter, int>(_ => 0)));
        var previous = SnaxHotfix.SwapAll<Counter>("Get", new Func<Counter, int>(self => -CountOf(self)));
        try
        {
            Assert.Equal(-4, await TestNode.Within(a.Req.Get()));
            var b = await TestNode.Within(Snax.NewService<Counter>(t.Node));
            b.Post.Add(5);
            Assert.Equal(-5, await TestNode.Within(b.Req.Get()));
            Assert.IsType<Func<Counter, int>>(previous);
        }
        finally
        {
            SnaxHotfix.ResetAll<Counter>("Get");
        }
        Assert.Equal(4, await TestNode.Within(a.Req.Get()));
        Assert.Equal(["Add", "Get"], SnaxHotfix.Slots<Counter>().Methods.Select(m => m.Name));
    }

    [Fact]
    public async Task Optional_arguments_keep_their_defaults_and_a_typed_exit_with_defaults_exits_once()
    {
        await using var t = new TestNode();
        var lobby = await TestNode.Within(Snax.NewService<Lobby>(t.Node));
        Assert.Equal("guest", await TestNode.Within(lobby.Req.Greet()));
        Assert.Equal("abab", await TestNode.Within(lobby.Req.Greet("ab", 2)));

        Lobby.Exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await TestNode.Within(lobby.Req.Leave("bye"));     // the generated Exit(reason = "closed") must not call itself
        Assert.Equal("bye", await TestNode.Within(Lobby.Exited.Task));

        var second = await TestNode.Within(Snax.NewService<Lobby>(t.Node));
        Lobby.Exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await TestNode.Within(second.Req.Close());
        Assert.Equal("closed", await TestNode.Within(Lobby.Exited.Task));

        var third = await TestNode.Within(Snax.NewService<Lobby>(t.Node));
        Lobby.Exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await TestNode.Within(Snax.Kill(third));
        Assert.Equal("closed", await TestNode.Within(Lobby.Exited.Task));
    }

    [Fact]
    public async Task Inherited_mutable_members_are_copied_so_mutating_after_posting_does_not_reach_the_service()
    {
        await using var t = new TestNode();
        var tally = await TestNode.Within(Snax.NewService<Tally>(t.Node));
        var label = new Labeled("box") { Tags = ["a"], Owner = "me" };
        tally.Post.Keep(label);
        label.Tags.Add("b");
        label.Owner = "you";
        var kept = await TestNode.Within(tally.Req.Kept());
        Assert.NotSame(label, kept);
        Assert.Equal(("box", "me"), (kept!.Name, kept.Owner));
        Assert.Equal(["a"], kept.Tags);
        // the result is a copy as well
        kept.Tags.Add("c");
        Assert.Equal(["a"], (await TestNode.Within(tally.Req.Kept()))!.Tags);
        // and the inherited members cross the wire too (MemoryPack serializes base members)
        var back = MemoryPackSerializer.Deserialize<Labeled>(MemoryPackSerializer.Serialize(label))!;
        Assert.Equal(("box", "you"), (back.Name, back.Owner));
        Assert.Equal(["a", "b"], back.Tags);
    }

    [Fact]
    public async Task Nullable_packable_structs_cross_services_as_copies_and_pack_as_MemoryPack_does()
    {
        await using var t = new TestNode();
        var tally = await TestNode.Within(Snax.NewService<Tally>(t.Node));
        var badge = new Badge { Title = "gold", Marks = [1] };
        tally.Post.Pin(badge);
        badge.Marks.Add(2);
        var pinned = await TestNode.Within(tally.Req.Pinned());
        Assert.Equal("gold", pinned!.Value.Title);
        Assert.Equal([1], pinned.Value.Marks!);
        tally.Post.Pin(null);
        Assert.Null(await TestNode.Within(tally.Req.Pinned()));

        // a result that leaves the process is MemoryPack's form of Badge? (null, or the struct)
        var pinnedId = SnaxHotfix.Slots<Tally>().Methods.Single(m => m.Name == "Pinned").Id;
        Badge? some = new Badge { Title = "", Marks = null };
        Assert.Equal(MemoryPackSerializer.Serialize(some), SnaxCodec.PackResult<Tally>(pinnedId, some));
        Assert.Equal(MemoryPackSerializer.Serialize((Badge?)null), SnaxCodec.PackResult<Tally>(pinnedId, null));
        Assert.Equal("", ((Badge?)SnaxCodec.UnpackResult<Tally>(pinnedId, MemoryPackSerializer.Serialize(some)))!.Value.Title);
        Assert.Null(MemoryPackSerializer.Deserialize<Holder>(MemoryPackSerializer.Serialize(new Holder { Badge = null }))!.Badge);
    }

    [Fact]
    public async Task Sets_tuples_and_other_MemoryPack_collections_are_copied_both_ways()
    {
        await using var t = new TestNode();
        var shelf = await TestNode.Within(Snax.NewService<Shelf>(t.Node));
        var tags = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "a" };
        var pair = (Id: 1, Marks: new List<int> { 1 });
        var queue = new Queue<Note>([new Note { Text = "n", Numbers = [1] }]);
        shelf.Post.Keep(tags, pair, queue);
        tags.Add("b");
        pair.Marks.Add(2);
        queue.Peek().Numbers!.Add(2);

        var keptTags = await TestNode.Within(shelf.Req.Tags());
        Assert.Equal(["a"], keptTags!);
        Assert.Contains("A", keptTags!); // the comparer came along (HashSetCopier)
        var keptPair = await TestNode.Within(shelf.Req.Pair());
        Assert.Equal([1], keptPair.Marks);   // a tuple holding a list: MemoryPack round trip
        var keptQueue = await TestNode.Within(shelf.Req.Queue());
        Assert.Equal([1], keptQueue!.Peek().Numbers!); // Queue<T>: MemoryPack round trip, deep

        // results are copies too: changing what came back does not reach the service
        keptPair.Marks.Add(3);
        keptQueue.Peek().Numbers!.Add(3);
        Assert.Equal([1], (await TestNode.Within(shelf.Req.Pair())).Marks);
        Assert.Equal([1], (await TestNode.Within(shelf.Req.Queue()))!.Peek().Numbers!);
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_total")]
    static extern ref int TotalOf(Tally tally);

    [Fact]
    public async Task Overloaded_slots_are_swapped_by_id_and_an_ambiguous_name_is_an_error()
    {
        await using var t = new TestNode();
        var a = await TestNode.Within(Snax.NewService<Tally>(t.Node));
        var slots = SnaxHotfix.Slots<Tally>();
        var error = Assert.Throws<ArgumentException>(() => SnaxHotfix.SwapAll<Tally>("Add", new Action<Tally, int, int>((_, _, _) => { })));
        Assert.Contains("Add(Int32) [id ", error.Message);
        Assert.Contains("Add(Int32, Int32) [id 2]", error.Message);
        Assert.Throws<ArgumentException>(() => SnaxHotfix.ResetAll<Tally>("Add"));
        await Assert.ThrowsAsync<ArgumentException>(() => SnaxHotfix.Swap(a, "Add", null));
        Assert.Equal(slots.IndexOf(2), slots.IndexOf("Add", typeof(int), typeof(int)));
        Assert.NotEqual(slots.IndexOf(2), slots.IndexOf("Add", typeof(int)));
        Assert.Equal([typeof(int), typeof(int)], slots.Methods[slots.IndexOf(2)].ParameterTypes);
        Assert.Throws<ArgumentException>(() => slots.IndexOf("Add", typeof(long)));
        Assert.Throws<ArgumentException>(() => slots.IndexOf(12345));
        Assert.Throws<ArgumentException>(() => SnaxHotfix.SwapAll<Tally>(2, new Action<Tally, int>((_, _) => { })));
        Assert.Equal(slots.IndexOf("Total"), slots.IndexOf("Total", Type.EmptyTypes)); // names that are not overloaded still work

        a.Post.Add(1);
        a.Post.Add(1, 2);
        Assert.Equal(3, await TestNode.Within(a.Req.Total()));
        // one instance: the second overload by id; state is kept, the other overload is untouched
        await TestNode.Within(SnaxHotfix.Swap(a, 2, new Action<Tally, int, int>((self, n, times) => TotalOf(self) -= n * times)));
        a.Post.Add(1, 2);
        a.Post.Add(10);
        Assert.Equal(11, await TestNode.Within(a.Req.Total()));
        await TestNode.Within(SnaxHotfix.Swap(a, 2, null));
        a.Post.Add(1, 2);
        Assert.Equal(13, await TestNode.Within(a.Req.Total()));
        // every instance, by id
        var previous = SnaxHotfix.SwapAll<Tally>(2, new Action<Tally, int, int>((self, n, times) => TotalOf(self) += 1000));
        try
        {
            Assert.IsType<Action<Tally, int, int>>(previous);
            var b = await TestNode.Within(Snax.NewService<Tally>(t.Node));
            b.Post.Add(5);
            b.Post.Add(1, 1);
            a.Post.Add(1, 1);
            Assert.Equal(1005, await TestNode.Within(b.Req.Total()));
            Assert.Equal(1013, await TestNode.Within(a.Req.Total()));
        }
        finally
        {
            SnaxHotfix.ResetAll<Tally>(2);
        }
        a.Post.Add(1, 1);
        Assert.Equal(1014, await TestNode.Within(a.Req.Total()));
    }
}
