namespace RightSize.Cli.Tests;

/// <summary>The real <c>rightsize</c> program, for tests that run it as a process of its own.</summary>
internal static class CliProgram
{
    /// <summary>The program and its arguments, first the dotnet host running the tests (DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string[] Command(params string[] arguments) => [DotnetHost(), Path.Combine(AppContext.BaseDirectory, "rightsize.dll"), .. arguments];

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
