using Sockeye.Chat.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sockeye.Chat.Browser.Tests;

[Collection(BrowserCollectionDefinition.Name)]
public sealed class HistoryTests(BrowserFixture browser)
{
    [Fact]
    public async Task Scrolling_up_pages_in_older_messages_above_the_ones_shown()
    {
        await using var service = await ChatService.StartAsync(new Dictionary<string, string>
        {
            ["RATE_LIMIT_BURST"] = "200",
            ["RATE_LIMIT_PER_SECOND"] = "200",
        });
        await using var alice = await ChatPage.SignInAsync(browser.Browser, service, "alice");
        for (var i = 1; i <= 70; i++)
        {
            await alice.SendAsync($"History line {i}");
        }

        await alice.ExpectMessageAsync("History line 70", "sent");
        await alice.Page.ReloadAsync();
        await alice.ExpectConnectedAsync();
        await alice.ExpectMessageAsync("History line 70");
        await Expect(alice.Messages).ToHaveCountAsync(50);
        await Expect(alice.Message("History line 1")).ToHaveCountAsync(0);

        await alice.Page.Locator(".messages").EvaluateAsync("list => list.scrollTop = 0");

        await alice.ExpectMessageAsync("History line 1");
        await Expect(alice.Messages).ToHaveCountAsync(70);
        await Expect(alice.Page.GetByText("The beginning of #chat.")).ToBeVisibleAsync();
        await alice.ScreenshotAsync("history-paged");
    }
}
