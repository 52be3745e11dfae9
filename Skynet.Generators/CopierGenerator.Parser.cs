using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Skynet.Generators.Diagnostics;
using Skynet.Generators.Helpers;
using Skynet.Generators.Model;
using Skynet.Shared;

namespace Skynet.Generators
{
    public sealed partial class CopierGenerator
    {
        /// <summary>Turns a <c>[MemoryPackable]</c> type symbol into a <see cref="CopierModel"/>; never throws.</summary>
        internal static class Parser
        {
            public static CopierModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                var type = (INamedTypeSymbol)context.TargetSymbol;
                var compilation = context.SemanticModel.Compilation;
                // Only in projects that use Skynet (MemoryPack users without it get nothing from us).
                if (compilation.GetTypeByMetadataName("Skynet.Codecs.IDeepCopyable`1") is null) return null;
                // Resolved once per compilation and shared with the service parser; compared as symbols, not names.
                var types = WellKnownTypes.Get(compilation).Packability;
                if (!Packability.GetsCopier(type, types)) return null;
                try
                {
                    return ParseCore(type, context.Attributes, types, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    return Model(type, CopierStrategy.RoundTrip, 0, new List<MemberModel>(),
                        DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailed, type.Locations.FirstOrDefault(), type.ToDisplayString(), ex.GetType().Name + ": " + ex.Message));
                }
            }

            static CopierModel ParseCore(INamedTypeSymbol type, System.Collections.Immutable.ImmutableArray<AttributeData> attributes, PackabilityTypes types, CancellationToken cancellationToken)
            {
                if (Packability.IsImmutable(type, types)) return Model(type, CopierStrategy.Share, 0, new List<MemberModel>());

                // MemoryPack's GenerateType: Object 0, VersionTolerant 1, CircularReference 2, Collection 3, NoGenerate 4.
                // Shared references and custom formatters are MemoryPack's business: copy those through it.
                foreach (var attribute in attributes)
                    if (attribute.ConstructorArguments.Length > 0 && SymbolEqualityComparer.Default.Equals(attribute.ConstructorArguments[0].Type, types.GenerateType) && attribute.ConstructorArguments[0].Value is int kind && kind >= 2)
                        return Model(type, CopierStrategy.RoundTrip, 0, new List<MemberModel>());

                var candidates = TypeShapes.SerializedMembers(type, types).ToList();
                var ctor = ChooseConstructor(type, candidates, types);
                if (ctor is null) return Model(type, CopierStrategy.RoundTrip, 0, new List<MemberModel>());
                var ctorNames = ctor.Parameters.Select(p => candidates.First(m => string.Equals(m.Name, p.Name, StringComparison.OrdinalIgnoreCase)).Name).ToList();

                var members = new List<MemberModel>();
                foreach (var member in candidates)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var ctorIndex = ctorNames.IndexOf(member.Name);
                    var settable = member is IFieldSymbol field ? !field.IsReadOnly : ((IPropertySymbol)member).SetMethod is not null;
                    if (ctorIndex < 0 && !settable) continue; // computed or read-only: not part of the wire form either
                    var memberType = member is IFieldSymbol f ? f.Type : ((IPropertySymbol)member).Type;
                    members.Add(new MemberModel(member.Name, TypeShapes.Describe(memberType, types), ctorIndex));
                }
                return Model(type, CopierStrategy.MemberWise, ctor.Parameters.Length, members);
            }

            /// <summary>As MemoryPack picks it: <c>[MemoryPackConstructor]</c>, else the one declared constructor, else a parameterless one.</summary>
            static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<ISymbol> members, PackabilityTypes types)
            {
                var declared = type.InstanceConstructors.Where(c => !c.IsImplicitlyDeclared)
                    .Where(c => !(type.IsRecord && c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, type)))
                    .ToList();
                var chosen = declared.FirstOrDefault(c => Packability.HasAttribute(c, types.MemoryPackConstructor))
                    ?? (declared.Count == 1 ? declared[0] : null)
                    ?? type.InstanceConstructors.FirstOrDefault(c => c.Parameters.Length == 0);
                if (chosen is null) return null;
                return chosen.Parameters.All(p => members.Any(m => string.Equals(m.Name, p.Name, StringComparison.OrdinalIgnoreCase))) ? chosen : null;
            }

            static CopierModel Model(INamedTypeSymbol type, CopierStrategy strategy, int arity, List<MemberModel> members, params DiagnosticInfo[] diagnostics)
            {
                var keyword = type.IsRecord ? (type.IsValueType ? "record struct" : "record") : type.IsValueType ? "struct" : "class";
                keyword = (type.IsValueType && type.IsReadOnly ? "readonly partial " : "partial ") + keyword;
                var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
                return new CopierModel(ns, type.Name, type.ToDisplayString(TypeShapes.Declared), type.ToDisplayString(), keyword, type.IsValueType,
                    strategy, arity, members.ToEquatableArray(), diagnostics.ToEquatableArray());
            }
        }
    }
}
