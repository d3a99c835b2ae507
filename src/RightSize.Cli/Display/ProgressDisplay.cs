using Spectre.Console;

namespace RightSize.Cli.Display;

/// <summary>
/// Progress bars for the long steps (training, and scoring in eval), drawn on stderr when stderr is a
/// terminal and not drawn at all otherwise: stdout carries only results (a table, JSON), so
/// <c>rightsize eval --json &gt; figures.json</c> gives a file <c>json.load</c> reads, and a log
/// of stderr gets no lines of percentages.
/// </summary>
/// <remarks>
/// The display is redrawn on each report rather than on a timer (Spectre's auto refresh is off),
/// so what it draws does not depend on how long a step takes.
/// </remarks>
public sealed class ProgressDisplay
{
    private readonly IAnsiConsole? _terminal;

    private ProgressDisplay(IAnsiConsole? terminal) => _terminal = terminal;

    /// <summary>No progress at all: stderr is a file or a pipe.</summary>
    public static ProgressDisplay None { get; } = new(null);

    /// <summary>Progress drawn on <paramref name="terminal"/>, a console over stderr.</summary>
    public static ProgressDisplay On(IAnsiConsole terminal)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        return new ProgressDisplay(terminal);
    }

    /// <summary>Runs <paramref name="body"/>, which adds its stages to the board and reports on them.</summary>
    public T Run<T>(Func<ProgressBoard, T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (_terminal is null) return body(ProgressBoard.Silent);
        return _terminal.Progress().AutoRefresh(false).Start(context => body(new ProgressBoard(context)));
    }
}
