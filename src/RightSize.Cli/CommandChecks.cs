using System.CommandLine;
using System.CommandLine.Parsing;

namespace RightSize.Cli;

/// <summary>Cross-option checks of a command, run only on values that parse.</summary>
internal static class CommandChecks
{
    /// <summary>
    /// Adds <paramref name="check"/> as a validator of <paramref name="command"/>. System.CommandLine
    /// runs a command's validators before it converts the option values, and <c>GetValue</c> on a
    /// value that does not convert (<c>--epochs abc</c>, <c>--quality</c> with no value) throws
    /// (dotnet/command-line-api#2645, #2779). Such a value is left to the parser, which reports it
    /// as a usage error naming the option.
    /// </summary>
    public static void AddCheck(this Command command, Action<CommandResult> check)
    {
        command.Validators.Add(result =>
        {
            try
            {
                check(result);
            }
            catch (InvalidOperationException)
            {
                // A value that does not parse: the parser's own error says which.
            }
        });
    }

    /// <summary>
    /// Refuses an empty or blank value (<c>--data ""</c>, as a script passes an unset variable) as
    /// a usage error naming the option, rather than letting it reach the file system.
    /// </summary>
    public static Option<T> NotBlank<T>(this Option<T> option)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Any(token => string.IsNullOrWhiteSpace(token.Value))) result.AddError($"{option.Name} needs a path, not an empty value.");
        });
        return option;
    }
}
