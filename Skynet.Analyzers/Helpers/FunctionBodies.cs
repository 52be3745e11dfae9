using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Skynet.Analyzers.Helpers;

/// <summary>Control-flow-graph helpers shared by the flow analyzers.</summary>
internal static class FunctionBodies
{
    /// <summary>
    /// Calls <paramref name="visit"/> with the graph of <paramref name="root"/> and of every lambda and local function in
    /// it (each is a coroutine of its own: a fork, a timeout, a critical-section body), with the syntax of that function.
    /// </summary>
    public static void ForEachGraph(ControlFlowGraph root, SyntaxNode rootSyntax, Action<ControlFlowGraph, SyntaxNode> visit, CancellationToken cancellationToken)
    {
        var pending = new Stack<(ControlFlowGraph Graph, SyntaxNode Syntax)>();
        pending.Push((root, rootSyntax));
        while (pending.Count > 0)
        {
            var (graph, syntax) = pending.Pop();
            visit(graph, syntax);
            foreach (var local in graph.LocalFunctions)
            {
                var localGraph = graph.GetLocalFunctionControlFlowGraph(local, cancellationToken);
                pending.Push((localGraph, localGraph.OriginalOperation.Syntax));
            }
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                    PushLambdas(graph, operation, pending, cancellationToken);
                if (block.BranchValue is { } branch) PushLambdas(graph, branch, pending, cancellationToken);
            }
        }
    }

    static void PushLambdas(ControlFlowGraph graph, IOperation operation, Stack<(ControlFlowGraph, SyntaxNode)> pending, CancellationToken cancellationToken)
    {
        if (operation is IFlowAnonymousFunctionOperation lambda)
        {
            pending.Push((graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken), lambda.Syntax));
            return;
        }
        foreach (var child in operation.ChildOperations)
            PushLambdas(graph, child, pending, cancellationToken);
    }

    /// <summary>True when <paramref name="lambdaSyntax"/> is the body given to <c>CriticalSection.Run</c>.</summary>
    public static bool IsCriticalSectionBody(SyntaxNode lambdaSyntax, SemanticModel model, SkynetTypes types, CancellationToken cancellationToken)
    {
        if (types.CriticalSection is null) return false;
        SyntaxNode node = lambdaSyntax;
        while (node.Parent is ParenthesizedExpressionSyntax or CastExpressionSyntax) node = node.Parent;
        if (node.Parent is not ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } }) return false;
        return model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { Name: "Run" } method &&
               SymbolEqualityComparer.Default.Equals(method.ContainingType, types.CriticalSection);
    }

    /// <summary>Every block reachable from the entry, in an order where a block tends to come after its predecessors.</summary>
    public static IEnumerable<BasicBlock> Successors(BasicBlock block)
    {
        if (block.ConditionalSuccessor?.Destination is { } conditional) yield return conditional;
        if (block.FallThroughSuccessor?.Destination is { } fallThrough) yield return fallThrough;
    }

    /// <summary>The 1-based line an operation starts on.</summary>
    public static int Line(IOperation operation) => operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    /// <summary>True when <paramref name="operation"/> is a reference to <c>this.Self</c>, through conversions.</summary>
    public static bool IsSelf(IOperation? operation, SkynetTypes types)
    {
        while (operation is IConversionOperation conversion) operation = conversion.Operand;
        return operation is IPropertyReferenceOperation { Instance: IInstanceReferenceOperation } property && types.IsServiceApi(property.Property, "Self");
    }
}
