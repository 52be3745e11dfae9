using System.Buffers;
using Skynet.Codecs;

namespace Skynet.Runtime.Tests.Codecs;

internal delegate void WriteStep(ref PackWriter writer);

internal delegate T ReadStep<T>(ref PackReader reader);

internal static class PackTest
{
    public static byte[] Write(WriteStep step)
    {
        var output = new ArrayBufferWriter<byte>(1); // tiny first buffer: exercises the writer's renewals
        var writer = new PackWriter(output);
        step(ref writer);
        writer.Flush();
        Assert.Equal(output.WrittenCount, writer.WrittenCount);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Reads with <paramref name="step"/> and insists the whole input was consumed.</summary>
    public static T Read<T>(byte[] data, ReadStep<T> step)
    {
        var reader = new PackReader(data);
        T value = step(ref reader);
        Assert.Equal(data.Length, reader.Consumed);
        return value;
    }
}
