namespace Skynet.Sproto;

/// <summary>
/// sproto's "0 packing" (<c>sproto_pack</c>/<c>sproto_unpack</c>): the input is padded to 8-byte words, each word
/// becomes a tag byte (bit i set = byte i non-zero) and its non-zero bytes; runs of words with 6 or more non-zero
/// bytes are copied raw behind a <c>0xff, n-1</c> tag (up to 256 words).
/// </summary>
public static class SprotoPacking
{
    /// <summary>The largest unpacked message <see cref="Unpack(ReadOnlySpan{byte})"/> accepts by default (16 MiB,
    /// skynet's encode limit).</summary>
    public const int DefaultMaxUnpackedSize = 0x1000000;

    /// <summary>Packs <paramref name="source"/> (sproto's <c>pack</c>).</summary>
    /// <param name="source">Encoded sproto bytes.</param>
    /// <returns>The packed bytes, identical to skynet's.</returns>
    public static byte[] Pack(ReadOnlySpan<byte> source)
    {
        var max = (source.Length + 2047) / 2048 * 2 + source.Length + 2;
        var output = new byte[max];
        var n = Pack(source, output);
        return output.AsSpan(0, n).ToArray();
    }

    static int Pack(ReadOnlySpan<byte> src, Span<byte> buffer)
    {
        Span<byte> word = stackalloc byte[8];
        var size = 0;
        var ffSrc = 0;   // where the raw run starts in src
        var ffDes = 0;   // where its 0xff tag sits in buffer
        var ffN = 0;     // words in the run so far
        for (var i = 0; i < src.Length; i += 8)
        {
            word.Clear();
            src.Slice(i, Math.Min(8, src.Length - i)).CopyTo(word);
            var n = PackSegment(word, buffer.Slice(size), ffN);
            if (n == 10)
            {
                ffSrc = i;
                ffDes = size;
                ffN = 1;
            }
            else if (n == 8 && ffN > 0)
            {
                if (++ffN == 256)
                {
                    WriteFF(src, ffSrc, buffer.Slice(ffDes), 256);
                    ffN = 0;
                }
            }
            else if (ffN > 0)
            {
                WriteFF(src, ffSrc, buffer.Slice(ffDes), ffN);
                ffN = 0;
            }
            size += n;
        }
        if (ffN > 0) WriteFF(src, ffSrc, buffer.Slice(ffDes), ffN);
        return size;
    }

    /// <summary>One word: its size in the output (10 = starts a raw run, 8 = continues one).</summary>
    static int PackSegment(ReadOnlySpan<byte> word, Span<byte> buffer, int ffN)
    {
        byte header = 0;
        var notZero = 0;
        var at = 1;
        for (var i = 0; i < 8; i++)
        {
            if (word[i] == 0) continue;
            notZero++;
            header |= (byte)(1 << i);
            if (at < buffer.Length) buffer[at++] = word[i]; // a raw run rewrites these bytes; past the end they are not needed
        }
        if ((notZero == 7 || notZero == 6) && ffN > 0) notZero = 8;
        if (notZero == 8) return ffN > 0 ? 8 : 10;
        buffer[0] = header;
        return notZero + 1;
    }

    static void WriteFF(ReadOnlySpan<byte> src, int from, Span<byte> des, int n)
    {
        des[0] = 0xff;
        des[1] = (byte)(n - 1);
        var raw = des.Slice(2, n * 8);
        raw.Clear();
        src.Slice(from, Math.Min(n * 8, src.Length - from)).CopyTo(raw);
    }

    /// <summary>Unpacks 0-packed bytes (sproto's <c>unpack</c>); the result is padded to whole words.</summary>
    /// <param name="source">Packed bytes from the network.</param>
    /// <exception cref="SprotoException">The stream is truncated or unpacks past <see cref="DefaultMaxUnpackedSize"/>.</exception>
    public static byte[] Unpack(ReadOnlySpan<byte> source) => Unpack(source, DefaultMaxUnpackedSize);

    /// <summary>Unpacks 0-packed bytes, refusing output larger than <paramref name="maxSize"/>.</summary>
    /// <param name="source">Packed bytes from the network.</param>
    /// <param name="maxSize">The largest unpacked size to accept.</param>
    /// <exception cref="SprotoException">The stream is truncated or too large.</exception>
    public static byte[] Unpack(ReadOnlySpan<byte> source, int maxSize)
    {
        // First pass measures (and validates) so that the output is allocated once, at its exact size.
        var size = UnpackedSize(source);
        if (size > maxSize) throw new SprotoException($"Invalid unpack stream: unpacks to {size} bytes, more than the limit {maxSize}");
        var output = new byte[size];
        var src = source;
        var at = 0;
        while (src.Length > 0)
        {
            var header = src[0];
            src = src.Slice(1);
            if (header == 0xff)
            {
                var n = (src[0] + 1) * 8;
                src.Slice(1, n).CopyTo(output.AsSpan(at));
                src = src.Slice(n + 1);
                at += n;
                continue;
            }
            for (var i = 0; i < 8; i++, at++)
            {
                if ((header >> i & 1) == 0) continue;
                output[at] = src[0];
                src = src.Slice(1);
            }
        }
        return output;
    }

    static long UnpackedSize(ReadOnlySpan<byte> src)
    {
        long size = 0;
        var i = 0;
        while (i < src.Length)
        {
            var header = src[i++];
            if (header == 0xff)
            {
                if (i >= src.Length) throw new SprotoException("Invalid unpack stream: a raw-run tag (0xff) without its count");
                var n = (src[i] + 1) * 8;
                if (src.Length - i < n + 1) throw new SprotoException($"Invalid unpack stream: a raw run of {n} bytes but only {src.Length - i - 1} remain");
                i += n + 1;
                size += n;
            }
            else
            {
                var nz = System.Numerics.BitOperations.PopCount(header);
                if (src.Length - i < nz) throw new SprotoException($"Invalid unpack stream: a word needs {nz} bytes but only {src.Length - i} remain");
                i += nz;
                size += 8;
            }
        }
        return size;
    }
}
