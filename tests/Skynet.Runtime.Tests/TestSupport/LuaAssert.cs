using Skynet.Codecs;

namespace Skynet.Runtime.Tests.TestSupport;

/// <summary>Deep comparison of Lua values: tables by content (hash part order-free), everything else by value and
/// type, so a long never passes for a double.</summary>
internal static class LuaAssert
{
    public static void Equal(object?[] expected, object?[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Equal(expected[i], actual[i], $"value {i + 1}");
        }
    }

    public static void Equal(object? expected, object? actual, string path)
    {
        if (expected is LuaTable et)
        {
            var at = Assert.IsType<LuaTable>(actual);
            Assert.True(et.Array.Count == at.Array.Count, $"{path}: array length {at.Array.Count}, expected {et.Array.Count}");
            for (int i = 0; i < et.Array.Count; i++)
            {
                Equal(et.Array[i], at.Array[i], $"{path}[{i + 1}]");
            }
            Assert.True(et.Hash.Count == at.Hash.Count, $"{path}: {at.Hash.Count} hash entries, expected {et.Hash.Count}");
            foreach (KeyValuePair<object, object?> pair in et.Hash)
            {
                Assert.True(TryFindKey(at, pair.Key, out object? value), $"{path}: missing key {pair.Key}");
                Equal(pair.Value, value, $"{path}.{pair.Key}");
            }
            return;
        }
        if (expected is byte[] eb)
        {
            Assert.Equal(eb, Assert.IsType<byte[]>(actual));
            return;
        }
        Assert.True(Equals(expected, actual) && expected?.GetType() == actual?.GetType(),
            $"{path}: got {Describe(actual)}, expected {Describe(expected)}");
    }

    // Table keys are identities in Lua; after a round trip the key is a different but equal table.
    static bool TryFindKey(LuaTable table, object key, out object? value)
    {
        if (key is not LuaTable)
        {
            return table.Hash.TryGetValue(key, out value);
        }
        foreach (KeyValuePair<object, object?> pair in table.Hash)
        {
            if (pair.Key is LuaTable && DeepEqual(key, pair.Key))
            {
                value = pair.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    static bool DeepEqual(object? expected, object? actual)
    {
        try
        {
            Equal(expected, actual, "");
            return true;
        }
        catch (Xunit.Sdk.XunitException)
        {
            return false;
        }
    }

    static string Describe(object? value) => value is null ? "nil" : $"{value} ({value.GetType().Name})";
}
