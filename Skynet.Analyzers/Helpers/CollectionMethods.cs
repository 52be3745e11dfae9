namespace Skynet.Analyzers.Helpers;

/// <summary>How a call on a collection touches its elements.</summary>
internal enum CollectionAccess
{
    /// <summary>Looks only: <c>ContainsKey</c>, <c>TryGetValue</c>, <c>Contains</c>, enumeration...</summary>
    Read,

    /// <summary>Changes the elements on the strength of what the caller saw: <c>Add</c>, <c>Remove</c>, <c>Clear</c>...</summary>
    Write,

    /// <summary>Checks and changes in one step, so it re-validates a stale check: <c>TryAdd</c>, <c>GetOrAdd</c>...</summary>
    CheckAndWrite,
}

/// <summary>The mutating methods of the BCL collections, by name (List, Dictionary, HashSet, Queue, Stack, ConcurrentDictionary...).</summary>
internal static class CollectionMethods
{
    public static CollectionAccess Classify(string name) => name switch
    {
        "Add" or "AddRange" or "Insert" or "InsertRange" or "Remove" or "RemoveAt" or "RemoveAll" or "RemoveRange" or "RemoveWhere" or
        "Clear" or "Enqueue" or "Dequeue" or "Push" or "Pop" or "Sort" or "Reverse" or "UnionWith" or "ExceptWith" or "IntersectWith" or
        "SymmetricExceptWith" or "EnsureCapacity" or "TrimExcess" or "AddFirst" or "AddLast" or "RemoveFirst" or "RemoveLast" => CollectionAccess.Write,
        "TryAdd" or "TryRemove" or "TryUpdate" or "GetOrAdd" or "AddOrUpdate" or "TryDequeue" or "TryPop" or "TryTake" => CollectionAccess.CheckAndWrite,
        _ => CollectionAccess.Read,
    };
}
