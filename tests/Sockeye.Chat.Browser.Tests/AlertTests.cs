using Microsoft.Playwright;
using Sockeye.Chat.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sockeye.Chat.Browser.Tests;

[Collection(BrowserCollectionDefinition.Name)]
public sealed class AlertTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_admin_broadcast_shows_the_alert_banner_until_it_is_dismissed()
    {
        await using var service = await ChatService.StartAsync();
        await using var alice = await ChatPage.SignInAsync(browser.Browser, service, "alice");

        await service.BroadcastAsync("Maintenance tonight at 22:00 UTC: expect a short reconnect.");

        var banner = alice.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Announcement" });
        await Expect(banner).ToContainTextAsync("Maintenance tonight at 22:00 UTC: expect a short reconnect.");
        await alice.ScreenshotAsync("alert-banner");

        await banner.GetByRole(AriaRole.Button, new() { Name = "Dismiss the announcement" }).ClickAsync();
        await Expect(banner).ToHaveCountAsync(0);
    }
}
