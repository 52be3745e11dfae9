using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Skynet.Generators.Diagnostics;
using Skynet.Generators.Helpers;
using Skynet.Generators.Model;
using Skynet.Shared;

namespace Skynet.Generators
{
    public sealed partial class ServiceGenerator
    {
        /// <summary>Turns a <c>[Service]</c> class symbol into a <see cref="ServiceModel"/>; never throws.</summary>
        internal static class Parser
        {
            const int SkynetFirstLuaId = 5;

            public static ServiceModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                var type = (INamedTypeSymbol)context.TargetSymbol;
                try
                {
                    return ParseCore(type, WellKnownTypes.Get(context.SemanticModel.Compilation), cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailed, type.Locations.FirstOrDefault(), type.ToDisplayString(), ex.GetType().Name + ": " + ex.Message);
                    return Empty(type, diagnostic);
                }
            }

            static ServiceModel Empty(INamedTypeSymbol type, params DiagnosticInfo[] diagnostics) =>
                new ServiceModel(null, type.Name, type.ToDisplayString(), type.ToDisplayString(), false, EquatableArray<MethodModel>.Empty,
                    false, ReturnKind.Void, EquatableArray<ParameterModel>.Empty, false, ReturnKind.Void, EquatableArray<ParameterModel>.Empty,
                    diagnostics.ToEquatableArray());

            static ServiceModel? ParseCore(INamedTypeSymbol type, WellKnownTypes known, CancellationToken cancellationToken)
            {
                var types = known.Packability;
                var location = type.Locations.FirstOrDefault();
                var diagnostics = new List<DiagnosticInfo>();
                var name = type.ToDisplayString();

                if (type.ContainingType is not null || type.IsGenericType)
                    return Empty(type, DiagnosticInfo.Create(DiagnosticDescriptors.NestedOrGeneric, location, name));
                // Emission is impossible, but the analyzers report these two (SKY1014, SKY1015) with the same
                // conditions; a second error from the generator would only repeat them.
                if (!IsPartial(type, cancellationToken) || !DerivesFromService(type, known))
                    return null;

                var methods = new List<MethodModel>();
                var locations = new List<Location?>(); // each method's own, so an overload's problem is shown on that overload
                IMethodSymbol? init = null, exit = null;
                var pinned = false;
                foreach (var member in type.GetMembers())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method) continue;
                    if (method.Name == "OnStart" && method.IsOverride)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OnStartOverridden, method.Locations.FirstOrDefault(), name));
                    if (method.Name == "OnInit" && !method.IsStatic && init is null) init = method;
                    if (method.Name == "OnExit" && !method.IsStatic && !method.IsOverride && method.Parameters.Length > 0 && exit is null) exit = method;

                    var accept = WellKnownTypes.HasAttribute(method, known.Accept);
                    var response = WellKnownTypes.HasAttribute(method, known.Response);
                    if (!accept && !response) continue;
                    if (ParseMethod(name, method, accept, response, known, diagnostics) is { } model)
                    {
                        pinned |= known.GetId(method) is not null;
                        methods.Add(model with { LuaId = SkynetFirstLuaId + methods.Count }); // snax.interface: declaration order after the 4 system ids
                        locations.Add(method.Locations.FirstOrDefault());
                    }
                }
                if (pinned) methods = methods.ConvertAll(m => m with { LuaId = m.Id });

                CheckIds(name, methods, locations, diagnostics);

                var initParameters = init is null ? EquatableArray<ParameterModel>.Empty : ParseParameters(init, types);
                var exitParameters = exit is null ? EquatableArray<ParameterModel>.Empty : ParseParameters(exit, types);
                var initReturn = init is null ? ReturnKind.Void : LifecycleReturn(name, init, known, diagnostics);
                var exitReturn = exit is null ? ReturnKind.Void : LifecycleReturn(name, exit, known, diagnostics);

                methods.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
                return new ServiceModel(ns, type.Name, type.ToDisplayString(TypeShapes.Declared), type.ToDisplayString(),
                    type.DeclaredAccessibility == Accessibility.Public, methods.ToEquatableArray(),
                    init is not null, initReturn, initParameters, exit is not null, exitReturn, exitParameters,
                    diagnostics.ToEquatableArray(), exit is not null && exit.Parameters.Any(p => TypeShapes.MayNest(p.Type, types)));
            }

            static MethodModel? ParseMethod(string service, IMethodSymbol method, bool accept, bool response, WellKnownTypes known, List<DiagnosticInfo> diagnostics)
            {
                var types = known.Packability;
                var location = method.Locations.FirstOrDefault();
                string? problem = null;
                if (accept && response) problem = "it is marked both [Accept] and [Response]; choose one";
                else if (method.IsStatic) problem = "it is static; snax methods run on the service instance";
                else if (method.IsGenericMethod) problem = "it is generic; snax methods need concrete types";
                else if (method.Parameters.Length > 14) problem = "it has more than 14 parameters; pass a [MemoryPackable] message type instead";
                if (problem is null && method.Parameters.Any(p => p.RefKind != RefKind.None))
                    return null; // SKY1013 (Skynet.Analyzers) reports each ref/out/in parameter; one error per problem.
                if (problem is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHandler, location, method.Name, problem));
                    return null;
                }

                // A parameter or result the shared rule rejects is SKY1013 (Skynet.Analyzers): emission goes on, so
                // that one problem is one error and not a cascade of missing proxy members.
                var parameters = ParseParameters(method, types);
                var (kind, resultType) = Classify(method.ReturnType, known);
                var result = resultType is not null && response ? TypeShapes.Describe(resultType, types) : null;
                var id = known.GetId(method) ?? TypeShapes.HashId(method.Name);
                return new MethodModel(method.Name, id, accept, kind, method.ReturnsVoid ? "void" : method.ReturnType.ToDisplayString(TypeShapes.Declared), result, parameters,
                    method.Parameters.Any(p => TypeShapes.MayNest(p.Type, types)), result is not null && TypeShapes.MayNest(resultType!, types));
            }

            static EquatableArray<ParameterModel> ParseParameters(IMethodSymbol method, PackabilityTypes types)
            {
                var list = new List<ParameterModel>();
                foreach (var parameter in method.Parameters)
                    list.Add(new ParameterModel(parameter.Name, TypeShapes.Describe(parameter.Type, types), DefaultValue(parameter), parameter.IsParams));
                return list.ToEquatableArray();
            }

            /// <summary>The C# text of a parameter's default value, so the proxy and factories keep it optional.</summary>
            static string? DefaultValue(IParameterSymbol parameter)
            {
                if (!parameter.HasExplicitDefaultValue) return null;
                var value = parameter.ExplicitDefaultValue;
                if (value is null) return "default";
                var type = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : parameter.Type;
                var literal = Literal(value);
                return type.TypeKind == TypeKind.Enum ? "(" + type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ")(" + literal + ")" : literal;
            }

            static string Literal(object value)
            {
                var invariant = System.Globalization.CultureInfo.InvariantCulture;
                switch (value)
                {
                    case bool b: return b ? "true" : "false";
                    case string s: return SymbolDisplay.FormatLiteral(s, quote: true);
                    case char c: return SymbolDisplay.FormatLiteral(c, quote: true);
                    case float f:
                        if (float.IsNaN(f)) return "float.NaN";
                        if (float.IsInfinity(f)) return f > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity";
                        return f.ToString("R", invariant) + "F";
                    case double d:
                        if (double.IsNaN(d)) return "double.NaN";
                        if (double.IsInfinity(d)) return d > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
                        return d.ToString("R", invariant) + "D";
                    case decimal m: return m.ToString(invariant) + "M";
                    case long l: return l.ToString(invariant) + "L";
                    case ulong u: return u.ToString(invariant) + "UL";
                    case uint u: return u.ToString(invariant) + "U";
                    default: return Convert.ToString(value, invariant) ?? "default";
                }
            }

            static (ReturnKind Kind, ITypeSymbol? Result) Classify(ITypeSymbol type, WellKnownTypes known)
            {
                if (type.SpecialType == SpecialType.System_Void) return (ReturnKind.Void, null);
                var definition = type.OriginalDefinition;
                if (WellKnownTypes.Is(definition, known.ValueTask)) return (ReturnKind.ValueTask, null);
                if (WellKnownTypes.Is(definition, known.Task)) return (ReturnKind.Task, null);
                if (WellKnownTypes.Is(definition, known.ValueTaskOfT)) return (ReturnKind.ValueTaskOfT, ((INamedTypeSymbol)type).TypeArguments[0]);
                if (WellKnownTypes.Is(definition, known.TaskOfT)) return (ReturnKind.TaskOfT, ((INamedTypeSymbol)type).TypeArguments[0]);
                return (ReturnKind.Value, type);
            }

            static ReturnKind LifecycleReturn(string service, IMethodSymbol method, WellKnownTypes known, List<DiagnosticInfo> diagnostics)
            {
                var (kind, _) = Classify(method.ReturnType, known);
                if (kind is ReturnKind.Void or ReturnKind.ValueTask or ReturnKind.Task) return kind;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHandler, method.Locations.FirstOrDefault(), method.Name,
                    "OnInit and OnExit must return void, ValueTask or Task"));
                return ReturnKind.Void;
            }

            static void CheckIds(string service, List<MethodModel> methods, List<Location?> locations, List<DiagnosticInfo> diagnostics)
            {
                var seen = new Dictionary<int, MethodModel>();
                for (var i = 0; i < methods.Count; i++)
                {
                    var method = methods[i];
                    var location = locations[i];
                    if (method.Id <= 0)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidId, location, method.Name, method.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            "method ids must be positive (0 is snax's exit)"));
                        continue;
                    }
                    if (seen.TryGetValue(method.Id, out var first))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateMethodId, location, first.Name, method.Name, service,
                            method.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                        continue;
                    }
                    seen.Add(method.Id, method);
                }
            }

            static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken) =>
                type.DeclaringSyntaxReferences.All(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax d && d.Modifiers.Any(SyntaxKind.PartialKeyword));

            static bool DerivesFromService(INamedTypeSymbol type, WellKnownTypes known)
            {
                for (var t = type.BaseType; t is not null; t = t.BaseType)
                    if (WellKnownTypes.Is(t, known.Service)) return true;
                return false;
            }
        }
    }
}
