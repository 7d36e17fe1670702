using Microsoft.Playwright;
using Sockeye.Chat.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sockeye.Chat.Browser.Tests;

[Collection(BrowserCollectionDefinition.Name)]
public sealed class ErrorToastTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_message_over_4000_characters_is_refused_with_an_INVALID_PAYLOAD_toast_and_can_be_edited()
    {
        await using var service = await ChatService.StartAsync();
        await using var alice = await ChatPage.SignInAsync(browser.Browser, service, "alice");
        var tooLong = string.Concat(Enumerable.Repeat("All work and no play. ", 182))[..4001];

        await alice.Composer.FillAsync(tooLong);
        await Expect(alice.Page.GetByTestId("char-count")).ToHaveTextAsync("4,001 / 4,000");
        await Expect(alice.Page.GetByTestId("char-count")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("over"));
        await alice.Composer.PressAsync("Enter");

        var toast = alice.Page.GetByTestId("toast");
        await Expect(toast).ToHaveAttributeAsync("data-code", "INVALID_PAYLOAD");
        await Expect(toast).ToContainTextAsync("text must be at most 4000 characters");
        var failed = alice.Messages.Filter(new() { HasText = "Not sent" });
        await Expect(failed).ToHaveAttributeAsync("data-state", "failed");
        await Expect(failed.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeVisibleAsync();
        await alice.ScreenshotAsync("toast-invalid-payload");

        await failed.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Expect(alice.Composer).ToHaveValueAsync(tooLong);
        await alice.Composer.FillAsync(tooLong[..4000]);
        await alice.Composer.PressAsync("Enter");
        await Expect(alice.Messages).ToHaveCountAsync(1);
        await Expect(alice.Messages).ToHaveAttributeAsync("data-state", "sent");
    }

    [Fact]
    public async Task Messages_beyond_the_rate_limit_show_a_RATE_LIMITED_toast_and_still_arrive_in_order()
    {
        await using var service = await ChatService.StartAsync(new Dictionary<string, string>
        {
            ["RATE_LIMIT_BURST"] = "3",
            ["RATE_LIMIT_PER_SECOND"] = "2",
        });
        await using var alice = await ChatPage.SignInAsync(browser.Browser, service, "alice");
        await using var bob = await ChatPage.SignInAsync(browser.Browser, service, "bob");

        var texts = Enumerable.Range(1, 8).Select(i => $"Burst message {i}").ToArray();
        foreach (var text in texts)
        {
            await alice.SendAsync(text);
        }

        var toast = alice.Page.GetByTestId("toast");
        await Expect(toast).ToHaveAttributeAsync("data-code", "RATE_LIMITED");
        await Expect(toast).ToContainTextAsync("Slow down");
        await alice.ScreenshotAsync("toast-rate-limited");

        foreach (var text in texts)
        {
            await alice.ExpectMessageAsync(text, "sent");
            await bob.ExpectMessageAsync(text, "received");
        }

        await Expect(bob.Page.GetByTestId("message-text")).ToHaveTextAsync(texts);
        await Expect(alice.Page.GetByTestId("message-text")).ToHaveTextAsync(texts);
    }
}
