using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Skynet.Analyzers.Diagnostics;
using Skynet.Analyzers.Helpers;

namespace Skynet.Analyzers;

/// <summary>
/// Reentrancy: SKY1001 (service state that changes across an await), SKY1002 (an awaited request to the service
/// itself), SKY1003 (a dropped <c>Req</c> task).
/// </summary>
/// <remarks>
/// SKY1001 runs a forward data-flow analysis over the control-flow graph of every method, lambda and local function of
/// a service (each is a coroutine). The state is per field/property of <c>this</c>: "read since the last await",
/// "written since the last await", "read before an await and not re-read since" (stale read) and "written before an
/// await and not re-written since" (stale write). A write while a stale read is pending, or a plain read while a stale
/// write is pending, is reported. Bodies given to <c>CriticalSection.Run</c> are skipped.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class ReentrancyAnalyzer : DiagnosticAnalyzer
{
    /// <summary>SKY1003 property: the name of the proxy's Post view when it has the same method (the method is an [Accept]).</summary>
    public const string PostViewProperty = "PostView";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.StateAcrossAwait,
        DiagnosticDescriptors.AwaitedSelfCall,
        DiagnosticDescriptors.DroppedRequest);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!SkynetTypes.TryCreate(start.Compilation, out var types)) return;
            start.RegisterOperationAction(c => AnalyzeBody(c, types), OperationKind.MethodBody);
            start.RegisterOperationAction(c => AnalyzeAwait(c, types), OperationKind.Await);
            if (types.RequestView is not null)
                start.RegisterOperationAction(c => AnalyzeDroppedRequest(c, types), OperationKind.Invocation);
        });
    }

    // ---- SKY1002 -------------------------------------------------------------------------------------------------

    static void AnalyzeAwait(OperationAnalysisContext context, SkynetTypes types)
    {
        var awaited = Unwrap(((IAwaitOperation)context.Operation).Operation);
        if (awaited is not IInvocationOperation invocation) return;
        var method = invocation.TargetMethod;
        if (types.IsServiceApi(method, "Call") && invocation.Instance is IInstanceReferenceOperation &&
            invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is { } target && RefersToSelf(target.Value, types, 0))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AwaitedSelfCall, invocation.Syntax.GetLocation(), "Call(Self, ...)"));
        }
        else if (SkynetTypes.Implements(method.ContainingType, types.RequestView) && RefersToSelf(invocation.Instance, types, 0))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AwaitedSelfCall, invocation.Syntax.GetLocation(), $"Req.{method.Name} on a proxy bound to Self"));
        }
    }

    static IOperation Unwrap(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion: operation = conversion.Operand; continue;
                case IParenthesizedOperation parenthesized: operation = parenthesized.Operand; continue;
                case IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance }: operation = instance; continue;
                default: return operation;
            }
        }
    }

    /// <summary>True when the value is <c>Self</c>, is built from <c>Self</c>, or is a local initialized so.</summary>
    static bool RefersToSelf(IOperation? value, SkynetTypes types, int depth)
    {
        if (value is null || depth > 3) return false;
        if (FunctionBodies.IsSelf(value, types)) return true;
        if (value is IInvocationOperation { TargetMethod: { Name: "Self", IsStatic: true } self } &&
            SymbolEqualityComparer.Default.Equals(self.ContainingType, types.Snax)) return true; // Snax.Self<T>()
        if (value is ILocalReferenceOperation local && value.SemanticModel is { } model)
        {
            foreach (var reference in local.Local.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initializer } &&
                    model.SyntaxTree == initializer.SyntaxTree &&
                    RefersToSelf(model.GetOperation(initializer), types, depth + 1)) return true;
            }
            return false;
        }
        foreach (var child in value.ChildOperations)
        {
            if (child is IAnonymousFunctionOperation) continue;
            if (RefersToSelf(child, types, depth)) return true;
        }
        return false;
    }

    // ---- SKY1003 -------------------------------------------------------------------------------------------------

    static void AnalyzeDroppedRequest(OperationAnalysisContext context, SkynetTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.Parent is not IExpressionStatementOperation) return;
        var method = invocation.TargetMethod;
        if (method.IsStatic || !SkynetTypes.Implements(method.ContainingType, types.RequestView) || !types.IsTaskLike(method.ReturnType)) return;

        var properties = ImmutableDictionary<string, string?>.Empty;
        if (invocation.Instance is IPropertyReferenceOperation { Property: { } view } && FindPostView(view, method, types) is { } post)
            properties = properties.Add(PostViewProperty, post);
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DroppedRequest, invocation.Syntax.GetLocation(), properties, method.Name));
    }

    /// <summary>The name of a sibling property of <paramref name="requestView"/> whose type is a Post view with the same method.</summary>
    static string? FindPostView(IPropertySymbol requestView, IMethodSymbol method, SkynetTypes types)
    {
        foreach (var member in requestView.ContainingType.GetMembers())
        {
            if (member is not IPropertySymbol property || !SkynetTypes.Implements(property.Type, types.PostView)) continue;
            foreach (var candidate in property.Type.GetMembers(method.Name))
            {
                if (candidate is IMethodSymbol post && post.Parameters.Length == method.Parameters.Length &&
                    post.Parameters.Zip(method.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same))
                    return property.Name;
            }
        }
        return null;
    }

    // ---- SKY1001 -------------------------------------------------------------------------------------------------

    static void AnalyzeBody(OperationAnalysisContext context, SkynetTypes types)
    {
        var body = (IMethodBodyOperation)context.Operation;
        if (types.ContainingService(context.ContainingSymbol) is null) return;
        if (!body.Syntax.DescendantNodes().Any(n => n.IsKind(SyntaxKind.AwaitExpression))) return;
        var model = body.SemanticModel!;
        var graph = context.GetControlFlowGraph();
        FunctionBodies.ForEachGraph(graph, body.Syntax, (g, syntax) =>
        {
            if (g != graph && FunctionBodies.IsCriticalSectionBody(syntax, model, types, context.CancellationToken)) return;
            new StateFlow(g, types, context).Run();
        }, context.CancellationToken);
    }

    /// <summary>Per member: the access since the last await, and the access before an await that is still stale.</summary>
    sealed class State
    {
        public State(int members)
        {
            Read = new IOperation?[members];
            Written = new IOperation?[members];
            StaleRead = new IOperation?[members];
            StaleReadAwait = new IOperation?[members];
            StaleWrite = new IOperation?[members];
            StaleWriteAwait = new IOperation?[members];
        }

        public IOperation?[] Read { get; private set; }
        public IOperation?[] Written { get; private set; }
        public IOperation?[] StaleRead { get; private set; }
        public IOperation?[] StaleReadAwait { get; private set; }
        public IOperation?[] StaleWrite { get; private set; }
        public IOperation?[] StaleWriteAwait { get; private set; }

        public State Clone() => new(0)
        {
            Read = (IOperation?[])Read.Clone(),
            Written = (IOperation?[])Written.Clone(),
            StaleRead = (IOperation?[])StaleRead.Clone(),
            StaleReadAwait = (IOperation?[])StaleReadAwait.Clone(),
            StaleWrite = (IOperation?[])StaleWrite.Clone(),
            StaleWriteAwait = (IOperation?[])StaleWriteAwait.Clone(),
        };

        /// <summary>Adds what <paramref name="other"/> may hold (a may-analysis: union); true when something changed.</summary>
        public bool MergeFrom(State other)
        {
            var changed = Merge(Read, other.Read) | Merge(Written, other.Written);
            changed |= Merge(StaleRead, other.StaleRead) | Merge(StaleWrite, other.StaleWrite);
            Merge(StaleReadAwait, other.StaleReadAwait);
            Merge(StaleWriteAwait, other.StaleWriteAwait);
            return changed;
        }

        static bool Merge(IOperation?[] into, IOperation?[] from)
        {
            var changed = false;
            for (var i = 0; i < into.Length; i++)
            {
                if (into[i] is null && from[i] is not null) { into[i] = from[i]; changed = true; }
            }
            return changed;
        }
    }
}
