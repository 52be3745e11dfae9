using System.Buffers;
using Skynet.Codecs;

namespace Skynet.Runtime.Tests.Codecs;

// Hand-written IPackable types in the shape the source generator will emit, used by the golden, round-trip and
// fuzz tests. Plain form: member count then members; MemoryPack reads fewer members as defaults and rejects more.

internal enum Color : byte
{
    Red = 1,
    Blue = 2,
}

internal sealed class Person : IPackable<Person>
{
    public string? Name;
    public int Age;

    public static void Pack(ref PackWriter writer, scoped in Person? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        writer.WriteObjectHeader(2);
        writer.WriteString(value.Name);
        writer.WriteUnmanaged(value.Age);
    }

    public static void Unpack(ref PackReader reader, scoped ref Person? value)
    {
        if (!reader.TryReadObjectHeader(out byte count))
        {
            value = null;
            return;
        }
        if (count > 2)
        {
            throw new PackException($"Person has 2 members, the input has {count}.");
        }
        var result = new Person();
        if (count > 0)
        {
            result.Name = reader.ReadString();
        }
        if (count > 1)
        {
            result.Age = reader.ReadUnmanaged<int>();
        }
        value = result;
    }
}

internal sealed class Team : IPackable<Team>
{
    public string? Name;
    public Person? Leader;
    public List<Person?>? Members;
    public Color Color;
    public int? Rank;

    public static void Pack(ref PackWriter writer, scoped in Team? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        writer.WriteObjectHeader(5);
        writer.WriteString(value.Name);
        writer.WritePackable(value.Leader);
        PackCollections.WriteList<Person?, PackableFormatter<Person>>(ref writer, value.Members);
        writer.WriteUnmanaged(value.Color);
        writer.WriteNullable(value.Rank);
    }

    public static void Unpack(ref PackReader reader, scoped ref Team? value)
    {
        if (!reader.TryReadObjectHeader(out byte count))
        {
            value = null;
            return;
        }
        if (count != 5)
        {
            throw new PackException($"Team has 5 members, the input has {count}.");
        }
        value = new Team
        {
            Name = reader.ReadString(),
            Leader = reader.ReadPackable<Person>(),
            Members = PackCollections.ReadList<Person?, PackableFormatter<Person>>(ref reader),
            Color = reader.ReadUnmanaged<Color>(),
            Rank = reader.ReadNullable<int>(),
        };
    }
}

/// <summary>Version-tolerant person, version 1 (Name, Age).</summary>
internal sealed class PersonV1 : IPackable<PersonV1>
{
    public string? Name;
    public int Age;

    public static void Pack(ref PackWriter writer, scoped in PersonV1? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        ArrayBufferWriter<byte> scratch = PackScratch.Rent();
        try
        {
            var members = new PackWriter(scratch);
            Span<int> ends = stackalloc int[2];
            members.WriteString(value.Name);
            ends[0] = members.WrittenCount;
            members.WriteUnmanaged(value.Age);
            ends[1] = members.WrittenCount;
            members.Flush();
            writer.WriteVersionTolerantObject(ends, scratch.WrittenSpan);
        }
        finally
        {
            PackScratch.Return(scratch);
        }
    }

    public static void Unpack(ref PackReader reader, scoped ref PersonV1? value)
    {
        if (!reader.TryReadObjectHeader(out byte count))
        {
            value = null;
            return;
        }
        Span<int> lengths = stackalloc int[count];
        reader.ReadMemberLengths(lengths);
        var result = new PersonV1();
        if (count > 0 && lengths[0] != 0)
        {
            PackReader member = reader.ReadMember(lengths[0]);
            result.Name = member.ReadString();
            member.EnsureEnd();
        }
        if (count > 1 && lengths[1] != 0)
        {
            PackReader member = reader.ReadMember(lengths[1]);
            result.Age = member.ReadUnmanaged<int>();
            member.EnsureEnd();
        }
        if (count > 2)
        {
            reader.SkipMembers(lengths.Slice(2));
        }
        value = result;
    }
}

/// <summary>Version-tolerant person, version 2: adds a nested version-tolerant partner and tags.</summary>
internal sealed class PersonV2 : IPackable<PersonV2>
{
    public string? Name;
    public int Age;
    public PersonV2? Partner;
    public Dictionary<int, string?>? Tags;

    public static void Pack(ref PackWriter writer, scoped in PersonV2? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        ArrayBufferWriter<byte> scratch = PackScratch.Rent();
        try
        {
            var members = new PackWriter(scratch);
            Span<int> ends = stackalloc int[4];
            members.WriteString(value.Name);
            ends[0] = members.WrittenCount;
            members.WriteUnmanaged(value.Age);
            ends[1] = members.WrittenCount;
            members.WritePackable(value.Partner);
            ends[2] = members.WrittenCount;
            PackCollections.WriteDictionary<int, string?, UnmanagedFormatter<int>, StringFormatter>(ref members, value.Tags);
            ends[3] = members.WrittenCount;
            members.Flush();
            writer.WriteVersionTolerantObject(ends, scratch.WrittenSpan);
        }
        finally
        {
            PackScratch.Return(scratch);
        }
    }

    public static void Unpack(ref PackReader reader, scoped ref PersonV2? value)
    {
        if (!reader.TryReadObjectHeader(out byte count))
        {
            value = null;
            return;
        }
        Span<int> lengths = stackalloc int[count];
        reader.ReadMemberLengths(lengths);
        var result = new PersonV2();
        if (count > 0 && lengths[0] != 0)
        {
            PackReader member = reader.ReadMember(lengths[0]);
            result.Name = member.ReadString();
            member.EnsureEnd();
        }
        if (count > 1 && lengths[1] != 0)
        {
            PackReader member = reader.ReadMember(lengths[1]);
            result.Age = member.ReadUnmanaged<int>();
            member.EnsureEnd();
        }
        if (count > 2 && lengths[2] != 0)
        {
            PackReader member = reader.ReadMember(lengths[2]);
            result.Partner = member.ReadPackable<PersonV2>();
            member.EnsureEnd();
        }
        if (count > 3 && lengths[3] != 0)
        {
            PackReader member = reader.ReadMember(lengths[3]);
            result.Tags = PackCollections.ReadDictionary<int, string?, UnmanagedFormatter<int>, StringFormatter>(ref member);
            member.EnsureEnd();
        }
        if (count > 4)
        {
            reader.SkipMembers(lengths.Slice(4));
        }
        value = result;
    }
}

/// <summary>A recursive plain type, for nesting-depth limits.</summary>
internal sealed class Node : IPackable<Node>
{
    public int Value;
    public Node? Next;

    public static Node Chain(int length)
    {
        Node head = new() { Value = length };
        for (int i = length - 1; i > 0; i--)
        {
            head = new Node { Value = i, Next = head };
        }
        return head;
    }

    public static void Pack(ref PackWriter writer, scoped in Node? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        writer.WriteObjectHeader(2);
        writer.WriteUnmanaged(value.Value);
        writer.WritePackable(value.Next);
    }

    public static void Unpack(ref PackReader reader, scoped ref Node? value)
    {
        if (!reader.TryReadObjectHeader(out byte count))
        {
            value = null;
            return;
        }
        if (count != 2)
        {
            throw new PackException($"Node has 2 members, the input has {count}.");
        }
        value = new Node { Value = reader.ReadUnmanaged<int>(), Next = reader.ReadPackable<Node>() };
    }
}
