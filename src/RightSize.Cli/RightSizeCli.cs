using System.CommandLine;
using RightSize.Classification;
using RightSize.Cli.Commands;
using RightSize.Cli.Output;
using RightSize.Training.Data;

namespace RightSize.Cli;

/// <summary>The <c>rightsize</c> command tree; <see cref="Run"/> is what <c>Main</c> and the tests call.</summary>
public static class RightSizeCli
{
    public static RootCommand CreateRoot(CliContext context)
    {
        var root = new RootCommand("RightSize: train, evaluate and calibrate the difficulty classifier.");
        root.Subcommands.Add(TrainCommand.Create(context));
        root.Subcommands.Add(EvalCommand.Create(context));
        root.Subcommands.Add(ScoreCommand.Create(context));
        root.Subcommands.Add(CalibrateCommand.Create(context));
        return root;
    }

    /// <param name="args">The command line.</param>
    /// <param name="output">stdout.</param>
    /// <param name="error">stderr.</param>
    /// <param name="time">The clock.</param>
    /// <param name="errorIsTerminal">Whether stderr is a terminal (progress is drawn only then).</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider time, bool errorIsTerminal = false)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(output, error, time, errorIsTerminal);
        var parsed = CreateRoot(context).Parse(args);

        // A usage error prints the errors, then the help: both on stderr, so that stdout, which a
        // script may be reading, stays empty. The help asked for (--help) goes to stdout.
        var help = parsed.Errors.Count > 0 ? error : output;
        return parsed.Invoke(new InvocationConfiguration { Output = help, Error = error, EnableDefaultExceptionHandler = false });
    }

    /// <summary>
    /// Runs a command body and turns the expected failures into one line on stderr and an exit
    /// code; anything else (a bug) still gives one line, and <see cref="ExitCodes.Unexpected"/>.
    /// </summary>
    internal static int Guard(CliContext context, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (RoutingDataException ex)
        {
            context.Error.WriteLine("error: " + OneLine(ex.Message)); // names from the data may hold line breaks
            return ExitCodes.BadData;
        }
        catch (ClassifierModelException ex)
        {
            context.Error.WriteLine("error: " + OneLine(ex.Message));
            return ExitCodes.BadModel;
        }
        catch (IOException ex) when (BrokenPipe.Is(ex))
        {
            // stdout's reader has gone (| head -1): stop, say nothing (it is not an error of the
            // input), and exit as a shell reports a command killed by SIGPIPE.
            return ExitCodes.BrokenPipe;
        }
        catch (IOException ex)
        {
            context.Error.WriteLine("error: " + OneLine(ex.Message));
            return ExitCodes.BadData;
        }
        catch (UnauthorizedAccessException ex)
        {
            context.Error.WriteLine("error: " + OneLine(ex.Message));
            return ExitCodes.BadData;
        }
#pragma warning disable CA1031 // The last resort: inputs are validated above, so this is a bug; still one line, not a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            context.Error.WriteLine($"error: unexpected {ex.GetType().Name}: {OneLine(ex.Message)}");
            return ExitCodes.Unexpected;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
