using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Skynet.Analyzers.Diagnostics;

namespace Skynet.Analyzers.CodeFixes;

/// <summary>SKY1011 on <c>Thread.Sleep(x)</c> in an async function: <c>await Sleep(TimeSpan.FromMilliseconds(x))</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ThreadSleepCodeFixer)), Shared]
public sealed class ThreadSleepCodeFixer() : SkynetCodeFixer(KeyedBatchFixer.For(DiagnosticIds.BlockingWait, Key))
{
    /// <summary>Equivalence key of the fix.</summary>
    public const string Key = DiagnosticIds.BlockingWait + ".AwaitSleep";

    /// <inheritdoc/>
    protected override void Register(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(ServiceCodeAnalyzer.WaitKindProperty, out var kind) || kind != ServiceCodeAnalyzer.ThreadSleep) return;
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation ||
            invocation.ArgumentList.Arguments.Count != 1 || !SyntaxHelpers.InAsyncFunction(invocation) ||
            !HasServiceSleep(model.GetEnclosingSymbol(invocation.SpanStart, context.CancellationToken))) return;
        var argument = invocation.ArgumentList.Arguments[0].Expression;
        var isTimeSpan = model.GetTypeInfo(argument, context.CancellationToken).Type?.Name == "TimeSpan";
        // 'TimeSpan' when that name means System.TimeSpan here; fully qualified when no using brings it in or
        // another type of that name shadows it.
        var systemTimeSpan = model.Compilation.GetTypeByMetadataName("System.TimeSpan");
        var visible = model.LookupNamespacesAndTypes(invocation.SpanStart, name: "TimeSpan");
        var timeSpanName = visible.Length == 1 && SymbolEqualityComparer.Default.Equals(visible[0], systemTimeSpan) ? "TimeSpan" : "global::System.TimeSpan";
        context.RegisterCodeFix(CodeAction.Create("Use await Sleep", _ =>
        {
            var delay = isTimeSpan ? argument : SyntaxFactory.ParseExpression($"{timeSpanName}.FromMilliseconds({argument})");
            var replacement = SyntaxFactory.AwaitExpression(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space), SyntaxFactory.InvocationExpression(SyntaxFactory.IdentifierName("Sleep"),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(delay)))))
                .WithTriviaFrom(invocation);
            return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(invocation, replacement)));
        }, Key), diagnostic);
    }

    /// <summary>
    /// True when the code can call the service's own <c>Sleep</c>: an instance member of a service (through
    /// non-static lambdas and local functions), not a static method or a type nested in the service.
    /// </summary>
    static bool HasServiceSleep(ISymbol? symbol)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } function)
        {
            if (function.IsStatic) return false;
            symbol = function.ContainingSymbol;
        }
        if (symbol is null || symbol.IsStatic) return false;
        for (var type = symbol.ContainingType?.BaseType; type is not null; type = type.BaseType)
            if (type is { Name: "Service", ContainingNamespace: { Name: "Skynet", ContainingNamespace.IsGlobalNamespace: true } }) return true;
        return false;
    }
}
