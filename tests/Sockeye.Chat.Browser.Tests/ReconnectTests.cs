using Sockeye.Chat.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sockeye.Chat.Browser.Tests;

[Collection(BrowserCollectionDefinition.Name)]
public sealed class ReconnectTests(BrowserFixture browser)
{
    [Fact]
    public async Task After_the_server_is_killed_and_restarted_both_pages_reconnect_and_a_message_typed_meanwhile_is_delivered_once()
    {
        await using var service = await ChatService.StartAsync();
        await using var alice = await ChatPage.SignInAsync(browser.Browser, service, "alice");
        await using var bob = await ChatPage.SignInAsync(browser.Browser, service, "bob");
        await alice.SendAsync("Before the crash");
        await bob.ExpectMessageAsync("Before the crash");

        await service.KillAsync();

        foreach (var page in new[] { alice, bob })
        {
            await Expect(page.ConnectionPill).ToHaveAttributeAsync("data-status", "reconnecting");
            await Expect(page.ConnectionBanner).ToContainTextAsync("Reconnecting: attempt");
        }

        await alice.SendAsync("Typed while the server was down");
        await alice.ExpectMessageAsync("Typed while the server was down", "sending");
        await Expect(alice.ConnectionBanner).ToContainTextAsync("1 message will be sent when the connection is back");
        await alice.ScreenshotAsync("reconnect-while-down");

        await service.RestartAsync();

        await alice.ExpectConnectedAsync();
        await bob.ExpectConnectedAsync();
        await alice.ExpectMessageAsync("Typed while the server was down", "sent");
        await bob.ExpectMessageAsync("Typed while the server was down", "received");

        // Exactly once: on screen after everything settled, and in the database.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Expect(bob.Message("Typed while the server was down")).ToHaveCountAsync(1);
        await Expect(alice.Message("Typed while the server was down")).ToHaveCountAsync(1);
        Assert.Single(await service.StoredMessagesAsync("chat", "Typed while the server was down"));
        await Expect(bob.Messages).ToHaveCountAsync(2);
        await alice.ScreenshotAsync("reconnect-after-restart-alice");
        await bob.ScreenshotAsync("reconnect-after-restart-bob");
    }

    [Fact]
    public async Task Messages_sent_while_a_page_was_away_are_filled_in_after_it_reconnects()
    {
        await using var service = await ChatService.StartAsync();
        await using var alice = await ChatPage.SignInAsync(browser.Browser, service, "alice");
        await using var bob = await ChatPage.SignInAsync(browser.Browser, service, "bob");

        await bob.Page.Context.SetOfflineAsync(true);
        await Expect(bob.ConnectionPill).Not.ToHaveAttributeAsync("data-status", "connected");
        await alice.SendAsync("One while Bob was offline");
        await alice.SendAsync("Two while Bob was offline");
        await alice.ExpectMessageAsync("Two while Bob was offline", "sent");
        await bob.Page.Context.SetOfflineAsync(false);

        await bob.ExpectConnectedAsync();
        await bob.ExpectMessageAsync("One while Bob was offline");
        await bob.ExpectMessageAsync("Two while Bob was offline");
        await bob.ScreenshotAsync("reconnect-sync");
    }
}
