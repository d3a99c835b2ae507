using System.Diagnostics;

namespace RightSize.Features.Tests;

/// <summary>
/// The extractor has an AVX-512, an AVX2 and a scalar path for the same output. A test host has one
/// CPU, so the other paths run only in part (tails of a segment) in the ordinary test run. These
/// tests run <see cref="ExtractionEquivalenceTests"/> again in a child process of this test assembly
/// with the wider vector instruction sets switched off (the runtime's <c>DOTNET_Enable*</c>
/// settings), so every path must give the same pinned, bit-exact output: a model trained on one
/// machine gives the same features on any other.
/// </summary>
public class OtherInstructionSetTests
{
    public static TheoryData<string, string, int> Settings => new()
    {
        { "DOTNET_EnableAVX512", "0", 256 },
        { "DOTNET_EnableAVX2", "0", 128 },
        { "DOTNET_EnableHWIntrinsic", "0", 0 },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task ExtractionEquivalence_WithWiderVectorsOff_GivesTheSameFingerprints(string variable, string value, int widestBits)
    {
        if (ExtractionEquivalenceTests.WidestVectorBits <= widestBits)
        {
            Assert.Skip($"This machine's widest vectors are {ExtractionEquivalenceTests.WidestVectorBits} bits: the ordinary run already takes the {widestBits}-bit path.");
        }

        var (exitCode, output) = await RunEquivalenceTestsAsync(variable, value);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        Assert.Contains($"widest vector: {widestBits} bits", output, StringComparison.Ordinal);
        Assert.DoesNotContain($"widest vector: {ExtractionEquivalenceTests.WidestVectorBits} bits", output, StringComparison.Ordinal);
        Assert.Contains($"Total: {ExtractionEquivalenceTests.OptionSets.Count}, Errors: 0, Failed: 0, Skipped: 0", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunEquivalenceTestsAsync(string variable, string value)
    {
        var assembly = typeof(ExtractionEquivalenceTests).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        foreach (var argument in (string[])[assembly, "-class", typeof(ExtractionEquivalenceTests).FullName!, "-diagnostics", "-noColor", "-noLogo"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[variable] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }

    /// <summary>The dotnet host running the tests (DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
