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
public sealed class HiddenTypeCodeFixer() : SkynetCodeFixer(KeyedBatchFixer.For(DiagnosticIds.ServiceMemberHidesType, Key))
{
    /// <summary>Equivalence key of the fix.</summary>
    public const string Key = DiagnosticIds.ServiceMemberHidesType + ".QualifyType";

    /// <inheritdoc/>
    protected override void Register(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(HiddenTypeAnalyzer.TypeProperty, out var type) || type is null) return;
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not IdentifierNameSyntax identifier) return;
        var qualified = SyntaxFactory.ParseExpression(type).WithTriviaFrom(identifier);
        context.RegisterCodeFix(CodeAction.Create($"Use {type}", _ =>
            Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(identifier, qualified))), Key), diagnostic);
    }
}
