using System.Xml.Linq;
using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Docker;

/// <summary>
/// No Docker engine runs here, so the Dockerfile is checked as text against what the tests run:
/// the same publish script and entrypoint, and a restore layer that copies every project the gateway needs.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Repository.PathOf("deploy", "docker", "Dockerfile"));

    [Fact]
    public void RestoreLayer_GatewayProjectClosure_EveryProjectFileCopiedBeforeRestore()
    {
        var restore = Array.FindIndex(Lines, l => l.Contains("publish.sh --restore-only", StringComparison.Ordinal));
        Assert.True(restore > 0, "no RUN ... publish.sh --restore-only");
        var copied = Lines.Take(restore).Where(l => l.StartsWith("COPY ", StringComparison.Ordinal)).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)).ToHashSet(StringComparer.Ordinal);

        foreach (var project in ProjectClosure(Repository.PathOf("src", "RightSize.Gateway", "RightSize.Gateway.csproj")))
        {
            Assert.Contains(Path.GetRelativePath(Repository.Root, project).Replace('\\', '/'), copied);
        }

        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "deploy/docker/publish.sh" })
        {
            Assert.Contains(file, copied);
        }
    }

    [Fact]
    public void Stages_PublishScriptEntrypointAndUser_MatchWhatTheTestsRun()
    {
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", Lines);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime", Lines);
        Assert.Contains("RUN bash deploy/docker/publish.sh /app", Lines);
        Assert.Contains("WORKDIR /app", Lines);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/app/RightSize.Gateway.dll\"]", Lines);
        Assert.Contains("USER 1654", Lines);
        Assert.Contains(Lines, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal) && l.Contains("rightsize-healthcheck", StringComparison.Ordinal));
        Assert.Contains(Lines, l => l.Contains("COPY deploy/docker/healthcheck.sh /usr/local/bin/rightsize-healthcheck", StringComparison.Ordinal));
        Assert.Contains(Lines, l => l.Contains("RIGHTSIZE_CONFIG_DIR=/etc/rightsize", StringComparison.Ordinal));
        Assert.Contains(Lines, l => l.Contains("ASPNETCORE_HTTP_PORTS=8080", StringComparison.Ordinal));
    }

    [Fact]
    public void BuildSettings_FloatingSdkImage_AnalysisLevelPinnedToAVersion()
    {
        // The build stage's SDK image floats, and warnings are errors: "latest" would let a newer SDK's
        // analyzer rules break the image build with no source change.
        var props = XDocument.Load(Repository.PathOf("Directory.Build.props"));
        Assert.Equal("true", props.Descendants("TreatWarningsAsErrors").Single().Value);
        var level = System.Text.RegularExpressions.Regex.Match(props.Descendants("AnalysisLevel").Single().Value, @"^(?<major>\d+)\.0-recommended$");
        Assert.True(level.Success, "AnalysisLevel is not a pinned version such as 10.0-recommended");
        var sdk = System.Text.RegularExpressions.Regex.Match(Lines.Single(l => l.EndsWith(" AS build", StringComparison.Ordinal)), @"/sdk:(?<major>\d+)\.");
        Assert.Equal(sdk.Groups["major"].Value, level.Groups["major"].Value); // the level of the SDK the image builds with
    }

    [Fact]
    public void DockerIgnore_SendsSourcesModelAndScriptsButNoBuildOutput()
    {
        var ignore = File.ReadAllLines(Repository.PathOf(".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.Equal("*", ignore[0]);
        foreach (var kept in new[] { "!src/", "!models/", "!deploy/docker/", "!global.json", "!Directory.Build.props", "!Directory.Packages.props", "!BannedSymbols.txt" })
        {
            Assert.Contains(kept, ignore);
        }

        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }

    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current)) continue;
            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', '/');
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, include)));
            }
        }

        return seen;
    }
}
