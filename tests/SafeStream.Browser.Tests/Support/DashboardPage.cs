using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SafeStream.Browser.Tests.Support;

/// <summary>The moderator dashboard, driven as a moderator would.</summary>
public sealed class DashboardPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Feed => Page.Locator("#feed li");

    public ILocator Outcome => Page.Locator("#outcome");

    public ILocator Live => Page.Locator("#live");

    public async Task SignInAsync(string username = SafeStreamApp.Admin, string password = SafeStreamApp.Password)
    {
        var form = Page.Locator("#signin");
        await form.GetByLabel("Username").FillAsync(username);
        await form.GetByLabel("Password").FillAsync(password);
        await form.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Signs in and waits until the live feed has caught up, so what is said next arrives live.</summary>
    public async Task OpenAsAdminAsync()
    {
        await SignInAsync();
        await Expect(Live).ToHaveTextAsync("Live");
    }

    public ILocator Row(string text) => Feed.Filter(new() { Has = Page.Locator(".text").GetByText(text, new() { Exact = true }) });

    /// <summary>Answers the confirmation dialog of an action that was just started.</summary>
    public async Task ConfirmAsync(string title)
    {
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync(title);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
    }

    /// <summary>Waits until the toasts are gone, so a screenshot shows the dashboard, not the last outcome.</summary>
    public Task ScreenshotReadyAsync() => Expect(Page.Locator("#toasts .toast")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
}
