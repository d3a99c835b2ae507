using RightSize.Cli.Output;

namespace RightSize.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var output = StandardOutput.Open();
        try
        {
            return RightSizeCli.Run(args, output, Console.Error, TimeProvider.System, errorIsTerminal: !Console.IsErrorRedirected);
        }
        catch (IOException ex) when (BrokenPipe.Is(ex))
        {
            return ExitCodes.BrokenPipe; // outside a command (the help): quiet, as inside one
        }
    }
}
