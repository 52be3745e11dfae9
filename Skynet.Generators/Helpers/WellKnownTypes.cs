using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Skynet.Shared;

namespace Skynet.Generators.Helpers
{
    /// <summary>
    /// The framework and Skynet types the service parser compares against, resolved once per compilation (not once per
    /// service) and compared as symbols, not display strings (a user type named like ours in another assembly is not ours).
    /// </summary>
    internal sealed class WellKnownTypes
    {
        static readonly ConditionalWeakTable<Compilation, WellKnownTypes> Cache = new ConditionalWeakTable<Compilation, WellKnownTypes>();

        public static WellKnownTypes Get(Compilation compilation) => Cache.GetValue(compilation, static c => new WellKnownTypes(c));

        WellKnownTypes(Compilation compilation)
        {
            Packability = PackabilityTypes.Create(compilation);
            Service = compilation.GetTypeByMetadataName("Skynet.Service");
            Accept = compilation.GetTypeByMetadataName("Skynet.AcceptAttribute");
            Response = compilation.GetTypeByMetadataName("Skynet.ResponseAttribute");
            Id = compilation.GetTypeByMetadataName("Skynet.IdAttribute");
            ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
            Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
            ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
            TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        }

        public PackabilityTypes Packability { get; }
        public INamedTypeSymbol? Service { get; }
        public INamedTypeSymbol? Accept { get; }
        public INamedTypeSymbol? Response { get; }
        public INamedTypeSymbol? Id { get; }
        public INamedTypeSymbol? ValueTask { get; }
        public INamedTypeSymbol? Task { get; }
        public INamedTypeSymbol? ValueTaskOfT { get; }
        public INamedTypeSymbol? TaskOfT { get; }

        public static bool Is(ISymbol? symbol, INamedTypeSymbol? known) =>
            known is not null && SymbolEqualityComparer.Default.Equals(symbol, known);

        public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute)
        {
            foreach (var data in symbol.GetAttributes())
                if (Is(data.AttributeClass, attribute)) return true;
            return false;
        }

        /// <summary>The method's <c>[Id(n)]</c>, if it has one.</summary>
        public int? GetId(ISymbol symbol)
        {
            foreach (var data in symbol.GetAttributes())
                if (Is(data.AttributeClass, Id) && data.ConstructorArguments.Length == 1 && data.ConstructorArguments[0].Value is int id)
                    return id;
            return null;
        }
    }
}
