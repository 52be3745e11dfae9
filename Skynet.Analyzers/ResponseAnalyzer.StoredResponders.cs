using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Skynet.Analyzers.Diagnostics;
using Skynet.Analyzers.Helpers;

namespace Skynet.Analyzers;

public sealed partial class ResponseAnalyzer
{
    /// <summary>
    /// SKY1005 for fields: a private field of a service holding responders (<c>Responder</c>, or a collection of them)
    /// that something stores into, but that nothing in the service takes a responder out of (calls <c>Respond</c> on
    /// it, reads an element, enumerates it, passes it on). Reported at every store.
    /// </summary>
    static class StoredResponders
    {
        public static void Start(SymbolStartAnalysisContext context, SkynetTypes types)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (!types.IsService(type)) return;
            var fields = type.GetMembers().OfType<IFieldSymbol>()
                .Where(f => f.DeclaredAccessibility == Accessibility.Private && !f.IsImplicitlyDeclared && Holds(f.Type, types.Responder!, 0))
                .ToList();
            if (fields.Count == 0) return;

            var stores = new ConcurrentBag<(IFieldSymbol Field, Location Location)>();
            var consumed = new ConcurrentDictionary<IFieldSymbol, bool>(SymbolEqualityComparer.Default);
            context.RegisterOperationAction(c =>
            {
                var reference = (IFieldReferenceOperation)c.Operation;
                var field = fields.FirstOrDefault(f => SymbolEqualityComparer.Default.Equals(f, reference.Field.OriginalDefinition));
                if (field is null) return;
                switch (Classify(reference, types.Responder!))
                {
                    case Use.Store: stores.Add((field, StoreLocation(reference))); break;
                    case Use.Consume: consumed[field] = true; break;
                }
            }, OperationKind.FieldReference);
            context.RegisterSymbolEndAction(c =>
            {
                foreach (var (field, location) in stores.OrderBy(s => s.Location.SourceSpan.Start))
                    if (!consumed.ContainsKey(field))
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.StoredResponderNotCompleted, location, field.Name, type.Name));
            });
        }

        enum Use { Neutral, Store, Consume }

        /// <summary>True for Responder itself, an array of it, or a generic type with it among its arguments (List, Dictionary, tuples).</summary>
        static bool Holds(ITypeSymbol type, INamedTypeSymbol responder, int depth)
        {
            if (depth > 4) return false;
            if (SymbolEqualityComparer.Default.Equals(type, responder)) return true;
            if (type is IArrayTypeSymbol array) return Holds(array.ElementType, responder, depth + 1);
            return type is INamedTypeSymbol { IsGenericType: true } named && named.TypeArguments.Any(t => Holds(t, responder, depth + 1));
        }

        static Location StoreLocation(IOperation reference)
        {
            for (var node = reference.Parent; node is not null; node = node.Parent)
                if (node is IExpressionStatementOperation statement) return statement.Operation.Syntax.GetLocation();
            return reference.Syntax.GetLocation();
        }

        static Use Classify(IFieldReferenceOperation reference, INamedTypeSymbol responder)
        {
            IOperation node = reference;
            while (node.Parent is IConversionOperation or IParenthesizedOperation) node = node.Parent;
            switch (node.Parent)
            {
                case ISimpleAssignmentOperation assignment when assignment.Target == node:
                    return assignment.Value.ConstantValue is not { HasValue: true, Value: null } && assignment.Value is not IDefaultValueOperation &&
                           assignment.Value.Type is { } valueType && Holds(valueType, responder, 0) ? Use.Store : Use.Neutral;
                case ICompoundAssignmentOperation compound when compound.Target == node:
                case ICoalesceAssignmentOperation coalesce when coalesce.Target == node:
                    return Use.Store;
                case IPropertyReferenceOperation { Property.Parameters.Length: > 0 } indexer when indexer.Instance == node:
                    return indexer.Parent is ISimpleAssignmentOperation element && element.Target == indexer ? Use.Store : Use.Consume;
                case IArrayElementReferenceOperation array when array.ArrayReference == node:
                    return array.Parent is ISimpleAssignmentOperation arrayStore && arrayStore.Target == array ? Use.Store : Use.Consume;
                case IInvocationOperation invocation when invocation.Instance == node:
                    return ClassifyCall(invocation, responder);
                case IPropertyReferenceOperation member when member.Instance == node:
                    return member.Property.Name is "Count" or "IsEmpty" or "IsPending" or "Source" or "Keys" ? Use.Neutral : Use.Consume;
                case IIsPatternOperation:
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals }:
                    return Use.Neutral;
                default:
                    return Use.Consume; // read as a value: enumerated, passed, returned, captured, assigned elsewhere
            }
        }

        static Use ClassifyCall(IInvocationOperation invocation, INamedTypeSymbol responder)
        {
            switch (invocation.TargetMethod.Name)
            {
                case "Add" or "Enqueue" or "Push" or "Insert" or "TryAdd" or "AddLast" or "AddFirst" or "AddRange":
                    return invocation.Arguments.Any(a => a.Value.Type is { } t && Holds(t, responder, 0)) ? Use.Store : Use.Neutral;
                case "Count" or "ContainsKey" or "Contains" or "Clear" or "RemoveAt" or "EnsureCapacity" or "TrimExcess":
                    return Use.Neutral;
                case "Remove" or "TryRemove" when invocation.Arguments.All(a => a.Parameter?.RefKind != RefKind.Out):
                    return Use.Neutral;
                default:
                    return Use.Consume; // Respond, TryGetValue, Remove(k, out r), Dequeue, Pop, GetEnumerator, Values...
            }
        }
    }
}
