using Microsoft.Playwright;
using Sockeye.Chat.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Sockeye.Chat.Browser.Tests;

[Collection(BrowserCollectionDefinition.Name)]
public sealed class LayoutTests(BrowserFixture browser)
{
    [Fact]
    public async Task At_360_px_nothing_scrolls_sideways_long_words_wrap_and_the_rooms_open_from_the_menu()
    {
        await using var service = await ChatService.StartAsync();
        await using var alice = await ChatPage.SignInAsync(browser.Browser, service, "alice", width: 360, height: 740);
        var longWord = "Supercalifragilisticexpialidocious" + new string('o', 120) + "-https://example.invalid/" + new string('x', 80);

        await alice.SendAsync(longWord);
        await alice.SendAsync("Short one.\nWith a second line.");
        await alice.ExpectMessageAsync(longWord, "sent");

        var overflow = await alice.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.Equal(0, overflow);
        var bubble = await alice.Message(longWord).BoundingBoxAsync();
        Assert.NotNull(bubble);
        Assert.True(bubble.X + bubble.Width <= 360, $"The bubble ends at {bubble.X + bubble.Width} px.");
        await alice.ScreenshotAsync("layout-360px");

        var menu = alice.Page.GetByRole(AriaRole.Button, new() { Name = "Rooms" });
        await menu.ClickAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(alice.Page.GetByLabel("Join a room")).ToBeVisibleAsync();
        await alice.ScreenshotAsync("layout-360px-rooms");
    }

    [Fact]
    public async Task The_chat_works_from_the_keyboard_alone()
    {
        await using var service = await ChatService.StartAsync();
        await using var alice = await ChatPage.SignInAsync(browser.Browser, service, "alice");

        await alice.Composer.FocusAsync();
        await alice.Page.Keyboard.TypeAsync("First line");
        await alice.Page.Keyboard.PressAsync("Shift+Enter");
        await alice.Page.Keyboard.TypeAsync("second line");
        await alice.Page.Keyboard.PressAsync("Enter");

        await alice.ExpectMessageAsync("First line\nsecond line", "sent");
        await Expect(alice.Composer).ToHaveValueAsync(string.Empty);
        await Expect(alice.Composer).ToBeFocusedAsync();

        await alice.Page.GetByLabel("Join a room").FocusAsync();
        await alice.Page.Keyboard.TypeAsync("ops");
        await alice.Page.Keyboard.PressAsync("Enter");
        await Expect(alice.Page.GetByRole(AriaRole.Button, new() { Name = "# ops" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(alice.Page.GetByRole(AriaRole.Log, new() { Name = "Messages in #ops" })).ToBeVisibleAsync();
        await alice.ScreenshotAsync("layout-keyboard");
    }
}
