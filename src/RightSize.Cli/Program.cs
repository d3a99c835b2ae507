namespace RightSize.Cli;

public static class Program
{
    public static int Main(string[] args) => RightSizeCli.Run(args, Console.Out, Console.Error, TimeProvider.System, errorIsTerminal: !Console.IsErrorRedirected);
}
