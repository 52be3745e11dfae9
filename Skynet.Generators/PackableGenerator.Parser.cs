using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Skynet.Generators.Diagnostics;
using Skynet.Generators.Helpers;
using Skynet.Generators.Model;

namespace Skynet.Generators
{
    public sealed partial class PackableGenerator
    {
        /// <summary>Turns a <c>[Packable]</c> type symbol into a <see cref="PackableModel"/>; never throws.</summary>
        internal static class Parser
        {
            public static PackableModel Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                var type = (INamedTypeSymbol)context.TargetSymbol;
                try
                {
                    return ParseCore(type, context.Attributes, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    return Empty(type, DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailed, type.Locations.FirstOrDefault(), type.ToDisplayString(), ex.GetType().Name + ": " + ex.Message));
                }
            }

            static PackableModel Empty(INamedTypeSymbol type, params DiagnosticInfo[] diagnostics) =>
                new PackableModel(null, type.Name, type.ToDisplayString(), type.ToDisplayString(), "class", false, false, false, 0,
                    EquatableArray<MemberModel>.Empty, diagnostics.ToEquatableArray());

            static PackableModel ParseCore(INamedTypeSymbol type, System.Collections.Immutable.ImmutableArray<AttributeData> attributes, CancellationToken cancellationToken)
            {
                var location = type.Locations.FirstOrDefault();
                var name = type.ToDisplayString();
                if (type.ContainingType is not null || type.IsGenericType)
                    return Empty(type, DiagnosticInfo.Create(DiagnosticDescriptors.NestedOrGeneric, location, name));
                if (!type.DeclaringSyntaxReferences.All(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax d && d.Modifiers.Any(SyntaxKind.PartialKeyword)))
                    return Empty(type, DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, location, name, "Packable"));

                var versionTolerant = true;
                foreach (var attribute in attributes)
                    foreach (var argument in attribute.NamedArguments)
                        if (argument.Key == "Layout" && argument.Value.Value is int layout) versionTolerant = layout == 0;

                var diagnostics = new List<DiagnosticInfo>();
                var candidates = TypeShapes.SerializedMembers(type).ToList();

                // constructor: parameterless, or the widest public one whose parameters all name members
                var arity = 0;
                var ctorNames = new List<string>();
                var parameterless = type.IsValueType || type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal);
                if (!parameterless)
                {
                    var ctor = type.InstanceConstructors
                        .Where(c => c.DeclaredAccessibility == Accessibility.Public && c.Parameters.Length > 0)
                        .Where(c => c.Parameters.All(p => candidates.Any(m => string.Equals(m.Name, p.Name, StringComparison.OrdinalIgnoreCase))))
                        .Where(c => !(type.IsRecord && c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, type)))
                        .OrderByDescending(c => c.Parameters.Length)
                        .FirstOrDefault();
                    if (ctor is null)
                        return Empty(type, DiagnosticInfo.Create(DiagnosticDescriptors.NoConstructor, location, name));
                    arity = ctor.Parameters.Length;
                    foreach (var p in ctor.Parameters)
                        ctorNames.Add(candidates.First(m => string.Equals(m.Name, p.Name, StringComparison.OrdinalIgnoreCase)).Name);
                }

                var members = new List<(MemberModel Model, int? Id, Location? Location)>();
                foreach (var member in candidates)
                {
                    var ctorIndex = ctorNames.IndexOf(member.Name);
                    var settable = member is IFieldSymbol field ? !field.IsReadOnly : ((IPropertySymbol)member).SetMethod is { DeclaredAccessibility: Accessibility.Public };
                    if (ctorIndex < 0 && !settable) continue; // computed or read-only: not part of the wire form
                    var memberType = member is IFieldSymbol f ? f.Type : ((IPropertySymbol)member).Type;
                    var model = TypeShapes.Describe(memberType);
                    if (model is null)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedType, member.Locations.FirstOrDefault() ?? location, "Member '" + member.Name + "'", name, memberType.ToDisplayString()));
                        continue;
                    }
                    members.Add((new MemberModel(member.Name, model, ctorIndex), TypeShapes.GetId(member), member.Locations.FirstOrDefault()));
                }

                if (members.Any(m => m.Id is not null))
                {
                    var seen = new HashSet<int>();
                    foreach (var (member, id, memberLocation) in members)
                    {
                        if (id is null)
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidId, memberLocation ?? location, member.Name, "none", "when one member of a packable type has [Id], all serialized members need one"));
                        else if (id < 0 || !seen.Add(id.Value))
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidId, memberLocation ?? location, member.Name, id.Value.ToString(CultureInfo.InvariantCulture), "member ids must be non-negative and distinct"));
                    }
                    members = members.OrderBy(m => m.Id ?? int.MaxValue).ToList();
                }
                if (members.Count > 249)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHandler, location, name, "MemoryPack objects carry at most 249 members"));

                var keyword = type.IsRecord ? (type.IsValueType ? "record struct" : "record") : type.IsValueType ? "struct" : "class";
                if (type.IsValueType && type.IsReadOnly) keyword = "readonly partial " + keyword;
                else keyword = "partial " + keyword;
                var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
                return new PackableModel(ns, type.Name, type.ToDisplayString(TypeShapes.Declared), name, keyword, type.IsValueType, versionTolerant,
                    TypeShapes.IsImmutable(type, 0), arity, members.Select(m => m.Model).ToEquatableArray(), diagnostics.ToEquatableArray());
            }
        }
    }
}
