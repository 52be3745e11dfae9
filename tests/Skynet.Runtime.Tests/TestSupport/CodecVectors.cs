namespace Skynet.Runtime.Tests.TestSupport;

/// <summary>Finds the shared wire-format vectors (<c>../shared/vectors</c> beside the repository root) and reads
/// their tab-separated rows, so every row is a test without copying the files into the repository.</summary>
internal static class CodecVectors
{
    static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The directory holding <c>Skynet.sln</c>, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The shared vectors directory.</summary>
    public static string Directory => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "vectors"));

    /// <summary>Rows of a TSV vector file, skipping blank lines and <c>#</c> comments.</summary>
    public static IEnumerable<string[]> ReadTsv(string fileName)
    {
        foreach (string line in File.ReadLines(Path.Combine(Directory, fileName)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            yield return line.Split('\t');
        }
    }

    static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Skynet.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Skynet.sln above {AppContext.BaseDirectory}.");
    }
}
