using Microsoft.Playwright;
using Sockeye.Chat.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sockeye.Chat.Browser.Tests;

[Collection(BrowserCollectionDefinition.Name)]
public sealed class TransportFallbackTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_page_whose_WebSocket_is_blocked_falls_back_to_long_polling_and_still_chats()
    {
        await using var service = await ChatService.StartAsync();
        await using var bob = await ChatPage.SignInAsync(browser.Browser, service, "bob", prepare: BlockWebSocketAsync);
        await using var alice = await ChatPage.SignInAsync(browser.Browser, service, "alice");

        await Expect(bob.ConnectionPill).ToHaveAttributeAsync("data-transport", "polling");
        await Expect(bob.ConnectionPill).ToContainTextAsync("long-polling");
        await Expect(alice.ConnectionPill).ToHaveAttributeAsync("data-transport", "websocket");
        Assert.True(await bob.Page.EvaluateAsync<int>("() => window.__blockedWebSockets ?? 0") > 0, "The page never tried a WebSocket.");

        await alice.SendAsync("Can you read me over polling?");
        await bob.ExpectMessageAsync("Can you read me over polling?");
        await bob.SendAsync("Loud and clear.");
        await alice.ExpectMessageAsync("Loud and clear.");
        await bob.ExpectMessageAsync("Loud and clear.", "sent");
        await bob.ScreenshotAsync("transport-polling-fallback");
    }

    /// <summary>
    /// Makes the page's WebSocket handshakes to /socket.io/ fail, as behind a proxy that refuses upgrades: they go to a
    /// closed loopback port, so the browser reports an error and a close, as for a refused upgrade. Not with
    /// <c>page.RouteAsync</c> aborting <c>transport=websocket</c>, nor with Chromium's request blocking: neither sees
    /// WebSocket handshakes, and the page connected over WebSocket regardless.
    /// </summary>
    private static Task BlockWebSocketAsync(IPage page) => page.AddInitScriptAsync("""
        (() => {
          const Native = window.WebSocket;
          window.WebSocket = class extends Native {
            constructor(url, protocols) {
              super(String(url).includes("/socket.io/") ? "ws://127.0.0.1:9/blocked" : url, protocols);
              window.__blockedWebSockets = (window.__blockedWebSockets ?? 0) + 1;
            }
          };
        })();
        """);
}
