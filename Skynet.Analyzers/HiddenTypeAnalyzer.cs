using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Skynet.Analyzers.Diagnostics;
using Skynet.Analyzers.Helpers;

namespace Skynet.Analyzers;

/// <summary>
/// SKY1018: inside a service, <c>Timeout.InfiniteTimeSpan</c> (or any <c>X.Member</c> where X names both a method of
/// the service or one of its base services and a type in System/System.Threading) binds to the method group and fails
/// with CS0119. <c>Skynet.Service</c> itself names skynet's <c>skynet.timeout</c> <c>SetTimeout</c> for this reason; a
/// user's own <c>Timeout(...)</c> helper (a common port of Lua code) brings the clash back. This names the cause and the
/// qualified type; <c>HiddenTypeCodeFixer</c> qualifies it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HiddenTypeAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the fully qualified type the name was meant to be.</summary>
    public const string TypeProperty = "Type";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ServiceMemberHidesType);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!SkynetTypes.TryCreate(start.Compilation, out var types)) return;
            // Only a name that is also a type of System or System.Threading can be hidden: filter by name before binding.
            var typeNames = TypeNames(start.Compilation);
            start.RegisterSyntaxNodeAction(c => Analyze(c, types, typeNames), SyntaxKind.SimpleMemberAccessExpression);
        });
    }

    static HashSet<string> TypeNames(Compilation compilation)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var system = compilation.GlobalNamespace.GetNamespaceMembers().FirstOrDefault(n => n.Name == "System");
        if (system is null) return names;
        foreach (var type in system.GetTypeMembers()) names.Add(type.Name);
        foreach (var type in system.GetNamespaceMembers().FirstOrDefault(n => n.Name == "Threading")?.GetTypeMembers() ?? ImmutableArray<INamedTypeSymbol>.Empty)
            names.Add(type.Name);
        return names;
    }

    static void Analyze(SyntaxNodeAnalysisContext context, SkynetTypes types, HashSet<string> typeNames)
    {
        var access = (MemberAccessExpressionSyntax)context.Node;
        if (access.Expression is not IdentifierNameSyntax identifier) return;
        var name = identifier.Identifier.ValueText;
        if (!typeNames.Contains(name)) return;
        var info = context.SemanticModel.GetSymbolInfo(identifier, context.CancellationToken);
        var candidates = info.Symbol is null ? info.CandidateSymbols : ImmutableArray.Create(info.Symbol);
        if (candidates.IsEmpty || !candidates.All(s => s is IMethodSymbol && types.IsService(s.ContainingType))) return;
        var compilation = context.SemanticModel.Compilation;
        var type = compilation.GetTypeByMetadataName("System.Threading." + name) ?? compilation.GetTypeByMetadataName("System." + name);
        if (type is null || type.GetMembers(access.Name.Identifier.ValueText).IsEmpty) return;
        var qualified = type.ToDisplayString();
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ServiceMemberHidesType, identifier.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(TypeProperty, qualified), name, qualified, access.Name.Identifier.ValueText,
            candidates[0].ContainingType.Name));
    }
}
