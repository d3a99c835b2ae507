using Spectre.Console;

namespace RightSize.Cli;

/// <summary>What every command writes to and reads the time from; tests pass their own writers.</summary>
public sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, TimeProvider time)
    {
        Output = output;
        Error = error;
        Time = time;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = ReferenceEquals(output, System.Console.Out) ? AnsiSupport.Detect : AnsiSupport.No,
            Interactive = ReferenceEquals(output, System.Console.Out) ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (Console.Profile.Width < 140) Console.Profile.Width = 140;
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public TimeProvider Time { get; }

    /// <summary>Spectre console over <see cref="Output"/> (plain text when it is not the terminal).</summary>
    public IAnsiConsole Console { get; }
}
