using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text;
using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// The conversions generated Lua snax code (<see cref="ISnaxLuaService{TSelf}"/>) is made of: values a Lua peer sends
/// (<see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, strings as <see cref="string"/> or
/// <see cref="byte"/>[], <see cref="LuaTable"/>, nil) to C# parameter types and back, as strictly as a typed call
/// should be: nil becomes the type's default, integers narrow with a range check, a float becomes an integer only when
/// it has no fraction (Lua's <c>math.tointeger</c>), and nothing else changes kind (a string is never a number).
/// </summary>
/// <remarks>
/// Lua arrays become arrays, lists and sets; Lua tables with keys become dictionaries (their array part under keys
/// 1, 2, ...). Enums travel as integers. Other types (MemoryPack classes) have no Lua form: use
/// <see cref="SnaxWireFormat.MemoryPack"/> between C# nodes for those.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LuaArgs
{
    /// <summary>Argument <paramref name="index"/> of a Lua request (nil when missing), converted; a failure names the method and parameter.</summary>
    /// <exception cref="ArgumentException">The value cannot become <typeparamref name="T"/>.</exception>
    public static T Arg<T>(object?[] args, int index, string method, string parameter, Func<object?, T> convert)
    {
        var value = index < args.Length ? args[index] : null;
        try
        {
            return convert(value);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"{method}: Lua argument {index} ('{parameter}') {ex.Message}");
        }
    }

    /// <summary>A scalar: a number, boolean, string, byte[], enum, <see cref="LuaTable"/>, or a value that already has the type.</summary>
    /// <exception cref="ArgumentException">The value cannot become <typeparamref name="T"/>.</exception>
    public static T To<T>(object? value)
    {
        if (value is null) return default!;
        if (value is T same) return same;
        try
        {
            switch (Type.GetTypeCode(typeof(T)))
            {
                case TypeCode.Boolean: break; // only a Lua boolean, handled above
                case TypeCode.SByte: return Narrow<T, sbyte>(checked((sbyte)Integer(value)));
                case TypeCode.Byte: return Narrow<T, byte>(checked((byte)Integer(value)));
                case TypeCode.Int16: return Narrow<T, short>(checked((short)Integer(value)));
                case TypeCode.UInt16: return Narrow<T, ushort>(checked((ushort)Integer(value)));
                case TypeCode.Int32: return Narrow<T, int>(checked((int)Integer(value)));
                case TypeCode.UInt32: return Narrow<T, uint>(checked((uint)Integer(value)));
                case TypeCode.Int64: return Narrow<T, long>(Integer(value));
                case TypeCode.UInt64: return Narrow<T, ulong>(checked((ulong)Integer(value)));
                case TypeCode.Single when value is long or double: return Narrow<T, float>((float)Number(value));
                case TypeCode.Double when value is long or double: return Narrow<T, double>(Number(value));
                case TypeCode.Decimal when value is long or double: return Narrow<T, decimal>(value is long l ? l : checked((decimal)(double)value));
                case TypeCode.String when value is byte[] bytes: return (T)(object)Encoding.UTF8.GetString(bytes);
                case TypeCode.Object when typeof(T) == typeof(byte[]) && value is string text: return (T)(object)Encoding.UTF8.GetBytes(text);
            }
        }
        catch (OverflowException)
        {
            throw Cannot<T>(value, "it is out of range");
        }
        catch (InvalidCastException)
        {
            throw Cannot<T>(value, null);
        }
        throw Cannot<T>(value, null);
    }

    /// <summary>A nullable struct: nil is null, anything else converts as <typeparamref name="T"/>.</summary>
    public static T? ToNullable<T>(object? value, Func<object?, T> element) where T : struct => value is null ? null : element(value);

    /// <summary>A Lua array (or an array already of that type).</summary>
    public static T[]? ToArray<T>(object? value, Func<object?, T> element)
    {
        if (value is null or T[]) return (T[]?)value;
        var items = Sequence<T[]>(value);
        var result = new T[items.Count];
        for (var i = 0; i < result.Length; i++) result[i] = Element(items[i], i, element);
        return result;
    }

    /// <summary>A Lua array as a list.</summary>
    public static List<T>? ToList<T>(object? value, Func<object?, T> element)
    {
        if (value is null or List<T>) return (List<T>?)value;
        var items = Sequence<List<T>>(value);
        var result = new List<T>(items.Count);
        for (var i = 0; i < items.Count; i++) result.Add(Element(items[i], i, element));
        return result;
    }

    /// <summary>A Lua array as a set.</summary>
    public static HashSet<T>? ToHashSet<T>(object? value, Func<object?, T> element)
    {
        if (value is null or HashSet<T>) return (HashSet<T>?)value;
        var items = Sequence<HashSet<T>>(value);
        var result = new HashSet<T>(items.Count);
        for (var i = 0; i < items.Count; i++) result.Add(Element(items[i], i, element));
        return result;
    }

    /// <summary>A Lua table as a dictionary: its array part under keys 1, 2, ..., then its hash part.</summary>
    public static Dictionary<TKey, TValue>? ToDictionary<TKey, TValue>(object? value, Func<object?, TKey> key, Func<object?, TValue> item) where TKey : notnull
    {
        if (value is null or Dictionary<TKey, TValue>) return (Dictionary<TKey, TValue>?)value;
        if (value is not LuaTable table) throw Cannot<Dictionary<TKey, TValue>>(value, "a table is expected");
        var result = new Dictionary<TKey, TValue>(table.Array.Count + table.Hash.Count);
        for (var i = 0; i < table.Array.Count; i++) result[key((long)(i + 1))] = item(table.Array[i]);
        foreach (var (k, v) in table.Hash) result[key(k)] = item(v);
        return result;
    }

    /// <summary>A scalar result as a Lua value: integers as integers, enums as their number, floats as doubles.</summary>
    /// <exception cref="ArgumentException">The type has no Lua form.</exception>
    public static object? From<T>(T value)
    {
        if (value is null) return null;
        if (typeof(T) == typeof(object)) return FromObject(value);
        switch (Type.GetTypeCode(typeof(T)))
        {
            case TypeCode.Boolean: return Unsafe.As<T, bool>(ref value);
            case TypeCode.SByte: return (long)Unsafe.As<T, sbyte>(ref value);
            case TypeCode.Byte: return (long)Unsafe.As<T, byte>(ref value);
            case TypeCode.Int16: return (long)Unsafe.As<T, short>(ref value);
            case TypeCode.UInt16: return (long)Unsafe.As<T, ushort>(ref value);
            case TypeCode.Int32: return (long)Unsafe.As<T, int>(ref value);
            case TypeCode.UInt32: return (long)Unsafe.As<T, uint>(ref value);
            case TypeCode.Int64: return Unsafe.As<T, long>(ref value);
            case TypeCode.UInt64: return unchecked((long)Unsafe.As<T, ulong>(ref value)); // Lua integers are 64-bit signed; skynet wraps the same way
            case TypeCode.Single: return (double)Unsafe.As<T, float>(ref value);
            case TypeCode.Double: return Unsafe.As<T, double>(ref value);
            case TypeCode.Decimal: return (double)Unsafe.As<T, decimal>(ref value);
            case TypeCode.String: return value;
        }
        if (value is byte[] or LuaTable) return value;
        throw new ArgumentException($"a {typeof(T).Name} has no Lua form (Lua peers take numbers, booleans, strings, enums, and arrays, lists, sets and dictionaries of those)");
    }

    /// <summary>A nullable struct result: null is nil.</summary>
    public static object? FromNullable<T>(T? value, Func<T, object?> element) where T : struct => value is { } v ? element(v) : null;

    /// <summary>An array, list or set result as a Lua array.</summary>
    public static object? FromSequence<T>(IEnumerable<T>? value, Func<T, object?> element)
    {
        if (value is null) return null;
        var table = new LuaTable(value is ICollection<T> c ? c.Count : 0);
        foreach (var item in value) table.Array.Add(element(item));
        return table;
    }

    /// <summary>A dictionary result as a Lua table.</summary>
    public static object? FromDictionary<TKey, TValue>(IEnumerable<KeyValuePair<TKey, TValue>>? value, Func<TKey, object?> key, Func<TValue, object?> item)
    {
        if (value is null) return null;
        var table = new LuaTable();
        foreach (var (k, v) in value) table.RawSet(key(k) ?? throw new ArgumentException("a dictionary key has no Lua form (null)"), item(v));
        return table;
    }

    /// <summary>Any value already in hand (a hot fix's result): the Lua form of its run-time type, as far as one exists.</summary>
    public static object? FromObject(object? value) => value switch
    {
        null or bool or string or byte[] or LuaTable or long or double => value,
        int or short or sbyte or byte or ushort or uint => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        float f => (double)f,
        Enum e => Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture),
        System.Collections.IDictionary map => FromMap(map),
        System.Collections.IEnumerable items => FromItems(items),
        _ => value.ToString(),
    };

    static LuaTable FromMap(System.Collections.IDictionary map)
    {
        var table = new LuaTable();
        foreach (System.Collections.DictionaryEntry entry in map) table.RawSet(FromObject(entry.Key)!, FromObject(entry.Value));
        return table;
    }

    static LuaTable FromItems(System.Collections.IEnumerable items)
    {
        var table = new LuaTable();
        foreach (var item in items) table.Array.Add(FromObject(item));
        return table;
    }

    /// <summary>Replies, after <paramref name="task"/>, with no value (a response method without a result: <c>skynet.ret(skynet.pack())</c>).</summary>
    public static ValueTask Reply(Service service, ValueTask task)
    {
        if (task.IsCompletedSuccessfully)
        {
            task.GetAwaiter().GetResult();
            service.Ret(Array.Empty<object?>());
            return default;
        }
        return ReplyLater(service, task);
    }

    /// <summary>Replies, after <paramref name="task"/>, with no value.</summary>
    public static ValueTask Reply(Service service, Task task) => Reply(service, new ValueTask(task));

    /// <summary>Replies with the result of <paramref name="task"/> as Lua values.</summary>
    public static ValueTask Reply<T>(Service service, ValueTask<T> task, Func<T, object?> toLua)
    {
        if (task.IsCompletedSuccessfully)
        {
            service.Ret(toLua(task.Result));
            return default;
        }
        return ReplyLater(service, task, toLua);
    }

    /// <summary>Replies with the result of <paramref name="task"/> as Lua values.</summary>
    public static ValueTask Reply<T>(Service service, Task<T> task, Func<T, object?> toLua) => Reply(service, new ValueTask<T>(task), toLua);

    /// <summary>The error for a method whose pinned id is one of skynet's system ids, which the Lua form cannot carry.</summary>
    public static ArgumentException ReservedId(string method, int id) =>
        new($"{method} has [Id({id})], one of the ids skynet's snax reserves (1 init, 2 exit, 3 hotfix, 4 profile), so it has no Lua form; give it an id from 5 up to call it from Lua");

    /// <summary>The error for a request whose method id the service does not have.</summary>
    public static ArgumentException UnknownMethod(string service, int methodId) => new($"{service} has no snax method with the id {methodId}");

    /// <summary>The error for a Lua id no method has.</summary>
    public static ArgumentException UnknownLuaId(string service, int luaId) =>
        new($"{service} has no snax method with the Lua id {luaId} (1-4 are skynet's init/exit/hotfix/profile; methods are numbered from 5 in declaration order, or by their [Id(n)])");

    static async ValueTask ReplyLater(Service service, ValueTask task)
    {
        await task;
        service.Ret(Array.Empty<object?>());
    }

    static async ValueTask ReplyLater<T>(Service service, ValueTask<T> task, Func<T, object?> toLua) => service.Ret(toLua(await task));

    static T Element<T>(object? value, int index, Func<object?, T> element)
    {
        try
        {
            return element(value);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"at [{index + 1}]: {ex.Message}");
        }
    }

    static List<object?> Sequence<TTarget>(object value) =>
        value is LuaTable { Hash.Count: 0 } table ? table.Array : throw Cannot<TTarget>(value, "a Lua array is expected");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static T Narrow<T, TValue>(TValue value) => Unsafe.As<TValue, T>(ref value);

    static long Integer(object value) => value switch
    {
        long l => l,
        double d when Math.Floor(d) == d && d >= long.MinValue && d < 9.2233720368547758E18 => (long)d,
        double => throw new ArgumentException("is a float with a fraction, not an integer"),
        _ => throw new InvalidCastException(),
    };

    static double Number(object value) => value is long l ? l : (double)value;

    static ArgumentException Cannot<T>(object value, string? why) =>
        new($"is {Describe(value)}, which cannot become a {Name(typeof(T))}{(why is null ? "" : ": " + why)}");

    static string Describe(object value) => value switch
    {
        string s => $"the Lua string \"{(s.Length > 40 ? s[..40] + "..." : s)}\"",
        byte[] b => $"a Lua string of {b.Length} bytes",
        long or double => $"the Lua number {Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}",
        bool b => $"the Lua boolean {(b ? "true" : "false")}",
        LuaTable => "a Lua table",
        _ => $"a {value.GetType().Name}",
    };

    static string Name(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>" : type.Name;
}
