using Spectre.Console;

namespace SafeStream.Migrate.Cli;

/// <summary>Where the tool writes: a Spectre console for results, a plain writer for errors; and where it reads a secret from.</summary>
internal sealed record ToolConsole(IAnsiConsole Out, TextWriter Error)
{
    /// <summary>Standard input (a password given with <c>--to-password-stdin</c>).</summary>
    public TextReader In { get; init; } = Console.In;

    /// <summary>Progress bars only make sense on a terminal; redirected output gets plain progress lines.</summary>
    public bool IsTerminal => Out.Profile.Capabilities.Interactive;

    public static ToolConsole System() => new(Unwrapped(AnsiConsole.Console), Console.Error);

    /// <summary>A console without colours or animation that writes to <paramref name="writer"/> (tests, files).</summary>
    public static ToolConsole Plain(TextWriter writer, TextWriter? error = null, TextReader? input = null) => new(
        Unwrapped(AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        })),
        error ?? writer)
    {
        In = input ?? TextReader.Null,
    };

    // A file or a pipe has no width: tables are not squeezed into the 80 columns Spectre assumes for them.
    private static IAnsiConsole Unwrapped(IAnsiConsole console)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            console.Profile.Width = 240;
        }

        return console;
    }

    /// <summary>
    /// One line of plain text as is: never parsed as markup (file names and raw lines contain brackets) and never
    /// wrapped at the console width, so scripts can read it.
    /// </summary>
    public void Line(string text) => Out.Profile.Out.Writer.WriteLine(text);
}
