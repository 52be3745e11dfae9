using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Skynet.Analyzers.Diagnostics;

namespace Skynet.Analyzers.Tests;

/// <summary>Every help link comes from the one configured base and points at a page (and anchor) in docs/diagnostics.</summary>
public class HelpLinkTests
{
    [Fact]
    public void EveryHelpLink_PointsAtAnExistingPageAndAnchor()
    {
        var docs = Path.Combine(RepositoryRoot(), "docs", "diagnostics");
        var descriptors = typeof(DiagnosticDescriptors).GetFields().Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!).ToList();
        Assert.True(descriptors.Count >= 16);
        foreach (var descriptor in descriptors)
        {
            Assert.StartsWith(DiagnosticDescriptors.HelpBase + "/", descriptor.HelpLinkUri);
            var relative = descriptor.HelpLinkUri[(DiagnosticDescriptors.HelpBase.Length + 1)..];
            var parts = relative.Split('#');
            Assert.Equal(descriptor.Id + ".md", parts[0]);
            var page = Path.Combine(docs, parts[0]);
            Assert.True(File.Exists(page), $"{descriptor.Id}: {page} does not exist");
            if (parts.Length > 1)
            {
                var text = File.ReadAllText(page);
                var headings = Regex.Matches(text, "^#+ (.+)$", RegexOptions.Multiline).Select(m => Slug(m.Groups[1].Value));
                Assert.True(text.Contains($"id=\"{parts[1]}\"", StringComparison.Ordinal) || headings.Contains(parts[1]),
                    $"{descriptor.Id}: anchor #{parts[1]} is not in {page}");
            }
        }
    }

    [Fact]
    public void HelpBase_ComesFromTheMsBuildProperty() =>
        Assert.Equal("https://github.com/skynet-dotnet/skynet-dotnet/blob/main/docs/diagnostics", DiagnosticDescriptors.HelpBase);

    static string Slug(string heading) => Regex.Replace(heading.Trim().ToLowerInvariant(), "[^a-z0-9 -]", "").Replace(' ', '-');

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Skynet.sln"))) return dir.FullName;
        throw new InvalidOperationException("Skynet.sln not found above " + AppContext.BaseDirectory);
    }
}
