using Spectre.Console;

namespace RightSize.Cli.Display;

/// <summary>The stages of one <see cref="ProgressDisplay.Run{T}"/>; silent when there is no terminal to draw on.</summary>
public sealed class ProgressBoard
{
    private readonly ProgressContext? _context;
    private readonly Lock _gate = new();

    internal ProgressBoard(ProgressContext? context) => _context = context;

    internal static ProgressBoard Silent { get; } = new(null);

    /// <summary>Adds a stage of <paramref name="total"/> units, shown as <paramref name="description"/>.</summary>
    public ProgressStage Add(string description, double total) =>
        new(this, _context?.AddTask(Markup.Escape(description), maxValue: total));

    /// <summary>Applies <paramref name="change"/> and redraws; reports may come from several threads.</summary>
    internal void Update(Action change)
    {
        if (_context is null) return;
        lock (_gate)
        {
            change();
            _context.Refresh();
        }
    }
}
