using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using Skynet.Analyzers.Diagnostics;
using Skynet.Analyzers.Helpers;

namespace Skynet.Analyzers;

/// <summary>
/// Code that must not appear in a service: SKY1010 (<c>async void</c>), SKY1011 (blocking waits), SKY1012
/// (<c>ConfigureAwait(false)</c>), SKY1016 (static mutable state). "In a service" means in a class deriving from
/// <c>Skynet.Service</c>, or in a type nested in one.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class ServiceCodeAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The property the SKY1011 diagnostic carries to tell the code fix which wait it is.</summary>
    public const string WaitKindProperty = "WaitKind";

    /// <summary>The <see cref="WaitKindProperty"/> value for <c>Thread.Sleep</c>.</summary>
    public const string ThreadSleep = "ThreadSleep";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.AsyncVoid,
        DiagnosticDescriptors.BlockingWait,
        DiagnosticDescriptors.ConfigureAwaitFalse,
        DiagnosticDescriptors.StaticMutableState);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!SkynetTypes.TryCreate(start.Compilation, out var types)) return;
            start.RegisterSymbolAction(c => AnalyzeMethodSymbol(c, types), SymbolKind.Method);
            start.RegisterSymbolAction(c => AnalyzeStaticState(c, types), SymbolKind.Field, SymbolKind.Property);
            start.RegisterOperationAction(c => AnalyzeFunction(c, types), OperationKind.AnonymousFunction, OperationKind.LocalFunction);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, types), OperationKind.Invocation);
            start.RegisterOperationAction(c => AnalyzeResult(c, types), OperationKind.PropertyReference);
        });
    }

    static void AnalyzeMethodSymbol(SymbolAnalysisContext context, SkynetTypes types)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (!method.IsAsync || !method.ReturnsVoid || types.ContainingService(method) is null) return;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is MethodDeclarationSyntax syntax)
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AsyncVoid, AsyncKeyword(syntax.Modifiers, syntax.Identifier.GetLocation()), method.Name));
        }
    }

    static void AnalyzeFunction(OperationAnalysisContext context, SkynetTypes types)
    {
        var (symbol, syntax) = context.Operation switch
        {
            IAnonymousFunctionOperation lambda => (lambda.Symbol, lambda.Syntax),
            ILocalFunctionOperation local => (local.Symbol, local.Syntax),
            _ => (null, null),
        };
        if (symbol is not { IsAsync: true, ReturnsVoid: true } || types.ContainingService(context.ContainingSymbol) is null) return;
        var location = syntax switch
        {
            AnonymousFunctionExpressionSyntax anonymous when anonymous.AsyncKeyword.RawKind != 0 => anonymous.AsyncKeyword.GetLocation(),
            LocalFunctionStatementSyntax local => AsyncKeyword(local.Modifiers, local.Identifier.GetLocation()),
            _ => syntax!.GetLocation(),
        };
        var name = symbol.MethodKind == MethodKind.LocalFunction ? symbol.Name : "This lambda";
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AsyncVoid, location, name));
    }

    static Location AsyncKeyword(Microsoft.CodeAnalysis.SyntaxTokenList modifiers, Location fallback)
    {
        foreach (var modifier in modifiers)
            if (modifier.ValueText == "async") return modifier.GetLocation();
        return fallback;
    }

    static void AnalyzeInvocation(OperationAnalysisContext context, SkynetTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "Sleep" when method.IsStatic && Is(method.ContainingType, types.Thread):
                if (!InService(context, types)) return;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BlockingWait, invocation.Syntax.GetLocation(),
                    ImmutableDictionary<string, string?>.Empty.Add(WaitKindProperty, ThreadSleep), "Thread.Sleep"));
                return;
            case "Wait" when !method.IsStatic && IsTask(method.ContainingType, types):
            case "WaitAll" or "WaitAny" when method.IsStatic && Is(method.ContainingType, types.Task):
            case "GetResult" when IsAwaiter(method.ContainingType, types):
                if (!InService(context, types)) return;
                var text = method.IsStatic ? $"Task.{method.Name}" : method.Name == "Wait" ? ".Wait()" : "GetAwaiter().GetResult()";
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BlockingWait, invocation.Syntax.GetLocation(), text));
                return;
            case "ConfigureAwait" when IsTask(method.ContainingType, types):
                if (invocation.Arguments.Length != 1 || !LeavesContext(invocation.Arguments[0].Value) || !InService(context, types)) return;
                var span = invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
                    ? TextSpan.FromBounds(access.Name.SpanStart, invocation.Syntax.Span.End)
                    : invocation.Syntax.Span;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ConfigureAwaitFalse, Location.Create(invocation.Syntax.SyntaxTree, span)));
                return;
        }
    }

    static void AnalyzeResult(OperationAnalysisContext context, SkynetTypes types)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        if (reference.Property.Name != "Result" || !types.IsGenericTask(reference.Property.ContainingType) || !InService(context, types)) return;
        if (KnownCompleted(reference, context.CancellationToken)) return;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BlockingWait, reference.Syntax.GetLocation(), ".Result"));
    }

    /// <summary>
    /// True when <c>x.Result</c> reads a local or parameter that the same function checked with <c>IsCompleted</c> /
    /// <c>IsCompletedSuccessfully</c>, or awaited (directly or through <c>Task.WhenAll</c>), before it: the value is
    /// there and nothing blocks.
    /// </summary>
    static bool KnownCompleted(IPropertyReferenceOperation reference, System.Threading.CancellationToken cancellationToken)
    {
        var instance = reference.Instance;
        while (instance is IConversionOperation conversion) instance = conversion.Operand;
        ISymbol? task = instance switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };
        if (task is null || reference.SemanticModel is not { } model) return false;
        var function = reference.Syntax.Ancestors().FirstOrDefault(n =>
            n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax);
        if (function is null) return false;

        bool IsTask(ExpressionSyntax? expression)
        {
            while (expression is ParenthesizedExpressionSyntax parenthesized) expression = parenthesized.Expression;
            return expression is IdentifierNameSyntax name && name.Identifier.ValueText == task.Name &&
                   SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, task);
        }

        foreach (var node in function.DescendantNodes())
        {
            if (node.SpanStart >= reference.Syntax.SpanStart) break;
            switch (node)
            {
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IsCompleted" or "IsCompletedSuccessfully" } check when IsTask(check.Expression):
                    return true;
                case AwaitExpressionSyntax awaited:
                    var operand = awaited.Expression;
                    while (operand is ParenthesizedExpressionSyntax p) operand = p.Expression;
                    if (operand is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configure })
                        operand = configure.Expression;
                    if (IsTask(operand)) return true;
                    if (operand is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "WhenAll" } } whenAll &&
                        whenAll.ArgumentList.DescendantNodes().OfType<IdentifierNameSyntax>().Any(IsTask)) return true;
                    break;
            }
        }
        return false;
    }

    static void AnalyzeStaticState(SymbolAnalysisContext context, SkynetTypes types)
    {
        var symbol = context.Symbol;
        if (!symbol.IsStatic || symbol.IsImplicitlyDeclared || types.ContainingService(symbol) is not { } service) return;
        var mutable = symbol switch
        {
            IFieldSymbol field => !field.IsConst && !field.IsReadOnly,
            IPropertySymbol property => property.SetMethod is not null && IsAutoProperty(property, context),
            _ => false,
        };
        if (mutable)
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.StaticMutableState, symbol.Locations[0], symbol.Name, service.Name));
    }

    static bool IsAutoProperty(IPropertySymbol property, SymbolAnalysisContext context)
    {
        foreach (var reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is not PropertyDeclarationSyntax { AccessorList: { } accessors }) return false;
            foreach (var accessor in accessors.Accessors)
                if (accessor.Body is not null || accessor.ExpressionBody is not null) return false;
            return true;
        }
        return false;
    }

    static bool InService(OperationAnalysisContext context, SkynetTypes types) => types.ContainingService(context.ContainingSymbol) is not null;

    static bool Is(INamedTypeSymbol? type, INamedTypeSymbol? expected) => SymbolEqualityComparer.Default.Equals(type, expected);

    /// <summary>
    /// <c>false</c>, or a <c>ConfigureAwaitOptions</c> constant without <c>ContinueOnCapturedContext</c> (whose value
    /// is 1): either way the continuation does not come back to the service.
    /// </summary>
    static bool LeavesContext(IOperation argument)
    {
        if (argument.ConstantValue is not { HasValue: true, Value: { } value }) return false;
        if (value is bool flag) return !flag;
        var options = argument.Type is INamedTypeSymbol { TypeKind: TypeKind.Enum, Name: "ConfigureAwaitOptions" }
            || argument is IConversionOperation { Operand.Type: INamedTypeSymbol { TypeKind: TypeKind.Enum, Name: "ConfigureAwaitOptions" } };
        return options && (System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) & 1) == 0;
    }

    static bool IsTask(INamedTypeSymbol? type, SkynetTypes types) => types.IsTaskLike(type);

    static bool IsAwaiter(INamedTypeSymbol? type, SkynetTypes types)
    {
        var definition = type?.OriginalDefinition;
        return Is(definition, types.TaskAwaiter) || Is(definition, types.TaskAwaiterOfT) ||
               Is(definition, types.ValueTaskAwaiter) || Is(definition, types.ValueTaskAwaiterOfT) ||
               Is(definition, types.ConfiguredTaskAwaiter) || Is(definition, types.ConfiguredTaskAwaiterOfT) ||
               Is(definition, types.ConfiguredValueTaskAwaiter) || Is(definition, types.ConfiguredValueTaskAwaiterOfT);
    }
}
