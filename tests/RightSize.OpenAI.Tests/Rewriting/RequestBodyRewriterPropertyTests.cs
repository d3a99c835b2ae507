using System.Globalization;
using System.Text;
using RightSize.OpenAI.Rewriting;

namespace RightSize.OpenAI.Tests.Rewriting;

// Generates bodies full of vendor fields, escapes, odd numbers and whitespace, and checks that the
// rewrite equals the same body built with the new model: every other byte must survive.
public class RequestBodyRewriterPropertyTests
{
    private static readonly string[] Spaces = ["", " ", "\n", "\t", "\r\n  "];

    private static readonly string[] Strings =
    [
        "\"plain\"", "\"caf\\u00e9\"", "\"\\ud83d\\ude00\"", "\"tab\\there\"", "\"quote\\\"s\\\\\"", "\"\"", "\"model\"", "\"ü€😀\"",
    ];

    private static readonly string[] Numbers = ["0", "-0", "1.50", "1e10", "-2.5E-3", "12345678901234567890", "0.000"];

    [Fact]
    public void Rewrite_RandomVendorBodies_ChangeOnlyTheModelValue()
    {
        var random = new Random(20250101);
        for (var i = 0; i < 500; i++)
        {
            var members = Enumerable.Range(0, random.Next(0, 8)).Select(_ => Member(random, depth: 0)).ToList();
            var modelAt = random.Next(members.Count + 1);
            var oldModel = random.Next(3) switch { 0 => "\"auto\"", 1 => "null", _ => "\"gpt\\u002d4o\"" };
            var template = Build(random, members, modelAt);
            var input = template.Replace("@MODEL@", oldModel, StringComparison.Ordinal);
            var expected = template.Replace("@MODEL@", "\"small-model\"", StringComparison.Ordinal);

            var output = RewriterTestSupport.RewriteToArray(Encoding.UTF8.GetBytes(input), "small-model", ensureIncludeUsage: true, out var result);

            Assert.Equal(expected, Encoding.UTF8.GetString(output));
            Assert.False(result.IncludeUsageAdded);
        }
    }

    private static string Build(Random random, List<string> members, int modelAt)
    {
        var all = new List<string>(members);
        all.Insert(modelAt, Space(random) + "\"model\"" + Space(random) + ":" + Space(random) + "@MODEL@" + Space(random));
        return Space(random) + "{" + string.Join(",", all) + "}" + Space(random);
    }

    private static string Member(Random random, int depth) =>
        Space(random) + "\"x_" + random.Next(1000).ToString(CultureInfo.InvariantCulture) + "\"" + Space(random) + ":" + Space(random) + Value(random, depth) + Space(random);

    private static string Value(Random random, int depth) => (depth > 3 ? random.Next(4) : random.Next(7)) switch
    {
        0 => Strings[random.Next(Strings.Length)],
        1 => Numbers[random.Next(Numbers.Length)],
        2 => random.Next(2) == 0 ? "true" : "null",
        3 => "false",
        4 => "{" + string.Join(",", Enumerable.Range(0, random.Next(3)).Select(_ => Member(random, depth + 1))) + "}",
        5 => "[" + string.Join(",", Enumerable.Range(0, random.Next(3)).Select(_ => Space(random) + Value(random, depth + 1) + Space(random))) + "]",
        _ => "{" + Space(random) + "\"model\":" + Strings[random.Next(Strings.Length)] + "}",
    };

    private static string Space(Random random) => Spaces[random.Next(Spaces.Length)];
}
