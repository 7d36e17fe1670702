using Sockeye.Chat.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sockeye.Chat.Browser.Tests;

[Collection(BrowserCollectionDefinition.Name)]
public sealed class TextRenderingTests(BrowserFixture browser)
{
    [Fact]
    public async Task Markup_in_a_message_is_shown_as_text_and_never_run()
    {
        const string Markup = "<img src=x onerror=alert(1)> <b>not bold</b> <script>alert(2)</script>";
        await using var service = await ChatService.StartAsync();
        await using var alice = await ChatPage.SignInAsync(browser.Browser, service, "alice");
        await using var bob = await ChatPage.SignInAsync(browser.Browser, service, "bob");

        await alice.SendAsync(Markup);

        foreach (var page in new[] { bob, alice })
        {
            await page.ExpectMessageAsync(Markup);
            await Expect(page.Page.Locator(".messages img, .messages b, .messages script")).ToHaveCountAsync(0);
        }

        await bob.Page.ReloadAsync();
        await bob.ExpectMessageAsync(Markup);
        await Expect(bob.Page.Locator(".messages img")).ToHaveCountAsync(0);
        Assert.Empty(alice.Dialogs);
        Assert.Empty(bob.Dialogs);
        await bob.ScreenshotAsync("text-markup-as-text");
    }
}
