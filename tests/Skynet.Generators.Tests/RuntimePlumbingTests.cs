using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Skynet.Generators.Tests;

/// <summary>
/// Public types of Skynet.Runtime that only generated code calls are kept out of IntelliSense
/// (<c>[EditorBrowsable(Never)]</c>): a user typing <c>Skynet.Codecs.</c> sees codecs, not the copier plumbing.
/// </summary>
public sealed partial class RuntimePlumbingTests
{
    static readonly Type[] Plumbing =
    [
        typeof(Skynet.Codecs.SnaxBytes),
        typeof(SnaxReplies),
        typeof(Skynet.Codecs.IDeepCopier<>),
        typeof(Skynet.Codecs.IdentityCopier<>),
        typeof(Skynet.Codecs.MemoryPackCopier<>),
        typeof(Skynet.Codecs.NullableCopier<,>),
        typeof(Skynet.Codecs.DeepCopyableCopier<>),
        typeof(Skynet.Codecs.ListCopier<,>),
        typeof(Skynet.Codecs.ArrayCopier<,>),
        typeof(Skynet.Codecs.DictionaryCopier<,,,>),
        typeof(Skynet.Codecs.HashSetCopier<,>),
    ];

    static bool Hidden(MemberInfo member) =>
        member.GetCustomAttribute<EditorBrowsableAttribute>()?.State == EditorBrowsableState.Never;

    [Fact]
    public void Plumbing_types_are_public_for_generated_code_and_hidden_from_IntelliSense()
    {
        var visible = Plumbing.Where(t => !t.IsPublic || !Hidden(t)).Select(t => t.Name).ToList();
        Assert.True(visible.Count == 0, "not hidden: " + string.Join(", ", visible));
    }

    /// <summary>Every Skynet.Codecs type the generated code names is in the list above, except what users implement.</summary>
    [Fact]
    public void Every_codecs_type_the_generated_code_names_is_hidden()
    {
        var baselines = Directory.GetFiles(Path.Combine(SourceDirectory(), "Baselines"));
        Assert.NotEmpty(baselines);
        var named = baselines.SelectMany(f => CodecsType().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet();
        Assert.NotEmpty(named);
        var runtime = typeof(Service).Assembly;
        foreach (var name in named)
        {
            var type = runtime.GetTypes().Single(t => t.Namespace == "Skynet.Codecs" && t.Name.Split('`')[0] == name);
            // IDeepCopyable<T> is implemented on the user's own [MemoryPackable] types: it stays visible.
            if (type == typeof(Skynet.Codecs.IDeepCopyable<>)) continue;
            Assert.True(Hidden(type), $"{type} is named by generated code but shown in IntelliSense");
            Assert.Contains(type, Plumbing);
        }
    }

    static string SourceDirectory([CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;

    [GeneratedRegex(@"global::Skynet\.Codecs\.([A-Za-z]+)")]
    private static partial Regex CodecsType();
}
