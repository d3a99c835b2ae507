using System.Text.RegularExpressions;

namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>The environment the runtime stage of deploy/docker/Dockerfile sets with <c>ENV</c> (what <c>docker run</c> starts with).</summary>
public static partial class ImageEnvironment
{
    /// <summary>Every <c>NAME=value</c> pair of the Dockerfile's <c>ENV</c> instructions after the last <c>FROM</c>.</summary>
    public static Dictionary<string, string> Read()
    {
        var lines = File.ReadAllLines(Repository.PathOf("deploy", "docker", "Dockerfile"));
        var runtime = Array.FindLastIndex(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var inEnv = false;
        foreach (var line in lines.Skip(runtime + 1))
        {
            var text = line.Trim();
            if (text.StartsWith("ENV ", StringComparison.Ordinal))
            {
                inEnv = true;
                text = text[4..];
            }
            else if (!inEnv)
            {
                continue;
            }

            foreach (Match pair in Pair().Matches(text)) environment[pair.Groups["name"].Value] = pair.Groups["value"].Value;
            inEnv = text.EndsWith('\\');
        }

        Assert.NotEmpty(environment);
        return environment;
    }

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>[^\s\\]*)")]
    private static partial Regex Pair();
}
