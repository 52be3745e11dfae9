using System.Collections.Generic;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Skynet.Analyzers.Diagnostics;

namespace Skynet.Analyzers.CodeFixes;

/// <summary>
/// SKY1001: wraps the statements from the first access to the last one in <c>await _cs.Run(async () => { ... });</c>,
/// using the service's <c>CriticalSection</c> field or adding <c>readonly CriticalSection _criticalSection = new();</c>.
/// </summary>
/// <remarks>
/// The span is extended to the end of the function body when it declares locals used later or contains a
/// <c>return</c> (then it becomes <c>return await _cs.Run(...)</c>). No fix is offered when the span would have to
/// leave a nested block that way, or when it contains <c>break</c>/<c>continue</c>/<c>goto</c> out of the span.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CriticalSectionCodeFixer)), Shared]
public sealed class CriticalSectionCodeFixer() : SkynetCodeFixer(KeyedBatchFixer.For(DiagnosticIds.StateAcrossAwait, Key))
{
    /// <summary>Equivalence key of the fix.</summary>
    public const string Key = DiagnosticIds.StateAcrossAwait + ".WrapInCriticalSection";

    const string DefaultFieldName = "_criticalSection";

    /// <inheritdoc/>
    protected override void Register(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
    {
        if (diagnostic.AdditionalLocations.Count < 1) return;
        var later = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var first = root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true);
        if (Plan(later, first, model, context.CancellationToken) is not { } plan) return;
        context.RegisterCodeFix(CodeAction.Create("Wrap in the service's CriticalSection",
            ct => ApplyAsync(context.Document, root, model, plan, ct), Key), diagnostic);
    }

    sealed class WrapPlan(BlockSyntax block, int start, int end, bool returns, ClassDeclarationSyntax service)
    {
        public BlockSyntax Block { get; } = block;
        public int Start { get; } = start;
        public int End { get; } = end;
        public bool Returns { get; } = returns;
        public ClassDeclarationSyntax Service { get; } = service;
    }

    static WrapPlan? Plan(SyntaxNode later, SyntaxNode first, SemanticModel model, CancellationToken cancellationToken)
    {
        var function = SyntaxHelpers.EnclosingFunction(later);
        if (function is null || SyntaxHelpers.EnclosingFunction(first) != function) return null;
        if (function.FirstAncestorOrSelf<ClassDeclarationSyntax>() is not { } service) return null;
        var block = later.Ancestors().OfType<BlockSyntax>().FirstOrDefault(b => b.Span.Contains(first.Span));
        if (block is null || SyntaxHelpers.EnclosingFunction(block) != function && block.Parent != function) return null;

        var a = IndexIn(block, first);
        var b = IndexIn(block, later);
        if (a < 0 || b < 0) return null;
        var start = System.Math.Min(a, b);
        var end = System.Math.Max(a, b);
        var isBody = block.Parent == function;

        var range = block.Statements.Skip(start).Take(end - start + 1).ToList();
        var mustExtend = range.Any(s => Returns(s)) || DeclaresLocalsUsedLater(block, range, end, model, cancellationToken);
        if (mustExtend)
        {
            if (!isBody) return null;
            end = block.Statements.Count - 1;
            range = block.Statements.Skip(start).ToList();
        }
        if (range.Any(JumpsOut)) return null;
        var returnsValue = range.Any(s => s.DescendantNodesAndSelf(Descend).OfType<ReturnStatementSyntax>().Any(r => r.Expression is not null));
        return new WrapPlan(block, start, end, returnsValue, service);
    }

    static int IndexIn(BlockSyntax block, SyntaxNode node)
    {
        for (var i = 0; i < block.Statements.Count; i++)
            if (block.Statements[i].Span.Contains(node.Span)) return i;
        return -1;
    }

    /// <summary>Do not look into nested functions: their returns and jumps are their own.</summary>
    static bool Descend(SyntaxNode node) => node is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax);

    static bool Returns(StatementSyntax statement) => statement.DescendantNodesAndSelf(Descend).OfType<ReturnStatementSyntax>().Any();

    static bool JumpsOut(StatementSyntax statement)
    {
        foreach (var node in statement.DescendantNodesAndSelf(Descend))
        {
            if (node is GotoStatementSyntax or YieldStatementSyntax) return true;
            if (node is not (BreakStatementSyntax or ContinueStatementSyntax)) continue;
            var inside = node.Ancestors().TakeWhile(n => n != statement.Parent)
                .Any(n => n is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax ||
                          (node is BreakStatementSyntax && n is SwitchStatementSyntax));
            if (!inside) return true;
        }
        return false;
    }

    static bool DeclaresLocalsUsedLater(BlockSyntax block, List<StatementSyntax> range, int end, SemanticModel model, CancellationToken cancellationToken)
    {
        var declared = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var statement in range)
        {
            foreach (var node in statement.DescendantNodesAndSelf(Descend))
            {
                if (node is VariableDeclaratorSyntax or SingleVariableDesignationSyntax && model.GetDeclaredSymbol(node, cancellationToken) is ILocalSymbol local)
                    declared.Add(local);
            }
        }
        if (declared.Count == 0) return false;
        foreach (var statement in block.Statements.Skip(end + 1))
            foreach (var name in statement.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
                if (model.GetSymbolInfo(name, cancellationToken).Symbol is ILocalSymbol local && declared.Contains(local)) return true;
        return false;
    }

    static Task<Document> ApplyAsync(Document document, SyntaxNode root, SemanticModel model, WrapPlan plan, CancellationToken cancellationToken)
    {
        var serviceSymbol = model.GetDeclaredSymbol(plan.Service, cancellationToken);
        var existing = serviceSymbol?.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => !f.IsStatic && f.Type.Name == "CriticalSection" && f.Type.ContainingNamespace?.Name == "Skynet");
        var fieldName = existing?.Name ?? UniqueName(serviceSymbol);

        var statements = plan.Block.Statements;
        var body = SyntaxFactory.Block(statements.Skip(plan.Start).Take(plan.End - plan.Start + 1));
        var lambda = SyntaxFactory.ParenthesizedLambdaExpression()
            .WithAsyncKeyword(SyntaxFactory.Token(SyntaxKind.AsyncKeyword))
            .WithBlock(body);
        var run = SyntaxFactory.AwaitExpression(SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(fieldName), SyntaxFactory.IdentifierName("Run")),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(lambda)))));
        StatementSyntax wrapped = plan.Returns ? SyntaxFactory.ReturnStatement(run) : SyntaxFactory.ExpressionStatement(run);
        wrapped = wrapped.WithLeadingTrivia(statements[plan.Start].GetLeadingTrivia()).WithAdditionalAnnotations(Formatter.Annotation);

        var newStatements = statements.Take(plan.Start).Append(wrapped).Concat(statements.Skip(plan.End + 1));
        var tracked = root.TrackNodes(plan.Block, plan.Service);
        tracked = tracked.ReplaceNode(tracked.GetCurrentNode(plan.Block)!, plan.Block.WithStatements(SyntaxFactory.List(newStatements)));
        if (existing is null)
        {
            var service = tracked.GetCurrentNode(plan.Service)!;
            var field = SyntaxFactory.ParseMemberDeclaration($"readonly CriticalSection {fieldName} = new();")!
                .WithTrailingTrivia(SyntaxFactory.ElasticEndOfLine(NewLine(root)))
                .WithAdditionalAnnotations(Formatter.Annotation);
            tracked = tracked.ReplaceNode(service, service.WithMembers(service.Members.Insert(0, field)));
        }
        return Formatter.FormatAsync(document.WithSyntaxRoot(tracked), Formatter.Annotation, cancellationToken: cancellationToken);
    }

    static string NewLine(SyntaxNode root)
    {
        var endOfLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        return endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine.ToString() : "\n";
    }

    static string UniqueName(INamedTypeSymbol? service)
    {
        var name = DefaultFieldName;
        for (var i = 2; service is not null && service.GetMembers(name).Length > 0; i++) name = DefaultFieldName + i;
        return name;
    }
}
