using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Skynet.Analyzers.Diagnostics;
using Skynet.Analyzers.Helpers;

namespace Skynet.Analyzers;

public sealed partial class ReentrancyAnalyzer
{
    enum EventKind { Read, ReadModifyWrite, Write, Await }

    readonly struct Event(EventKind kind, int member, IOperation operation)
    {
        public EventKind Kind { get; } = kind;
        public int Member { get; } = member;
        public IOperation Operation { get; } = operation;
    }

    /// <summary>
    /// The stale-state data flow over one coroutine's graph. The tracked state is a path from <c>this</c> through
    /// fields/properties (<c>_balance</c>, <c>_player.Gold</c>, <c>_room.Members</c>), also reached through a local
    /// alias (<c>var d = _db;</c>); a collection's elements count as the collection itself.
    /// </summary>
    sealed class StateFlow(ControlFlowGraph graph, SkynetTypes types, OperationAnalysisContext context)
    {
        readonly StatePaths _paths = new(types);
        readonly HashSet<IOperation> _reported = [];
        readonly HashSet<IOperation> _aliasDefinitions = [];

        public void Run()
        {
            FindAliases();
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
            if (!awaits || _paths.Count == 0) return;

            var entry = new State?[graph.Blocks.Length];
            entry[0] = new State(_paths.Count);
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

        /// <summary>Locals of a reference type assigned only from service state are that state (<c>var d = _db;</c>).</summary>
        void FindAliases()
        {
            var candidates = new Dictionary<ILocalSymbol, int?>(SymbolEqualityComparer.Default);
            var definitions = new List<IOperation>();
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    foreach (var capture in operation.DescendantsAndSelf().OfType<IFlowCaptureOperation>())
                        _paths.AddCapture(capture.Id, capture.Value);
                    foreach (var assignment in operation.DescendantsAndSelf().OfType<ISimpleAssignmentOperation>())
                    {
                        if (assignment.Target is not ILocalReferenceOperation local) continue;
                        int? path = local.Local.Type.IsReferenceType && !assignment.IsRef ? _paths.ResolvePath(Unwrap(assignment.Value)) : null;
                        if (candidates.TryGetValue(local.Local, out var earlier) && earlier != path) path = null;
                        candidates[local.Local] = path;
                        if (path is not null) definitions.Add(assignment);
                    }
                }
            }
            foreach (var pair in candidates)
                if (pair.Value is { } path) _paths.AddAlias(pair.Key, path);
            foreach (var definition in definitions)
                if (_paths.ResolvePath(((ISimpleAssignmentOperation)definition).Target) is not null) _aliasDefinitions.Add(definition);
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
                    // A plain read after the await re-validates what was read before it; reading back what this
                    // coroutine wrote before the await sees whatever other messages wrote meanwhile (not for
                    // collections, whose re-read after an await is how a handler re-checks them).
                    if (state.StaleWrite[m] is { } earlierWrite && !_paths.IsCollection(m))
                        Report(e.Operation, m, "written", "read", state.StaleWriteAwait[m]!, earlierWrite);
                    state.StaleRead[m] = null;
                    state.Read[m] ??= e.Operation;
                    break;
                case EventKind.ReadModifyWrite:
                    // `_count++` reads the current value, but a decision taken on the stale one (`if (_count > 10)
                    // return;` before the await) still stands: the write that follows is checked against it.
                    state.Read[m] ??= e.Operation;
                    break;
                case EventKind.Write:
                    if (state.StaleRead[m] is { } earlierRead)
                        Report(e.Operation, m, "read", "written", state.StaleReadAwait[m]!, earlierRead);
                    state.StaleRead[m] = null;
                    state.StaleWrite[m] = null;
                    // A read followed by a write before any await is a claim (`if (_busy) return; _busy = true;`):
                    // later writes no longer depend on that read.
                    state.Read[m] = null;
                    state.Written[m] ??= e.Operation;
                    break;
            }
        }

        void Report(IOperation access, int member, string before, string after, IOperation await, IOperation first)
        {
            if (!_reported.Add(access)) return;
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.StateAcrossAwait, access.Syntax.GetLocation(),
                additionalLocations: [first.Syntax.GetLocation(), await.Syntax.GetLocation()],
                _paths.Name(member), before, FunctionBodies.Line(await), after));
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
                case IFlowCaptureOperation capture when _paths.ResolvePath(capture.Value) is not null:
                    return; // the state is touched where the capture is used
                case IFlowCaptureOperation capture when _paths.ElementOwner(capture.Value) is not null:
                    CollectIndices(capture.Value, events); // the element is read or written where the capture is used
                    return;
                case IFlowCaptureReferenceOperation capture when _paths.ElementOwner(capture) is { } owner:
                    events.Add(new Event(EventKind.Read, owner, capture));
                    return;
                case ISimpleAssignmentOperation assignment when _aliasDefinitions.Contains(assignment):
                    return; // `var d = _db;` names the state; it reads nothing of it
                case ISimpleAssignmentOperation assignment when Target(assignment.Target, events) is { } target:
                    Collect(assignment.Value, events);
                    events.Add(new Event(EventKind.Write, target, assignment.Target));
                    return;
                case IDeconstructionAssignmentOperation { Target: ITupleOperation tuple } deconstruction:
                    Collect(deconstruction.Value, events);
                    CollectTupleWrites(tuple, events);
                    return;
                case ICompoundAssignmentOperation compound when Target(compound.Target, events) is { } target:
                    events.Add(new Event(EventKind.ReadModifyWrite, target, compound.Target));
                    Collect(compound.Value, events);
                    events.Add(new Event(EventKind.Write, target, compound.Target));
                    return;
                case ICoalesceAssignmentOperation coalesce when Target(coalesce.Target, events) is { } target:
                    events.Add(new Event(EventKind.ReadModifyWrite, target, coalesce.Target));
                    Collect(coalesce.Value, events);
                    events.Add(new Event(EventKind.Write, target, coalesce.Target));
                    return;
                case IIncrementOrDecrementOperation increment when Target(increment.Target, events) is { } target:
                    events.Add(new Event(EventKind.ReadModifyWrite, target, increment.Target));
                    events.Add(new Event(EventKind.Write, target, increment.Target));
                    return;
                case IInvocationOperation { Instance: { } instance } invocation when _paths.Resolve(instance) is { } collection && _paths.IsCollection(collection):
                    foreach (var argument in invocation.Arguments) Collect(argument.Value, events);
                    switch (CollectionMethods.Classify(invocation.TargetMethod.Name))
                    {
                        case CollectionAccess.Write:
                            events.Add(new Event(EventKind.Write, collection, invocation));
                            break;
                        case CollectionAccess.CheckAndWrite:
                            events.Add(new Event(EventKind.Read, collection, invocation));
                            events.Add(new Event(EventKind.Write, collection, invocation));
                            break;
                        default:
                            events.Add(new Event(EventKind.Read, collection, invocation));
                            break;
                    }
                    return;
                case IPropertyReferenceOperation { Property.Parameters.Length: > 0, Instance: { } instance } indexer when _paths.Resolve(instance) is { } collection && _paths.IsCollection(collection):
                    foreach (var argument in indexer.Arguments) Collect(argument.Value, events);
                    events.Add(new Event(EventKind.Read, collection, indexer));
                    return;
                case IArrayElementReferenceOperation element when _paths.Resolve(element.ArrayReference) is { } array:
                    foreach (var index in element.Indices) Collect(index, events);
                    events.Add(new Event(EventKind.Read, array, element));
                    return;
                case IMemberReferenceOperation or ILocalReferenceOperation or IFlowCaptureReferenceOperation when _paths.Resolve(operation) is { } path:
                    events.Add(new Event(EventKind.Read, path, operation));
                    return;
            }
            foreach (var child in operation.ChildOperations) Collect(child, events);
        }

        /// <summary>
        /// The state an assignment target writes: a member path, or the collection whose element it is (the index
        /// arguments are collected as reads first); null for anything else.
        /// </summary>
        int? Target(IOperation target, List<Event> events)
        {
            switch (target)
            {
                case IPropertyReferenceOperation { Property.Parameters.Length: > 0, Instance: { } instance } indexer when _paths.Resolve(instance) is { } collection && _paths.IsCollection(collection):
                    foreach (var argument in indexer.Arguments) Collect(argument.Value, events);
                    return collection;
                case IArrayElementReferenceOperation element when _paths.Resolve(element.ArrayReference) is { } array:
                    foreach (var index in element.Indices) Collect(index, events);
                    return array;
                case IFlowCaptureReferenceOperation capture when _paths.ElementOwner(capture) is { } owner:
                    return owner;
                case IMemberReferenceOperation or IFlowCaptureReferenceOperation:
                    return _paths.Resolve(target);
                default:
                    return null;
            }
        }

        void CollectIndices(IOperation element, List<Event> events)
        {
            if (element is IPropertyReferenceOperation indexer) foreach (var argument in indexer.Arguments) Collect(argument.Value, events);
            else if (element is IArrayElementReferenceOperation array) foreach (var index in array.Indices) Collect(index, events);
        }

        /// <summary>The targets of <c>(_a, _b) = ...</c>: state is written, anything else is collected as usual.</summary>
        void CollectTupleWrites(ITupleOperation tuple, List<Event> events)
        {
            foreach (var element in tuple.Elements)
            {
                if (element is ITupleOperation nested) CollectTupleWrites(nested, events);
                else if (Target(element, events) is { } target) events.Add(new Event(EventKind.Write, target, element));
                else Collect(element, events);
            }
        }
    }
}
