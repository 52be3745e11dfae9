using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Skynet.Analyzers.Diagnostics;
using Skynet.Analyzers.Helpers;
using Skynet.Shared;

namespace Skynet.Analyzers;

/// <summary>
/// The shape of snax services and their methods: SKY1008 (<c>[Accept]</c> returns a value), SKY1009 (<c>[Response]</c>
/// returns void), SKY1013 (a parameter or result that cannot cross a node), SKY1014/SKY1015 (<c>[Service]</c> not
/// partial / not a <c>Service</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SnaxMethodAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.AcceptReturnsValue,
        DiagnosticDescriptors.ResponseReturnsVoid,
        DiagnosticDescriptors.NonTransferableType,
        DiagnosticDescriptors.ServiceNotPartial,
        DiagnosticDescriptors.ServiceNotDerived);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!SkynetTypes.TryCreate(start.Compilation, out var types)) return;
            if (types.AcceptAttribute is null || types.ResponseAttribute is null || types.ServiceAttribute is null) return;
            var packability = PackabilityTypes.Create(start.Compilation);
            start.RegisterSymbolAction(c => AnalyzeMethod(c, types, packability), SymbolKind.Method);
            start.RegisterSymbolAction(c => AnalyzeType(c, types), SymbolKind.NamedType);
        });
    }

    static void AnalyzeType(SymbolAnalysisContext context, SkynetTypes types)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!SkynetTypes.HasAttribute(type, types.ServiceAttribute)) return;
        if (!types.IsService(type))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ServiceNotDerived, type.Locations[0], type.Name));
        }
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is not TypeDeclarationSyntax declaration) continue;
            for (SyntaxNode? node = declaration; node is TypeDeclarationSyntax t; node = t.Parent)
            {
                if (t.Modifiers.Any(SyntaxKind.PartialKeyword)) continue;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ServiceNotPartial, t.Identifier.GetLocation(), type.Name));
                return;
            }
        }
    }

    static void AnalyzeMethod(SymbolAnalysisContext context, SkynetTypes types, PackabilityTypes packability)
    {
        var method = (IMethodSymbol)context.Symbol;
        var accept = SkynetTypes.HasAttribute(method, types.AcceptAttribute);
        var response = SkynetTypes.HasAttribute(method, types.ResponseAttribute);
        // OnInit's arguments are copied by Snax.NewService and OnExit's travel in snax's exit message (Snax.Kill),
        // which leaves the process like any request: the same rule applies to their parameters.
        var lifecycle = !accept && !response && !method.IsStatic && method.Parameters.Length > 0
            && (method.Name == "OnInit" || method.Name == "OnExit" && !method.IsOverride)
            && SkynetTypes.HasAttribute(method.ContainingType, types.ServiceAttribute);
        if (!accept && !response && !lifecycle) return;
        if (method.DeclaringSyntaxReferences.Length == 0 ||
            method.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken) is not MethodDeclarationSyntax syntax) return;

        if (accept && !method.ReturnsVoid && !types.IsTask(method.ReturnType))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AcceptReturnsValue, syntax.ReturnType.GetLocation(),
                method.Name, method.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
        }
        if (response && method.ReturnsVoid)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ResponseReturnsVoid, syntax.ReturnType.GetLocation(), method.Name));
        }

        for (var i = 0; i < method.Parameters.Length && i < syntax.ParameterList.Parameters.Count; i++)
        {
            var parameter = method.Parameters[i];
            var reason = parameter.RefKind switch
            {
                RefKind.Ref => "a ref parameter cannot be written back across a node",
                RefKind.Out => "an out parameter cannot be written back across a node",
                RefKind.In or RefKind.RefReadOnlyParameter => "an in parameter is a reference, and references do not cross a node",
                _ => Packability.WhyNot(parameter.Type, packability),
            };
            if (reason is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NonTransferableType, syntax.ParameterList.Parameters[i].GetLocation(),
                    $"Parameter '{parameter.Name}'", method.Name, reason));
            }
        }

        if (lifecycle || method.ReturnsVoid || types.IsTask(method.ReturnType)) return;
        var result = types.IsGenericTask(method.ReturnType) ? ((INamedTypeSymbol)method.ReturnType).TypeArguments[0] : method.ReturnType;
        var why = method.ReturnsByRef || method.ReturnsByRefReadonly ? "a ref return is a reference, and references do not cross a node" : Packability.WhyNot(result, packability);
        if (why is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NonTransferableType, syntax.ReturnType.GetLocation(), "The result", method.Name, why));
        }
    }
}
