using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Skynet.Analyzers.Diagnostics;

namespace Skynet.Analyzers.CodeFixes;

/// <summary>SKY1018: <c>Timeout.InfiniteTimeSpan</c> → <c>System.Threading.Timeout.InfiniteTimeSpan</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HiddenTypeCodeFixer)), Shared]
public sealed class HiddenTypeCodeFixer : CodeFixProvider
{
    /// <summary>Equivalence key of the fix.</summary>
    public const string Key = DiagnosticIds.ServiceMemberHidesType + ".QualifyType";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ServiceMemberHidesType);

    /// <inheritdoc/>
    /// <remarks>A batch fix whose key always belongs to the ids fixed (see <see cref="KeyedBatchFixer"/>: dotnet format).</remarks>
    public override FixAllProvider GetFixAllProvider() => FixAll;

    static readonly KeyedBatchFixer FixAll = KeyedBatchFixer.For(DiagnosticIds.ServiceMemberHidesType, Key);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            // dotnet format may hand over a diagnostic of another id its analyzer reports (see KeyedBatchFixer).
            if (!FixableDiagnosticIds.Contains(diagnostic.Id)) continue;
            if (!diagnostic.Properties.TryGetValue(HiddenTypeAnalyzer.TypeProperty, out var type) || type is null) continue;
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not IdentifierNameSyntax identifier) continue;
            var qualified = SyntaxFactory.ParseExpression(type).WithTriviaFrom(identifier);
            context.RegisterCodeFix(CodeAction.Create($"Use {type}", _ =>
                Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(identifier, qualified))), Key), diagnostic);
        }
    }
}
