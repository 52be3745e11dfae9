namespace Skynet.Runtime.Tests.TestSupport;

/// <summary>Hex helpers for golden-byte assertions (lowercase, spaces ignored so vectors can be grouped).</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
