using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using Skynet.Analyzers.Diagnostics;
using Skynet.Analyzers.Helpers;

namespace Skynet.Analyzers;

/// <summary>
/// Missed and double replies in the raw layer: SKY1004 (a request-handler path without a reply), SKY1005 (a responder
/// never completed on some path), SKY1006 (a responder completed twice), SKY1007 (<c>Ret</c> after <c>Response()</c>).
/// </summary>
/// <remarks>
/// A raw request handler is a lambda or anonymous method given to <c>Service.Dispatch</c>, or a method or local
/// function of a service with the <c>MessageHandler</c> shape (<c>ValueTask M(Message)</c>, so method groups given to
/// <c>Dispatch</c> are covered), that replies on at least one path: a handler that never replies is a send handler.
/// A path replies when it calls <c>Ret</c> or <c>Response()</c>, throws, passes the message or its session on to a method, or calls a
/// method of the service that itself calls <c>Ret</c>/<c>Response()</c>. Edges taken only when the message is not a
/// request (<c>!message.IsRequest</c>, <c>message.Session == 0</c>) are not followed.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class ResponseAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.HandlerPathWithoutReply,
        DiagnosticDescriptors.ResponderNotCompleted,
        DiagnosticDescriptors.StoredResponderNotCompleted,
        DiagnosticDescriptors.ResponderCompletedTwice,
        DiagnosticDescriptors.RetAfterResponse);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!SkynetTypes.TryCreate(start.Compilation, out var types) || types.Message is null) return;
            start.RegisterOperationAction(c => AnalyzeBody(c, types), OperationKind.MethodBody);
            if (types.Responder is not null) start.RegisterSymbolStartAction(s => StoredResponders.Start(s, types), SymbolKind.NamedType);
        });
    }

    static void AnalyzeBody(OperationAnalysisContext context, SkynetTypes types)
    {
        var body = (IMethodBodyOperation)context.Operation;
        if (types.ContainingService(context.ContainingSymbol) is null) return;
        if (!MentionsReplies(body.Syntax)) return;
        var graph = context.GetControlFlowGraph();
        var handlers = new HashSet<SyntaxNode>();
        FunctionBodies.ForEachGraph(graph, body.Syntax, (g, syntax) =>
        {
            FindDispatchedLambdas(g, types, handlers);
            var function = g == graph ? context.ContainingSymbol as IMethodSymbol : FunctionSymbol(g.OriginalOperation);
            if (handlers.Contains(syntax) || IsHandlerShaped(function, types))
            {
                var message = function?.Parameters.FirstOrDefault(p => SymbolEqualityComparer.Default.Equals(p.Type, types.Message));
                new HandlerFlow(g, syntax, message, types, context).Run();
            }
            new ResponderFlow(g, types, context).Run();
        }, context.CancellationToken);
    }

    static bool MentionsReplies(SyntaxNode syntax)
    {
        foreach (var node in syntax.DescendantNodes())
            if (node is IdentifierNameSyntax { Identifier.ValueText: "Ret" or "Response" }) return true;
        return false;
    }

    static IMethodSymbol? FunctionSymbol(IOperation? operation) => operation switch
    {
        IAnonymousFunctionOperation lambda => lambda.Symbol,
        ILocalFunctionOperation local => local.Symbol,
        _ => null,
    };

    static bool IsHandlerShaped(IMethodSymbol? method, SkynetTypes types) =>
        method is { Parameters.Length: 1 } && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, types.Message) &&
        SymbolEqualityComparer.Default.Equals(method.ReturnType, types.ValueTask);

    static void FindDispatchedLambdas(ControlFlowGraph graph, SkynetTypes types, HashSet<SyntaxNode> handlers)
    {
        foreach (var block in graph.Blocks)
            foreach (var operation in block.Operations)
                foreach (var invocation in operation.DescendantsAndSelf().OfType<IInvocationOperation>())
                {
                    if (!types.IsServiceApi(invocation.TargetMethod, "Dispatch") || invocation.Arguments.Length != 2) continue;
                    var value = invocation.Arguments[1].Value;
                    while (value is IConversionOperation or IDelegateCreationOperation)
                        value = value is IConversionOperation c ? c.Operand : ((IDelegateCreationOperation)value).Target;
                    if (value is IFlowAnonymousFunctionOperation lambda) handlers.Add(lambda.Syntax);
                }
    }

    static bool IsThisCall(IInvocationOperation invocation, SkynetTypes types, string name) =>
        types.IsServiceApi(invocation.TargetMethod, name) && invocation.Instance is IInstanceReferenceOperation;

    static int EndLine(BasicBlock block, SyntaxNode fallback)
    {
        var last = block.BranchValue ?? (block.Operations.Length > 0 ? block.Operations[block.Operations.Length - 1] : null);
        var location = last?.Syntax.GetLocation() ?? fallback.GetLocation();
        return (last is null ? location.GetLineSpan().EndLinePosition.Line : location.GetLineSpan().StartLinePosition.Line) + 1;
    }

    // ---- SKY1004 -------------------------------------------------------------------------------------------------

    /// <summary>Looks for a path from entry to exit through no reply, in a handler that replies somewhere.</summary>
    sealed class HandlerFlow(ControlFlowGraph graph, SyntaxNode syntax, IParameterSymbol? message, SkynetTypes types, OperationAnalysisContext context)
    {
        public void Run()
        {
            var replies = new bool[graph.Blocks.Length];
            var any = false;
            for (var i = 0; i < graph.Blocks.Length; i++)
            {
                var block = graph.Blocks[i];
                replies[i] = block.Operations.Any(Replies) || (block.BranchValue is { } branch && Replies(branch)) ||
                             block.FallThroughSuccessor?.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow;
                any |= replies[i] && block.FallThroughSuccessor?.Semantics is not (ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow);
            }
            if (!any) return;

            var seen = new bool[graph.Blocks.Length];
            var stack = new Stack<BasicBlock>();
            stack.Push(graph.Blocks[0]);
            seen[0] = true;
            while (stack.Count > 0)
            {
                var block = stack.Pop();
                if (replies[block.Ordinal]) continue;
                foreach (var (successor, _) in Edges(block))
                {
                    if (successor.Kind == BasicBlockKind.Exit)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.HandlerPathWithoutReply, HeadLocation(), EndLine(block, syntax)));
                        return;
                    }
                    if (!seen[successor.Ordinal]) { seen[successor.Ordinal] = true; stack.Push(successor); }
                }
            }
        }

        IEnumerable<(BasicBlock, bool)> Edges(BasicBlock block)
        {
            var requestWhen = block.BranchValue is { } branch ? RequestWhen(branch) : null;
            if (block.ConditionalSuccessor?.Destination is { } conditional)
            {
                var takenWhen = block.ConditionalSuccessor.Semantics == ControlFlowBranchSemantics.Regular && block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                if (requestWhen is null || requestWhen == takenWhen) yield return (conditional, true);
            }
            if (block.FallThroughSuccessor?.Destination is { } fallThrough)
            {
                var takenWhen = block.ConditionKind != ControlFlowConditionKind.WhenTrue;
                if (block.ConditionKind == ControlFlowConditionKind.None || requestWhen is null || requestWhen == takenWhen) yield return (fallThrough, false);
            }
        }

        /// <summary>True/false: the condition has that value exactly when the message is a request; null: unrelated.</summary>
        bool? RequestWhen(IOperation condition)
        {
            switch (condition)
            {
                case IConversionOperation conversion:
                    return RequestWhen(conversion.Operand);
                case IParenthesizedOperation parenthesized:
                    return RequestWhen(parenthesized.Operand);
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    return !RequestWhen(not.Operand);
                case IPropertyReferenceOperation { Property.Name: "IsRequest" } property when IsMessage(property.Instance):
                    return true;
                case IBinaryOperation binary:
                    var session = IsSession(binary.LeftOperand) ? binary.RightOperand : IsSession(binary.RightOperand) ? binary.LeftOperand : null;
                    if (session?.ConstantValue is not { HasValue: true, Value: 0 }) return null;
                    return binary.OperatorKind switch
                    {
                        BinaryOperatorKind.Equals => false,
                        BinaryOperatorKind.NotEquals => true,
                        BinaryOperatorKind.GreaterThan when IsSession(binary.LeftOperand) => true,
                        _ => null,
                    };
                default:
                    return null;
            }
        }

        /// <summary>The message itself, or its session (<c>Redirect(to, m.Source, m.Type, m.Session, m.Payload)</c> hands the reply on).</summary>
        bool PassesMessageOn(IOperation value)
        {
            while (value is IConversionOperation conversion) value = conversion.Operand;
            return IsMessage(value) || IsSession(value);
        }

        bool IsSession(IOperation operation) => operation is IPropertyReferenceOperation { Property.Name: "Session" } property && IsMessage(property.Instance);

        bool IsMessage(IOperation? operation) =>
            message is not null && operation is IParameterReferenceOperation parameter && SymbolEqualityComparer.Default.Equals(parameter.Parameter, message);

        bool Replies(IOperation operation)
        {
            foreach (var node in operation.DescendantsAndSelf())
            {
                if (node is not IInvocationOperation invocation) continue;
                if (IsThisCall(invocation, types, "Ret") || IsThisCall(invocation, types, "Response")) return true;
                foreach (var argument in invocation.Arguments)
                    if (PassesMessageOn(argument.Value)) return true;
                if (invocation.Instance is IInstanceReferenceOperation && CallsReply(invocation.TargetMethod, context.CancellationToken)) return true;
            }
            return false;
        }

        static bool CallsReply(IMethodSymbol method, CancellationToken cancellationToken)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
                if (MentionsReplies(reference.GetSyntax(cancellationToken))) return true;
            return false;
        }

        Location HeadLocation() => syntax switch
        {
            LambdaExpressionSyntax lambda => Location.Create(lambda.SyntaxTree, TextSpan.FromBounds(lambda.SpanStart, lambda.ArrowToken.Span.End)),
            AnonymousMethodExpressionSyntax anonymous => anonymous.DelegateKeyword.GetLocation(),
            MethodDeclarationSyntax method => method.Identifier.GetLocation(),
            LocalFunctionStatementSyntax local => local.Identifier.GetLocation(),
            _ => syntax.GetLocation(),
        };
    }

    // ---- SKY1005, SKY1006, SKY1007 -------------------------------------------------------------------------------

    enum EventKind { Create, Respond, Escape, Taken, Ret }

    readonly struct Event(EventKind kind, ILocalSymbol? local, IOperation operation)
    {
        public EventKind Kind { get; } = kind;
        public ILocalSymbol? Local { get; } = local;
        public IOperation Operation { get; } = operation;
    }

    /// <summary>Tracks each responder local (pending / done, may-analysis) and whether Response() was called.</summary>
    sealed class ResponderFlow(ControlFlowGraph graph, SkynetTypes types, OperationAnalysisContext context)
    {
        readonly List<ILocalSymbol> _locals = [];
        readonly HashSet<IOperation> _reported = [];

        sealed class State(int count)
        {
            public IOperation?[] Pending = new IOperation?[count];
            public bool[] Done = new bool[count];
            public IOperation? Taken;

            public State Clone() => new(0) { Pending = (IOperation?[])Pending.Clone(), Done = (bool[])Done.Clone(), Taken = Taken };

            public bool MergeFrom(State other)
            {
                var changed = false;
                for (var i = 0; i < Pending.Length; i++)
                {
                    if (Pending[i] is null && other.Pending[i] is not null) { Pending[i] = other.Pending[i]; changed = true; }
                    if (!Done[i] && other.Done[i]) { Done[i] = true; changed = true; }
                }
                if (Taken is null && other.Taken is not null) { Taken = other.Taken; changed = true; }
                return changed;
            }
        }

        public void Run()
        {
            var events = new List<Event>[graph.Blocks.Length];
            var interesting = false;
            for (var i = 0; i < graph.Blocks.Length; i++)
            {
                var list = new List<Event>();
                foreach (var operation in graph.Blocks[i].Operations) Collect(operation, list);
                if (graph.Blocks[i].BranchValue is { } branch) Collect(branch, list);
                interesting |= list.Count > 0;
                events[i] = list;
            }
            if (!interesting) return;

            var entry = new State?[graph.Blocks.Length];
            entry[0] = new State(_locals.Count);
            var work = new Queue<BasicBlock>();
            work.Enqueue(graph.Blocks[0]);
            while (work.Count > 0)
            {
                var block = work.Dequeue();
                var state = entry[block.Ordinal]!.Clone();
                foreach (var e in events[block.Ordinal]) Apply(state, e);
                foreach (var successor in FunctionBodies.Successors(block))
                {
                    if (successor.Kind == BasicBlockKind.Exit) ReportPending(state, block);
                    if (entry[successor.Ordinal] is null) entry[successor.Ordinal] = state.Clone();
                    else if (!entry[successor.Ordinal]!.MergeFrom(state)) continue;
                    work.Enqueue(successor);
                }
            }
        }

        void ReportPending(State state, BasicBlock last)
        {
            for (var i = 0; i < _locals.Count; i++)
            {
                if (state.Pending[i] is { } create && _reported.Add(create))
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ResponderNotCompleted, create.Syntax.GetLocation(),
                        _locals[i].Name, EndLine(last, graph.OriginalOperation.Syntax)));
            }
        }

        void Apply(State state, Event e)
        {
            var i = e.Local is null ? -1 : _locals.IndexOf(e.Local);
            switch (e.Kind)
            {
                case EventKind.Create:
                    state.Pending[i] = e.Operation;
                    state.Done[i] = false;
                    break;
                case EventKind.Respond:
                    if (state.Done[i] && _reported.Add(e.Operation))
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ResponderCompletedTwice, e.Operation.Syntax.GetLocation(), e.Local!.Name));
                    state.Pending[i] = null;
                    state.Done[i] = true;
                    break;
                case EventKind.Escape:
                    state.Pending[i] = null;
                    state.Done[i] = false;
                    break;
                case EventKind.Taken:
                    state.Taken ??= e.Operation;
                    break;
                case EventKind.Ret:
                    if (state.Taken is { } taken && _reported.Add(e.Operation))
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.RetAfterResponse, e.Operation.Syntax.GetLocation(), FunctionBodies.Line(taken)));
                    break;
            }
        }

        int Track(ILocalSymbol local)
        {
            var index = _locals.IndexOf(local);
            if (index < 0) { index = _locals.Count; _locals.Add(local); }
            return index;
        }

        bool IsResponder(ILocalSymbol local) => SymbolEqualityComparer.Default.Equals(local.Type, types.Responder);

        void Collect(IOperation operation, List<Event> events)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target, Value: var value } when IsResponder(target.Local):
                    Collect(value, events);
                    if (Unwrap(value) is IInvocationOperation response && IsThisCall(response, types, "Response"))
                    {
                        Track(target.Local);
                        events.Add(new Event(EventKind.Create, target.Local, response));
                    }
                    else if (_locals.Contains(target.Local))
                    {
                        events.Add(new Event(EventKind.Escape, target.Local, target));
                    }
                    return;
                case IInvocationOperation { TargetMethod.Name: "Respond", Instance: ILocalReferenceOperation responder } invocation when IsResponder(responder.Local):
                    foreach (var argument in invocation.Arguments) Collect(argument, events);
                    if (_locals.Contains(responder.Local)) events.Add(new Event(EventKind.Respond, responder.Local, invocation));
                    return;
                case IPropertyReferenceOperation { Property.Name: "Source", Instance: ILocalReferenceOperation }:
                    return;
                case IInvocationOperation invocation when IsThisCall(invocation, types, "Response"):
                    foreach (var argument in invocation.Arguments) Collect(argument, events);
                    events.Add(new Event(EventKind.Taken, null, invocation));
                    if (invocation.Parent is IExpressionStatementOperation && _reported.Add(invocation))
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ResponderNotCompleted, invocation.Syntax.GetLocation(),
                            "Response()", FunctionBodies.Line(invocation)));
                    return;
                case IInvocationOperation invocation when IsThisCall(invocation, types, "Ret"):
                    foreach (var argument in invocation.Arguments) Collect(argument, events);
                    events.Add(new Event(EventKind.Ret, null, invocation));
                    return;
                case ILocalReferenceOperation reference when _locals.Contains(reference.Local):
                    events.Add(new Event(EventKind.Escape, reference.Local, reference));
                    return;
                case IFlowAnonymousFunctionOperation lambda:
                    foreach (var local in _locals)
                        if (Captures(lambda.Syntax, lambda.SemanticModel, local)) events.Add(new Event(EventKind.Escape, local, lambda));
                    return;
                case IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } call:
                    EscapeCapturedBy(call.TargetMethod, call, events);
                    break;
                case IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } reference:
                    EscapeCapturedBy(reference.Method, reference, events);
                    return;
            }
            foreach (var child in operation.ChildOperations) Collect(child, events);
        }

        /// <summary>A local function that uses a responder takes it over when it is called or handed out (a capture is a hand-off).</summary>
        void EscapeCapturedBy(IMethodSymbol function, IOperation operation, List<Event> events)
        {
            foreach (var reference in function.OriginalDefinition.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(context.CancellationToken);
                var model = operation.SemanticModel is { } m && m.SyntaxTree == syntax.SyntaxTree ? m : null;
                foreach (var local in _locals)
                    if (Captures(syntax, model, local)) events.Add(new Event(EventKind.Escape, local, operation));
            }
        }

        static bool Captures(SyntaxNode syntax, SemanticModel? model, ILocalSymbol local)
        {
            if (model is null) return true;
            foreach (var node in syntax.DescendantNodes())
                if (node is IdentifierNameSyntax name && name.Identifier.ValueText == local.Name &&
                    SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name).Symbol, local)) return true;
            return false;
        }

        static IOperation Unwrap(IOperation operation)
        {
            while (operation is IConversionOperation conversion) operation = conversion.Operand;
            return operation;
        }
    }
}
