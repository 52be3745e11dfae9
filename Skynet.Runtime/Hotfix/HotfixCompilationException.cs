namespace Skynet.Hotfix;

/// <summary>A hotfix or inject source did not compile. Nothing was loaded and no service changed.</summary>
public sealed class HotfixCompilationException : Exception
{
    /// <summary>Creates the failure from the compiler's error messages.</summary>
    public HotfixCompilationException(string sourceName, IReadOnlyList<string> errors)
        : base($"The hotfix {sourceName} does not compile ({errors.Count} error(s)); nothing was changed:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
    {
        SourceName = sourceName;
        Errors = errors;
    }

    /// <summary>The file name the messages refer to.</summary>
    public string SourceName { get; }

    /// <summary>The compiler's error messages, one per error, as <c>file(line,col): error CSnnnn: text</c>.</summary>
    public IReadOnlyList<string> Errors { get; }
}
