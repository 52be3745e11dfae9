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

/// <summary>SKY1003: send with the proxy's Post view when it has the method (an [Accept]); otherwise, in an async function, await it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DroppedRequestCodeFixer)), Shared]
public sealed class DroppedRequestCodeFixer : CodeFixProvider
{
    /// <summary>Equivalence key of the "use Post" fix.</summary>
    public const string UsePostKey = DiagnosticIds.DroppedRequest + ".UsePost";

    /// <summary>Equivalence key of the "await" fix.</summary>
    public const string AwaitKey = DiagnosticIds.DroppedRequest + ".Await";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.DroppedRequest);

    /// <inheritdoc/>
    /// <remarks>A batch fix whose key always belongs to the ids fixed (see <see cref="KeyedBatchFixer"/>: dotnet format).</remarks>
    public override FixAllProvider GetFixAllProvider() => FixAll;

    static readonly KeyedBatchFixer FixAll = KeyedBatchFixer.For(DiagnosticIds.DroppedRequest, UsePostKey, AwaitKey);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            // dotnet format may hand over a diagnostic of another id its analyzer reports (see KeyedBatchFixer).
            if (!FixableDiagnosticIds.Contains(diagnostic.Id)) continue;
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation) continue;
            if (diagnostic.Properties.TryGetValue(ReentrancyAnalyzer.PostViewProperty, out var post) && post is not null &&
                invocation.Expression is MemberAccessExpressionSyntax { Expression: var view } method)
            {
                ExpressionSyntax? postView = view switch
                {
                    MemberAccessExpressionSyntax access => access.WithName(SyntaxFactory.IdentifierName(post)),
                    IdentifierNameSyntax => SyntaxFactory.IdentifierName(post),
                    _ => null,
                };
                if (postView is not null)
                {
                    context.RegisterCodeFix(CodeAction.Create($"Use {post} (one-way)", _ =>
                        Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(view, postView.WithTriviaFrom(view)))), UsePostKey), diagnostic);
                }
            }
            if (SyntaxHelpers.InAsyncFunction(invocation))
            {
                context.RegisterCodeFix(CodeAction.Create("Await the request", _ =>
                    Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(invocation,
                        SyntaxFactory.AwaitExpression(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space), invocation.WithoutTrivia()).WithTriviaFrom(invocation)))), AwaitKey), diagnostic);
            }
        }
    }
}
