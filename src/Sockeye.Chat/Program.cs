using Sockeye.Chat;
using Sockeye.Chat.Messages;

var app = ChatApp.Build(args);
await app.Services.MigrateChatDatabaseAsync();
if (args.Contains("migrate", StringComparer.Ordinal))
{
    // `dotnet run --project src/Sockeye.Chat -- migrate`: apply the migrations and exit.
    return;
}

await app.RunAsync();
