using Microsoft.Playwright;
using Sockeye.Chat.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sockeye.Chat.Browser.Tests;

[Collection(BrowserCollectionDefinition.Name)]
public sealed class ChatTests(BrowserFixture browser)
{
    [Fact]
    public async Task Two_users_chat_both_ways_and_the_history_is_there_after_a_reload()
    {
        await using var service = await ChatService.StartAsync();
        await using var alice = await ChatPage.SignInAsync(browser.Browser, service, "alice");
        await using var bob = await ChatPage.SignInAsync(browser.Browser, service, "bob");

        await Expect(alice.Page.GetByTestId("notice").Filter(new() { HasText = "bob joined" })).ToBeVisibleAsync();
        await Expect(alice.Page.GetByTestId("presence")).ToContainTextAsync("bob");

        await alice.SendAsync("Morning Bob! Did the release go out?");
        await bob.ExpectMessageAsync("Morning Bob! Did the release go out?", "received");
        await alice.ExpectMessageAsync("Morning Bob! Did the release go out?", "sent");

        await bob.SendAsync("It did. Canary looks healthy.\nRolling out to everyone at noon.");
        await alice.ExpectMessageAsync("It did. Canary looks healthy.\nRolling out to everyone at noon.", "received");
        await alice.SendAsync("Great, thanks — ship it!");
        await bob.ExpectMessageAsync("Great, thanks — ship it!");
        await alice.ScreenshotAsync("chat-two-users-alice");
        await bob.ScreenshotAsync("chat-two-users-bob");

        await alice.Page.ReloadAsync();
        await alice.ExpectConnectedAsync();
        await alice.ExpectMessageAsync("Morning Bob! Did the release go out?", "sent");
        await alice.ExpectMessageAsync("It did. Canary looks healthy.\nRolling out to everyone at noon.", "received");
        await alice.ExpectMessageAsync("Great, thanks — ship it!", "sent");
        await Expect(alice.Messages).ToHaveCountAsync(3);
        await alice.ScreenshotAsync("chat-after-reload");
    }

    [Fact]
    public async Task Messages_of_a_joined_room_reach_only_its_members_and_the_room_has_an_address()
    {
        await using var service = await ChatService.StartAsync();
        await using var alice = await ChatPage.SignInAsync(browser.Browser, service, "alice");
        await using var bob = await ChatPage.SignInAsync(browser.Browser, service, "bob");

        foreach (var page in new[] { alice, bob })
        {
            await page.Page.GetByLabel("Join a room").FillAsync("release-42");
            await page.Page.GetByLabel("Join a room").PressAsync("Enter");
            await Expect(page.Page).ToHaveURLAsync(new Uri(service.BaseAddress, "/rooms/release-42").ToString());
        }

        await alice.SendAsync("Only for the release room");
        await bob.ExpectMessageAsync("Only for the release room");
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "# chat" }).ClickAsync();
        await Expect(bob.Messages).ToHaveCountAsync(0);

        await alice.Page.ReloadAsync();
        await alice.ExpectConnectedAsync();
        await Expect(alice.Page.GetByRole(AriaRole.Button, new() { Name = "# release-42" })).ToHaveAttributeAsync("aria-current", "page");
        await alice.ExpectMessageAsync("Only for the release room", "sent");
        await alice.ScreenshotAsync("chat-joined-room");
    }
}
