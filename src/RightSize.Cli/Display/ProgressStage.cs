using Spectre.Console;

namespace RightSize.Cli.Display;

/// <summary>One stage of a <see cref="ProgressBoard"/>; every method is a no-op when nothing is drawn.</summary>
public sealed class ProgressStage
{
    private readonly ProgressBoard _board;
    private readonly ProgressTask? _task;

    internal ProgressStage(ProgressBoard board, ProgressTask? task)
    {
        _board = board;
        _task = task;
    }

    /// <summary>Sets the units done, and optionally a new total (a stage can learn its size late) and description.</summary>
    public void Report(double done, double? total = null, string? description = null)
    {
        if (_task is not { } task) return;
        _board.Update(() =>
        {
            if (total is { } max) task.MaxValue = max;
            task.Value = done;
            if (description is not null) task.Description = Markup.Escape(description);
        });
    }
}
