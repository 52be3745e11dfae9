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
public sealed class DroppedRequestCodeFixer() : SkynetCodeFixer(KeyedBatchFixer.For(DiagnosticIds.DroppedRequest, UsePostKey, AwaitKey))
{
    /// <summary>Equivalence key of the "use Post" fix.</summary>
    public const string UsePostKey = DiagnosticIds.DroppedRequest + ".UsePost";

    /// <summary>Equivalence key of the "await" fix.</summary>
    public const string AwaitKey = DiagnosticIds.DroppedRequest + ".Await";

    /// <inheritdoc/>
    protected override void Register(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation) return;
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
