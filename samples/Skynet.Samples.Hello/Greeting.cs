using MemoryPack;

namespace Skynet.Samples.Hello;

/// <summary>
/// A message type: a plain MemoryPack type, the same one a Unity client would share with this server. In-process
/// snax calls copy it (it holds a mutable list); calls that leave the process pack it with MemoryPack.
/// </summary>
[MemoryPackable]
public sealed partial record Greeting(string From, List<string> Words);
