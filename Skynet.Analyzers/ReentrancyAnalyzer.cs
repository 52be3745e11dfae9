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
public sealed class ReentrancyAnalyzer : DiagnosticAnalyzer
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

    enum EventKind { Read, ReadModifyWrite, Write, Await }

    readonly struct Event(EventKind kind, int member, IOperation operation)
    {
        public EventKind Kind { get; } = kind;
        public int Member { get; } = member;
        public IOperation Operation { get; } = operation;
    }

    /// <summary>The stale-state data flow over one coroutine's graph.</summary>
    sealed class StateFlow(ControlFlowGraph graph, SkynetTypes types, OperationAnalysisContext context)
    {
        readonly Dictionary<ISymbol, int> _members = new(SymbolEqualityComparer.Default);
        readonly List<ISymbol> _memberList = [];
        readonly HashSet<IOperation> _reported = [];

        public void Run()
        {
            var events = new List<Event>[graph.Blocks.Length];
            var awaits = false;
            for (var i = 0; i < graph.Blocks.Length; i++)
            {
                var list = new List<Event>();
                var block = graph.Blocks[i];
                foreach (var operation in block.Operations) Collect(operation, list);
                if (block.BranchValue is { } branch) Collect(branch, list);
                awaits |= list.Any(e => e.Kind == EventKind.Await);
                events[i] = list;
            }
            if (!awaits || _memberList.Count == 0) return;

            var entry = new State?[graph.Blocks.Length];
            entry[0] = new State(_memberList.Count);
            var work = new Queue<int>();
            work.Enqueue(0);
            var queued = new bool[graph.Blocks.Length];
            queued[0] = true;
            while (work.Count > 0)
            {
                var index = work.Dequeue();
                queued[index] = false;
                var state = entry[index]!.Clone();
                foreach (var e in events[index]) Apply(state, e);
                foreach (var successor in FunctionBodies.Successors(graph.Blocks[index]))
                {
                    var target = successor.Ordinal;
                    if (entry[target] is null) entry[target] = state.Clone();
                    else if (!entry[target]!.MergeFrom(state)) continue;
                    if (!queued[target]) { queued[target] = true; work.Enqueue(target); }
                }
            }
        }

        void Apply(State state, Event e)
        {
            var m = e.Member;
            switch (e.Kind)
            {
                case EventKind.Await:
                    for (var i = 0; i < state.Read.Length; i++)
                    {
                        if (state.Read[i] is { } read) { state.StaleRead[i] = read; state.StaleReadAwait[i] = e.Operation; }
                        if (state.Written[i] is { } written) { state.StaleWrite[i] = written; state.StaleWriteAwait[i] = e.Operation; }
                        state.Read[i] = null;
                        state.Written[i] = null;
                    }
                    break;
                case EventKind.Read:
                case EventKind.ReadModifyWrite:
                    if (e.Kind == EventKind.Read && state.StaleWrite[m] is { } earlierWrite)
                        Report(e.Operation, m, "written", "read", state.StaleWriteAwait[m]!, earlierWrite);
                    state.StaleRead[m] = null;
                    state.Read[m] ??= e.Operation;
                    break;
                case EventKind.Write:
                    if (state.StaleRead[m] is { } earlierRead)
                        Report(e.Operation, m, "read", "written", state.StaleReadAwait[m]!, earlierRead);
                    state.StaleRead[m] = null;
                    state.StaleWrite[m] = null;
                    state.Written[m] ??= e.Operation;
                    break;
            }
        }

        void Report(IOperation access, int member, string before, string after, IOperation await, IOperation first)
        {
            if (!_reported.Add(access)) return;
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.StateAcrossAwait, access.Syntax.GetLocation(),
                additionalLocations: [first.Syntax.GetLocation(), await.Syntax.GetLocation()],
                _memberList[member].Name, before, FunctionBodies.Line(await), after));
        }

        void Collect(IOperation operation, List<Event> events)
        {
            switch (operation)
            {
                case IFlowAnonymousFunctionOperation:
                    return;
                case IAwaitOperation await:
                    Collect(await.Operation, events);
                    events.Add(new Event(EventKind.Await, -1, await));
                    return;
                case ISimpleAssignmentOperation assignment when Member(assignment.Target) is { } target:
                    Collect(assignment.Value, events);
                    events.Add(new Event(EventKind.Write, target, assignment.Target));
                    return;
                case IDeconstructionAssignmentOperation { Target: ITupleOperation tuple } deconstruction:
                    Collect(deconstruction.Value, events);
                    CollectTupleWrites(tuple, events);
                    return;
                case ICompoundAssignmentOperation compound when Member(compound.Target) is { } target:
                    events.Add(new Event(EventKind.ReadModifyWrite, target, compound.Target));
                    Collect(compound.Value, events);
                    events.Add(new Event(EventKind.Write, target, compound.Target));
                    return;
                case IIncrementOrDecrementOperation increment when Member(increment.Target) is { } target:
                    events.Add(new Event(EventKind.ReadModifyWrite, target, increment.Target));
                    events.Add(new Event(EventKind.Write, target, increment.Target));
                    return;
                case IMemberReferenceOperation reference when Member(reference) is { } member:
                    events.Add(new Event(EventKind.Read, member, reference));
                    return;
            }
            foreach (var child in operation.ChildOperations) Collect(child, events);
        }

        /// <summary>The targets of <c>(_a, _b) = ...</c>: a member is written, anything else is collected as usual.</summary>
        void CollectTupleWrites(ITupleOperation tuple, List<Event> events)
        {
            foreach (var element in tuple.Elements)
            {
                if (element is ITupleOperation nested) CollectTupleWrites(nested, events);
                else if (Member(element) is { } target) events.Add(new Event(EventKind.Write, target, element));
                else Collect(element, events);
            }
        }

        /// <summary>The index of the service state <paramref name="operation"/> refers to, or null.</summary>
        int? Member(IOperation operation)
        {
            ISymbol symbol;
            ITypeSymbol type;
            switch (operation)
            {
                case IFieldReferenceOperation { Field: { IsStatic: false, IsConst: false, IsReadOnly: false } field, Instance: IInstanceReferenceOperation }:
                    symbol = field;
                    type = field.Type;
                    break;
                case IPropertyReferenceOperation { Property: { IsStatic: false, Parameters.Length: 0, IsReadOnly: false } property, Instance: IInstanceReferenceOperation }:
                    symbol = property;
                    type = property.Type;
                    break;
                default:
                    return null;
            }
            if (!types.IsService(symbol.ContainingType) || SymbolEqualityComparer.Default.Equals(type, types.CriticalSection)) return null;
            if (_members.TryGetValue(symbol, out var index)) return index;
            index = _memberList.Count;
            _members.Add(symbol, index);
            _memberList.Add(symbol);
            return index;
        }
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
