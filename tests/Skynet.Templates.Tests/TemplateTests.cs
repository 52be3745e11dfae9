using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using System.Text.RegularExpressions;

namespace Skynet.Templates.Tests;

/// <summary>
/// The templates as a user meets them: the repository's packing script fills a temporary feed, the template package
/// is installed into a temporary template hive, each template is created, the result builds with no warning and the
/// node's tests pass, and the templates are uninstalled. Nothing outside a temporary folder is left behind.
/// </summary>
public sealed partial class TemplateTests : IDisposable
{
    static readonly TimeSpan Step = TimeSpan.FromMinutes(5);
    readonly string _root = Path.Combine(Path.GetTempPath(), "skynet-templates-" + Guid.NewGuid().ToString("N")[..8]);
    readonly List<string> _cachedPackages = [];

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Skynet.sln"))) return dir.FullName;
        throw new InvalidOperationException("The test does not run inside the repository.");
    }

    static string Configuration => typeof(TemplateTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    [Fact]
    public async Task A_new_node_from_the_templates_builds_without_warnings_and_its_tests_pass()
    {
        var repo = RepoRoot();
        var feed = Path.Combine(_root, "feed");
        var hive = Path.Combine(_root, "hive");
        Directory.CreateDirectory(_root);

        // 1. The script users run, packing what this test run already built.
        var pack = (await DotNetCli.RunAsync("bash", repo, Step, "templates/pack-local.sh", "--feed", feed, "--configuration", Configuration, "--no-build"))
            .EnsureSuccess("templates/pack-local.sh");
        var version = VersionLine().Match(pack.Output) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("no version in:" + pack.Output);
        var packages = Directory.GetFiles(feed, "*.nupkg").Select(static path => Path.GetFileName(path)).Order().ToArray();
        Assert.Equal([$"Skynet.Runtime.{version}.nupkg", $"Skynet.Templates.{version}.nupkg", $"Skynet.Testing.{version}.nupkg"], packages);
        AssertRuntimePackage(Path.Combine(feed, $"Skynet.Runtime.{version}.nupkg"), version);
        Assert.True(File.Exists(Path.Combine(feed, $"Skynet.Runtime.{version}.snupkg")), "no symbols package for Skynet.Runtime");
        Assert.True(File.Exists(Path.Combine(feed, $"Skynet.Testing.{version}.snupkg")), "no symbols package for Skynet.Testing");
        var nugetCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } cache ? cache : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        _cachedPackages.Add(Path.Combine(nugetCache, "skynet.runtime", version));
        _cachedPackages.Add(Path.Combine(nugetCache, "skynet.testing", version));

        // 2. Install into a private hive.
        (await DotNetCli.DotNetAsync(_root, Step, "new", "install", Path.Combine(feed, $"Skynet.Templates.{version}.nupkg"), "--debug:custom-hive", hive))
            .EnsureSuccess("dotnet new install");

        // 3. Create a node with a custom console port, and add a service to it.
        (await DotNetCli.DotNetAsync(_root, Step, "new", "skynet-node", "-n", "Arena", "-o", Path.Combine(_root, "Arena"), "--console-port", "9123", "--debug:custom-hive", hive))
            .EnsureSuccess("dotnet new skynet-node");
        var project = Path.Combine(_root, "Arena", "Arena");
        Assert.Matches(@"""Console"":\s*\{\s*""Port"": 9123", File.ReadAllText(Path.Combine(project, "appsettings.json")));
        Assert.Contains($"Include=\"Skynet.Runtime\" Version=\"{version}\"", File.ReadAllText(Path.Combine(project, "Arena.csproj")));
        Assert.Contains(feed, File.ReadAllText(Path.Combine(_root, "Arena", "nuget.config")));
        Assert.DoesNotContain(repo, Directory.GetFiles(Path.Combine(_root, "Arena"), "*", SearchOption.AllDirectories).Select(File.ReadAllText));

        // An item template reads the project's RootNamespace only from a restored project, as in everyday use.
        (await DotNetCli.DotNetAsync(Path.Combine(_root, "Arena"), Step, "restore", "Arena.slnx")).EnsureSuccess("dotnet restore of the new node");
        (await DotNetCli.DotNetAsync(project, Step, "new", "skynet-service", "-n", "Inventory", "--debug:custom-hive", hive))
            .EnsureSuccess("dotnet new skynet-service");
        var inventory = File.ReadAllText(Path.Combine(project, "Inventory.cs"));
        Assert.Contains("namespace Arena;", inventory);
        Assert.Contains("public sealed partial class Inventory : Service", inventory);

        // 4. One build of node, service and tests, warnings as errors, then the node's tests.
        var test = (await DotNetCli.DotNetAsync(Path.Combine(_root, "Arena"), Step, "test", "Arena.slnx", "--no-restore", "-warnaserror", "-p:TreatWarningsAsErrors=true"))
            .EnsureSuccess("dotnet test of the new node");
        Assert.DoesNotContain(": warning ", test.Output);
        Assert.Matches(@"Passed!\s+- Failed:\s+0, Passed:\s+2", test.Output);

        // 5. Two nodes calling each other through the cluster module: created, built with warnings as errors, tested.
        (await DotNetCli.DotNetAsync(_root, Step, "new", "skynet-cluster", "-n", "Realm", "-o", Path.Combine(_root, "Realm"), "--node1-port", "3528", "--node2-port", "3529", "--debug:custom-hive", hive))
            .EnsureSuccess("dotnet new skynet-cluster");
        var realm = Path.Combine(_root, "Realm", "Realm");
        var realmSettings = File.ReadAllText(Path.Combine(realm, "appsettings.json"));
        Assert.Contains("\"node1\": \"127.0.0.1:3528\"", realmSettings);
        Assert.Contains("\"node2\": \"127.0.0.1:3529\"", realmSettings);
        Assert.Contains($"Include=\"Skynet.Runtime\" Version=\"{version}\"", File.ReadAllText(Path.Combine(realm, "Realm.csproj")));
        Assert.DoesNotContain(repo, Directory.GetFiles(Path.Combine(_root, "Realm"), "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        var cluster = (await DotNetCli.DotNetAsync(Path.Combine(_root, "Realm"), Step, "test", "Realm.slnx", "-warnaserror", "-p:TreatWarningsAsErrors=true"))
            .EnsureSuccess("dotnet test of the new cluster");
        Assert.DoesNotContain(": warning ", cluster.Output);
        Assert.Matches(@"Passed!\s+- Failed:\s+0, Passed:\s+2", cluster.Output);

        // 6. Leave the hive as it was.
        (await DotNetCli.DotNetAsync(_root, Step, "new", "uninstall", "Skynet.Templates", "--debug:custom-hive", hive)).EnsureSuccess("dotnet new uninstall");
        var list = await DotNetCli.DotNetAsync(_root, Step, "new", "list", "skynet", "--debug:custom-hive", hive);
        Assert.DoesNotContain("skynet-node", list.Output);
        Assert.DoesNotContain("skynet-cluster", list.Output);
    }

    /// <summary>The runtime package carries the generator and analyzers, its readme, license expression and repository.</summary>
    static void AssertRuntimePackage(string path, string version)
    {
        using var package = ZipFile.OpenRead(path);
        var entries = package.Entries.Select(static e => e.FullName).ToHashSet();
        foreach (var expected in new[] { "lib/net10.0/Skynet.Runtime.dll", "lib/net10.0/Skynet.Runtime.xml", "README.md",
                     "analyzers/dotnet/cs/Skynet.Generators.dll", "analyzers/dotnet/cs/Skynet.Analyzers.dll", "analyzers/dotnet/cs/Skynet.Analyzers.CodeFixes.dll" })
            Assert.Contains(expected, entries);
        using var reader = new StreamReader(package.GetEntry("Skynet.Runtime.nuspec")!.Open());
        var nuspec = XDocument.Load(reader).Root!.Elements().Single(static e => e.Name.LocalName == "metadata");
        string Field(string name) => nuspec.Elements().Single(e => e.Name.LocalName == name).Value;
        Assert.Equal(version, Field("version"));
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("README.md", Field("readme"));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")));
        Assert.Contains("skynet", Field("tags"));
        Assert.StartsWith("https://", nuspec.Elements().Single(static e => e.Name.LocalName == "repository").Attribute("url")!.Value);
    }

    [GeneratedRegex(@"Packed version (\S+) into")]
    private static partial Regex VersionLine();

    public void Dispose()
    {
        foreach (var path in _cachedPackages.Append(_root))
        {
            try { if (Directory.Exists(path)) Directory.Delete(path, recursive: true); }
            catch (IOException) { } // best effort: a temp folder left behind is not a test failure
            catch (UnauthorizedAccessException) { }
        }
    }
}
