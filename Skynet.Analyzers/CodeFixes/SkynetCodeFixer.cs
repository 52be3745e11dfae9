using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Skynet.Analyzers.CodeFixes;

/// <summary>
/// The frame every Skynet code fix shares: the ids it fixes are the ids of its <see cref="KeyedBatchFixer"/>, Fix All
/// is that fixer, and only diagnostics of those ids reach <see cref="Register"/>. <c>dotnet format</c> hands a
/// fixer every diagnostic its analyzer reported in a pass, other ids included (see <see cref="KeyedBatchFixer"/>).
/// </summary>
public abstract class SkynetCodeFixer : CodeFixProvider
{
    readonly KeyedBatchFixer _fixAll;

    private protected SkynetCodeFixer(KeyedBatchFixer fixAll)
    {
        _fixAll = fixAll;
        FixableDiagnosticIds = fixAll.Ids;
    }

    /// <inheritdoc/>
    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    /// <inheritdoc/>
    /// <remarks>A batch fix whose key always belongs to the ids fixed (see <see cref="KeyedBatchFixer"/>: dotnet format).</remarks>
    public sealed override FixAllProvider GetFixAllProvider() => _fixAll;

    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        // The analyzers built this model to report the diagnostics, so asking for it again costs nothing.
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;
        foreach (var diagnostic in context.Diagnostics.Where(d => FixableDiagnosticIds.Contains(d.Id)))
            Register(context, root, model, diagnostic);
    }

    /// <summary>Offers this fixer's actions for one diagnostic of one of its ids.</summary>
    protected abstract void Register(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic);
}
