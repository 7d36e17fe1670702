using SharpFuzz;
using Sockeye.Fuzz;

// One fuzz target per decoder that reads bytes from the network or from Redis; see fuzz/run.sh.
// Under afl-fuzz the target runs in a loop; otherwise it decodes standard input once, which reproduces a crash:
//   dotnet Sockeye.Fuzz.dll redis-message < crash-file
Action<ReadOnlyMemory<byte>>? target = args is [var name] ? Targets.Find(name) : null;
if (target is null)
{
    Console.Error.WriteLine($"usage: Sockeye.Fuzz <{string.Join('|', Targets.Names)}>");
    return 2;
}

Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
});
return 0;
