using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Sockeye.Chat.Browser.Tests.Infrastructure;

/// <summary>One person using the web client: a browser context of their own, signed in through the login form.</summary>
public sealed class ChatPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    private ChatPage(IBrowserContext context, IPage page, string user)
    {
        _context = context;
        Page = page;
        User = user;
        page.Dialog += (_, dialog) =>
        {
            Dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
    }

    public IPage Page { get; }

    public string User { get; }

    /// <summary>Messages of every <c>alert()</c>/<c>confirm()</c> the page opened: none, ever.</summary>
    public List<string> Dialogs { get; } = [];

    public ILocator ConnectionPill => Page.GetByTestId("connection");

    public ILocator ConnectionBanner => Page.GetByTestId("connection-banner");

    public ILocator Composer => Page.GetByRole(AriaRole.Textbox, new() { Name = "Message #" });

    public ILocator Messages => Page.GetByTestId("message");

    /// <summary>Opens the client in a new context, lets <paramref name="prepare"/> set routes first, and signs in.</summary>
    public static async Task<ChatPage> SignInAsync(
        IBrowser browser,
        ChatService service,
        string user,
        int width = 1100,
        int height = 720,
        Func<IPage, Task>? prepare = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = service.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "Europe/London",
        });
        var page = await context.NewPageAsync();
        var chat = new ChatPage(context, page, user);
        if (prepare is not null)
        {
            await prepare(page);
        }

        await page.GotoAsync("/");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await chat.ExpectConnectedAsync();
        return chat;
    }

    /// <summary>Waits until the page is connected and the open room's messages are loaded.</summary>
    public async Task ExpectConnectedAsync()
    {
        await Expect(ConnectionPill).ToHaveAttributeAsync("data-status", "connected");
        await Expect(Page.GetByRole(AriaRole.Log)).ToHaveAttributeAsync("aria-busy", "false");
    }

    /// <summary>Types a message and presses Enter, as a person does.</summary>
    public async Task SendAsync(string text)
    {
        await Composer.FillAsync(text);
        await Composer.PressAsync("Enter");
    }

    /// <summary>The message bubbles whose text is exactly <paramref name="text"/>.</summary>
    public ILocator Message(string text) =>
        Messages.Filter(new() { Has = Page.GetByTestId("message-text").GetByText(text, new() { Exact = true }) });

    /// <summary>Waits until exactly one bubble shows <paramref name="text"/> (in <paramref name="state"/> when given).</summary>
    public async Task ExpectMessageAsync(string text, string? state = null)
    {
        var message = Message(text);
        await Expect(message).ToHaveCountAsync(1);
        if (state is not null)
        {
            await Expect(message).ToHaveAttributeAsync("data-state", state);
        }
    }

    /// <summary>Saves what the user sees into .artifacts/screenshots/{name}.png.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(Repository.ScreenshotDirectory);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.ScreenshotDirectory, $"{name}.png") });
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
