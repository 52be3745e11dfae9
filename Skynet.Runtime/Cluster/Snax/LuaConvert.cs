using System.Globalization;
using System.Text;
using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// Converts the values a Lua peer sends (<see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, strings as
/// <see cref="string"/> or <see cref="byte"/>[], <see cref="LuaTable"/>, null) to the parameter and result types of a
/// C# snax method, as Lua's own coercions would: nil becomes the type's default, integers narrow with a range check.
/// </summary>
internal static class LuaConvert
{
    /// <exception cref="ArgumentException">The value cannot become <paramref name="type"/>.</exception>
    public static object? To(Type type, object? value)
    {
        if (value is null) return type.IsValueType ? Activator.CreateInstance(type) : null;
        if (type.IsInstanceOfType(value)) return value;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        try
        {
            if (target.IsEnum) return Enum.ToObject(target, Convert.ChangeType(value, Enum.GetUnderlyingType(target), CultureInfo.InvariantCulture)!);
            if (value is LuaTable table) return FromTable(target, table);
            return value switch
            {
                byte[] bytes when target == typeof(string) => Encoding.UTF8.GetString(bytes),
                string text when target == typeof(byte[]) => Encoding.UTF8.GetBytes(text),
                long or double or bool when target.IsPrimitive || target == typeof(decimal) => checked(Convert.ChangeType(value, target, CultureInfo.InvariantCulture)),
                _ => throw new InvalidCastException(),
            };
        }
        catch (Exception ex) when (ex is InvalidCastException or OverflowException or FormatException)
        {
            throw new ArgumentException($"the Lua value {value} ({value.GetType().Name}) cannot become a {type.Name}");
        }
    }

    // Lua arrays become arrays and lists, Lua hash tables dictionaries.
    static object FromTable(Type target, LuaTable table)
    {
        if (target.IsArray && target.GetElementType() is { } element)
        {
            var array = Array.CreateInstance(element, table.Array.Count);
            for (var i = 0; i < table.Array.Count; i++) array.SetValue(To(element, table.Array[i]), i);
            return array;
        }
        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (System.Collections.IList)Activator.CreateInstance(target)!;
            foreach (var item in table.Array) list.Add(To(target.GetGenericArguments()[0], item));
            return list;
        }
        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var map = (System.Collections.IDictionary)Activator.CreateInstance(target)!;
            var (keyType, valueType) = (target.GetGenericArguments()[0], target.GetGenericArguments()[1]);
            for (var i = 0; i < table.Array.Count; i++) map[To(keyType, (long)(i + 1))!] = To(valueType, table.Array[i]);
            foreach (var (key, item) in table.Hash) map[To(keyType, key)!] = To(valueType, item);
            return map;
        }
        throw new InvalidCastException();
    }

    /// <summary>Turns a C# result into values <c>skynet.pack</c> takes: enums as integers, lists and arrays as Lua arrays, dictionaries as Lua tables.</summary>
    public static object? ToLua(object? value)
    {
        switch (value)
        {
            case null or bool or string or byte[] or LuaTable or long or int or short or sbyte or byte or ushort or uint or ulong or double or float:
                return value;
            case Enum e:
                return Convert.ToInt64(e, CultureInfo.InvariantCulture);
            case System.Collections.IDictionary map:
            {
                var table = new LuaTable();
                foreach (System.Collections.DictionaryEntry entry in map) table.RawSet(ToLua(entry.Key)!, ToLua(entry.Value));
                return table;
            }
            case System.Collections.IEnumerable items:
            {
                var table = new LuaTable();
                foreach (var item in items) table.Array.Add(ToLua(item));
                return table;
            }
            default:
                return value;
        }
    }

    /// <summary>Builds the argument list of a slot: the service, then each Lua value converted (missing ones are nil).</summary>
    public static object?[] SlotArguments(Service service, IReadOnlyList<Type> parameters, object?[] luaArgs, int first)
    {
        var result = new object?[parameters.Count + 1];
        result[0] = service;
        for (var i = 0; i < parameters.Count; i++)
            result[i + 1] = To(parameters[i], first + i < luaArgs.Length ? luaArgs[first + i] : null);
        return result;
    }
}
