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
/// SKY1017: a generated snax factory or kill (<c>Snax.NewService&lt;T&gt;</c>, <c>Snax.UniqueService&lt;T&gt;</c>,
/// <c>Snax.Kill</c>) called with arguments that do not fit the service. Usually the generator's catch-all overloads make
/// the compiler itself report SKY1017 (an <c>[Obsolete(error: true, DiagnosticId = "SKY1017")]</c> overload the wrong
/// call binds to), and the call binds, so this stays quiet. It reports when no catch-all exists (an <c>OnInit</c>/<c>OnExit</c>
/// with a <c>params</c> parameter): the compiler then tries every service's overload and names an unrelated one; this
/// names the service meant, its expected signature, and which argument is missing or of the wrong type.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SnaxCallAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.SnaxCallMismatch);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!SkynetTypes.TryCreate(start.Compilation, out var types) || types.Snax is null || types.SnaxProxy is null) return;
            var node = start.Compilation.GetTypeByMetadataName("Skynet.SkynetNode");
            start.RegisterSyntaxNodeAction(c => Analyze(c, types, node), SyntaxKind.InvocationExpression);
        });
    }

    static void Analyze(SyntaxNodeAnalysisContext context, SkynetTypes types, INamedTypeSymbol? nodeType)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (invocation.Expression is not MemberAccessExpressionSyntax { Name: var name } access) return;
        var method = name.Identifier.ValueText;
        if (method is not ("NewService" or "UniqueService" or "Kill")) return;
        var model = context.SemanticModel;
        if (model.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not null) return; // it bound: nothing to explain
        if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(access.Expression, context.CancellationToken).Symbol, types.Snax)) return;

        var arguments = invocation.ArgumentList.Arguments;
        INamedTypeSymbol? service;
        List<IParameterSymbol> expected;
        string call;
        var skip = 0;
        if (method == "Kill")
        {
            if (arguments.Count == 0 ||
                model.GetTypeInfo(arguments[0].Expression, context.CancellationToken).Type is not INamedTypeSymbol { IsGenericType: true } proxy ||
                !SymbolEqualityComparer.Default.Equals(proxy.OriginalDefinition, types.SnaxProxy)) return;
            service = proxy.TypeArguments[0] as INamedTypeSymbol;
            if (service is null) return;
            expected = ExitParameters(service);
            call = "Snax.Kill";
            skip = 1;
        }
        else
        {
            if (name is not GenericNameSyntax { TypeArgumentList.Arguments: { Count: 1 } typeArguments }) return;
            service = model.GetTypeInfo(typeArguments[0], context.CancellationToken).Type as INamedTypeSymbol;
            if (service is null || !types.IsService(service)) return;
            expected = InitParameters(service);
            call = $"Snax.{method}<{service.Name}>";
            if (arguments.Count > 0 && nodeType is not null &&
                SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(arguments[0].Expression, context.CancellationToken).Type, nodeType)) skip = 1;
        }

        var detail = Mismatch(model, arguments, skip, expected, context.CancellationToken);
        if (detail is null) return;
        var signature = (method == "Kill" ? $"SnaxProxy<{service.Name}> target" + (expected.Count > 0 ? ", " : "") : "") +
                        string.Join(", ", expected.Select(p => $"{p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)} {p.Name}"));
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SnaxCallMismatch, invocation.GetLocation(), call, signature, detail));
    }

    /// <summary>What is wrong with the arguments after the first <paramref name="skip"/>, or null when they fit.</summary>
    static string? Mismatch(SemanticModel model, SeparatedSyntaxList<ArgumentSyntax> arguments, int skip, List<IParameterSymbol> expected, System.Threading.CancellationToken cancellationToken)
    {
        var given = arguments.Count - skip;
        var required = expected.Count(p => !p.HasExplicitDefaultValue && !p.IsParams);
        if (given < required)
            return $"{(required - given == 1 ? "argument" : "arguments")} {string.Join(", ", expected.Skip(given).Take(required - given).Select(p => $"'{p.Name}'"))} {(required - given == 1 ? "is" : "are")} missing";
        if (given > expected.Count && !expected.Any(p => p.IsParams))
            return $"{given} argument(s) given, it takes {expected.Count}";
        var wrong = new List<string>();
        for (var i = 0; i < given && i < expected.Count; i++)
        {
            var argument = arguments[i + skip];
            if (argument.NameColon is not null) return null; // named arguments: leave it to the compiler
            var type = model.GetTypeInfo(argument.Expression, cancellationToken).Type;
            if (type is null || type.TypeKind == TypeKind.Error) continue;
            var conversion = model.Compilation.ClassifyCommonConversion(type, expected[i].Type);
            if (!conversion.IsImplicit)
                wrong.Add($"argument {i + 1} is {type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}, '{expected[i].Name}' is {expected[i].Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}");
        }
        return wrong.Count == 0 ? null : string.Join("; ", wrong);
    }

    /// <summary>The parameters of the service's OnInit, as the generator takes them (the first instance OnInit).</summary>
    static List<IParameterSymbol> InitParameters(INamedTypeSymbol service) =>
        [.. service.GetMembers("OnInit").OfType<IMethodSymbol>().FirstOrDefault(m => !m.IsStatic)?.Parameters ?? []];

    /// <summary>The parameters of the service's own OnExit with parameters (the generator's exit message).</summary>
    static List<IParameterSymbol> ExitParameters(INamedTypeSymbol service) =>
        [.. service.GetMembers("OnExit").OfType<IMethodSymbol>().FirstOrDefault(m => !m.IsStatic && !m.IsOverride && m.Parameters.Length > 0)?.Parameters ?? []];
}
