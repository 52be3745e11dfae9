using System.Text;

namespace Skynet.Codecs;

/// <summary>A UTF-8 encoding that throws instead of substituting U+FFFD: the codecs must reject bad text, never
/// silently change it.</summary>
internal static class StrictUtf8
{
    internal static readonly UTF8Encoding Instance = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
