namespace Skynet.Modules.Tests.Sproto;

/// <summary>The vectors skynet's own sproto computed (<c>Vectors/make-vectors.lua</c>, see docs/sproto.md).</summary>
internal static class SprotoVectors
{
    static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Sproto", "Vectors");

    public static string Schema(string file) => File.ReadAllText(Path.Combine(Folder, file));

    public static IEnumerable<string[]> Lines(string kind) =>
        File.ReadAllLines(Path.Combine(Folder, "sproto-vectors.tsv"))
            .Select(line => line.Split('\t'))
            .Where(cols => cols[0] == kind);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);
}
