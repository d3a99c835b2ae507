using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using RightSize.OpenAI.Chat;

namespace RightSize.Features;

/// <summary>
/// Fixed prompts whose feature indices go into the schema hash, so that a change in code the
/// description cannot name (a length-bucket edge, the long-word length, a tokenising rule, the
/// tail a check reads) moves the hash and a model trained before it is refused. Only indices are
/// digested, never values: indices are integer arithmetic and the same on every machine, while
/// values go through <c>MathF.Log</c> and vector sums, which may differ in the last bit between
/// runtimes and CPUs. The prompts are ASCII plus a few maths symbols (no casing), so culture
/// and ICU data cannot move them. Each prompt sits at or just past an edge in the extractor.
/// </summary>
internal static class SchemaProbes
{
    private const string Prose =
        "The quick brown fox jumps over the lazy dog while 42 ducks watch; meanwhile, a careful reader " +
        "checks each line twice. Explain why the sky is blue, then list three reasons and compare them. ";

    /// <summary>SHA-256 (lower-case hex) of the feature indices of every probe, in order.</summary>
    public static string Digest(FeatureExtractor extractor)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var features = new SparseFeatures();
        Span<byte> number = stackalloc byte[8];
        foreach (var prompt in Prompts())
        {
            extractor.Extract(prompt, features);
            BinaryPrimitives.WriteInt64LittleEndian(number, features.Count);
            sha.AppendData(number);
            foreach (var index in features.IndicesSpan)
            {
                BinaryPrimitives.WriteInt64LittleEndian(number, index);
                sha.AppendData(number);
            }
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The probes, built afresh on each call (a few hundred kilobytes of text, then dropped).</summary>
    public static IEnumerable<ChatPrompt> Prompts()
    {
        // Last-user-message length buckets: one character either side of every edge.
        for (var edge = 64; edge <= 8192; edge *= 2)
        {
            yield return User(Text(edge - 1));
            yield return User(Text(edge));
        }

        // Head and tail caps of words, characters and the structural scan, and a word past the hashed length.
        yield return User(Text(40_000) + " " + new string('w', 40));

        // Words either side of the long-word length, and digits that normalise to '0'.
        yield return User("alpha abcdefghi 12345");
        yield return User("alpha abcdefghij 3.14");
        yield return User("alpha abcdefghijk call 555-0199 at 10:30");

        // The visible-end checks read only the tail of the message.
        yield return User("Why is that?" + new string(' ', 4_000));
        yield return User("Why is that?" + new string(' ', 5_000));
        yield return User("Complete the sentence:\n\t ");

        // Options either side of the 2+ and 5+ edges, list items, indented code either side of two lines.
        yield return User("Pick one.\nA. red\nB. blue");
        yield return User("Pick one.\nA) red\nB) blue\nC) green\nD) gray");
        yield return User("Pick one.\n(A) red\n(B) blue\n(C) green\n(D) gray\n(E) pink\nAnswer:");
        yield return User("Steps:\n- open\n- close\n1. first\n2. second\n    x = 1\n");
        yield return User("Code:\n    x = 1\n\ty = 2\n");

        // Maths, code, links and markers.
        yield return User(
            "Solve the equation, then prove step by step that $\\sum_{k=1}^{n} k = n(n+1)/2$ and \\frac{a}{b} \u2264 \u03c0 \u00d7 2 \u2248 6.28.\n" +
            "```python\ndef f(x):\n    return x * 2\n```\nUse `f(3)` as shown at https://example.com/a?b=1. " +
            "Write a short poem, then debug the function and translate the result. What is 2 + 2?");
        yield return User("how do i fix this? def main(): print('hi') # error on line 3");

        // Turn shapes: 1, 2, 3-4 and 5+ turns; system, developer, assistant and tool turns; long history and system text.
        yield return new ChatPrompt([new ChatTurn("system", "Be brief."), new ChatTurn("user", "Hello!")]);
        yield return new ChatPrompt(
        [
            new ChatTurn("developer", Text(3_000)),
            new ChatTurn("user", "Summarise the text."),
            new ChatTurn("assistant", "It is about a fox."),
            new ChatTurn("user", "And the ducks?"),
        ]);
        var history = new List<ChatTurn> { new("system", "Rule one."), new("system", "Rule two."), new("system", Text(2_600)) };
        for (var i = 0; i < 6; i++)
        {
            history.Add(new ChatTurn(i % 2 == 0 ? "user" : "assistant", Text(900 + i)));
        }

        history.Add(new ChatTurn("tool", "{\"temperature\": 21}"));
        yield return new ChatPrompt(history);
        yield return new ChatPrompt([new ChatTurn("user", "Weather?"), new ChatTurn("assistant", "Calling a tool.")]);

        // Request shape: tools, response formats and max-token buckets either side of each edge.
        yield return new ChatPrompt([new ChatTurn("user", "List the files.")], toolCount: 3, responseFormatType: "json_schema", maxTokens: 256);
        yield return new ChatPrompt([new ChatTurn("user", "List the files.")], toolCount: 1, responseFormatType: "json_object", maxTokens: 257);
        yield return new ChatPrompt([new ChatTurn("user", "List the files.")], responseFormatType: "text", maxTokens: 1_024);
        yield return new ChatPrompt([new ChatTurn("user", "List the files.")], responseFormatType: "xml", maxTokens: 1_025);
        yield return new ChatPrompt([new ChatTurn("user", "List the files.")], maxTokens: 4_096);
        yield return new ChatPrompt([new ChatTurn("user", "List the files.")], maxTokens: 4_097);
        yield return new ChatPrompt([]);
    }

    private static ChatPrompt User(string text) => ChatPrompt.FromUserText(text);

    /// <summary>Exactly <paramref name="length"/> characters of prose, varied along its length so every cap cuts different words.</summary>
    private static string Text(int length)
    {
        var b = new StringBuilder(length + Prose.Length + 16);
        for (var i = 0; b.Length < length; i++)
        {
            b.Append(Prose).Append("Part ").Append((char)('a' + (i % 26))).Append((char)('a' + (i / 26 % 26))).Append(". ");
        }

        return b.ToString(0, length);
    }
}
