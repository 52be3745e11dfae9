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
