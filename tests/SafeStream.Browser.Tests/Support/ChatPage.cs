using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SafeStream.Browser.Tests.Support;

/// <summary>The viewer chat page, driven as a viewer would: by labels and buttons.</summary>
public sealed class ChatPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Messages => Page.Locator("#messages li");

    public ILocator Connection => Page.Locator("#connection");

    public ILocator Banner => Page.Locator("#banner");

    public async Task RegisterAsync(string username, string password = SafeStreamApp.Password)
    {
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Create account" }).ClickAsync();
        await FillAndSubmitAsync(username, password, "Create account");
    }

    public Task SignInAsync(string username, string password = SafeStreamApp.Password) => FillAndSubmitAsync(username, password, "Sign in");

    public async Task SayAsync(string text)
    {
        await Page.GetByLabel("Message").FillAsync(text);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
    }

    /// <summary>The one chat line by <paramref name="user"/> that says exactly <paramref name="text"/>.</summary>
    public ILocator Line(string user, string text) =>
        Messages.Filter(new() { Has = Page.Locator(".author", new() { HasTextString = user }) })
            .Filter(new() { Has = Page.Locator(".text").GetByText(text, new() { Exact = true }) });

    private async Task FillAndSubmitAsync(string username, string password, string button)
    {
        var form = Page.Locator("#auth");
        await form.GetByLabel("Username").FillAsync(username);
        await form.GetByLabel("Password").FillAsync(password);
        await Page.Locator("#auth-submit").GetByText(button).ClickAsync();
        await Expect(Connection).ToHaveTextAsync("Connected");
    }
}
