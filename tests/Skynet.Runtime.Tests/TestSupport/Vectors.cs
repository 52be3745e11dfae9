namespace Skynet.Runtime.Tests.TestSupport;

/// <summary>
/// Locates the shared wire-format vectors (<c>../shared/vectors</c> beside the repository root) and reads them, so
/// every test project checks itself against the same files that were produced by real skynet.
/// </summary>
public static class Vectors
{
    private static readonly Lazy<string> Directory = new(FindVectorDirectory);

    /// <summary>The full path of one vector file, e.g. <c>Path("crypt.tsv")</c>.</summary>
    /// <param name="fileName">The file name inside the vectors folder.</param>
    /// <returns>The absolute path; the file is not required to exist.</returns>
    public static string Path(string fileName) => System.IO.Path.Combine(Directory.Value, fileName);

    /// <summary>
    /// Reads a tab-separated vector file: one row per line, blank lines and lines starting with <c>#</c> skipped, empty
    /// fields kept (an empty field is an empty input, not a missing one).
    /// </summary>
    /// <param name="fileName">The file name inside the vectors folder.</param>
    /// <returns>Each row's fields with the 1-based line number it came from.</returns>
    public static IReadOnlyList<(int Line, string[] Fields)> ReadTsv(string fileName)
    {
        string path = Path(fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Vector file '{path}' is missing; the vectors live in ../shared/vectors next to the repository root.", path);
        }

        var rows = new List<(int, string[])>();
        string[] lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            rows.Add((i + 1, line.Split('\t')));
        }

        return rows;
    }

    private static string FindVectorDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Skynet.sln")))
            {
                return System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "vectors"));
            }
        }

        throw new DirectoryNotFoundException($"No directory containing Skynet.sln above '{AppContext.BaseDirectory}'; cannot locate the shared vectors.");
    }
}
