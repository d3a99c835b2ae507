using RightSize.Cli.Display;
using Spectre.Console;

namespace RightSize.Cli;

/// <summary>What every command writes to and reads the time from; tests pass their own writers.</summary>
public sealed class CliContext
{
    /// <param name="output">stdout: results only (tables, JSON, snippets).</param>
    /// <param name="error">stderr: errors, warnings, notes, summaries, and progress.</param>
    /// <param name="time">The clock (the manifest's creation time).</param>
    /// <param name="errorIsTerminal">Whether <paramref name="error"/> is a terminal; progress is drawn only then.</param>
    public CliContext(TextWriter output, TextWriter error, TimeProvider time, bool errorIsTerminal = false)
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
        Progress = errorIsTerminal ? ProgressDisplay.On(AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(error),
            Ansi = ReferenceEquals(error, System.Console.Error) ? AnsiSupport.Detect : AnsiSupport.No,
            Interactive = InteractionSupport.Yes,
        })) : ProgressDisplay.None;
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public TimeProvider Time { get; }

    /// <summary>Spectre console over <see cref="Output"/> (plain text when it is not the terminal).</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Progress of the long steps: on stderr when it is a terminal, nowhere otherwise.</summary>
    public ProgressDisplay Progress { get; }
}
