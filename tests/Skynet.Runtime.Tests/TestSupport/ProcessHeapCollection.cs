namespace Skynet.Runtime.Tests.TestSupport;

/// <summary>
/// Tests that measure the whole process's managed heap (<c>GC.GetTotalMemory</c>) run alone: classes running in
/// parallel would add their own allocations to the figure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessHeapCollection
{
    public const string Name = "Measures the process heap";
}
