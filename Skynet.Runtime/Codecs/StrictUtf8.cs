using System.Text;

namespace Skynet.Codecs;

/// <summary>A UTF-8 encoding that throws instead of substituting U+FFFD: the codecs must reject bad text, never
/// silently change it.</summary>
internal static class StrictUtf8
{
    internal static readonly UTF8Encoding Instance = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The UTF-8 length of <paramref name="value"/>; a string that UTF-8 cannot carry is bad input.</summary>
    internal static int ByteCount(string value)
    {
        try
        {
            return Instance.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new PackException("The string holds an unpaired surrogate and cannot be written as UTF-8.", e);
        }
    }
}
