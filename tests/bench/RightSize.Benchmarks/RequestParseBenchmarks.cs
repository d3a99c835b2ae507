using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using RightSize.OpenAI.Json;
using RightSize.OpenAI.Requests;

namespace RightSize.Benchmarks;

/// <summary>
/// Parsing a chat request body, and the part of it that looks for lone surrogate escapes
/// (<see cref="SurrogateEscapes"/>), on prose and on text written as <c>\u</c> escapes, as
/// serialisers that escape everything outside ASCII send it (CJK, and emoji as surrogate pairs).
/// </summary>
[Config(typeof(InProcessShortConfig))]
public class RequestParseBenchmarks
{
    private byte[] _body = [];

    [Params("prose-2KB", "prose-200KB", "cjk-escaped-200KB", "emoji-escaped-200KB")]
    public string Body { get; set; } = "prose-2KB";

    [GlobalSetup]
    public void Setup()
    {
        var content = Body switch
        {
            "prose-200KB" => Prose(200 * 1024),
            "cjk-escaped-200KB" => Escaped(200 * 1024, i => [0x4E00 + i % 5000]),
            "emoji-escaped-200KB" => Escaped(200 * 1024, i => [0xD83D, 0xDE00 + i % 64]),
            _ => Prose(2 * 1024),
        };
        _body = Encoding.UTF8.GetBytes("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}");
        if (!OpenAIRequestParser.TryParseChat(_body, out _, out var error)) throw new InvalidOperationException(error.Message);
        Console.WriteLine($"// body {Body}: {_body.Length} bytes");
    }

    [Benchmark]
    public bool TryParseChat() => OpenAIRequestParser.TryParseChat(_body, out _, out _);

    [Benchmark]
    public bool SurrogateCheck() => SurrogateEscapes.ArePaired(_body);

    private static string Prose(int length)
    {
        const string Line = "The quick brown fox jumps over the lazy dog; then it computes 12*7=84.\\n";
        var text = new StringBuilder(length + Line.Length);
        while (text.Length < length) text.Append(Line);
        return text.ToString(0, length);
    }

    // Escapes of the UTF-16 units `units(i)` gives for the i-th character, up to `length` bytes.
    private static string Escaped(int length, Func<int, int[]> units)
    {
        var text = new StringBuilder(length + 12);
        for (var i = 0; text.Length < length; i++)
        {
            foreach (var unit in units(i)) text.Append("\\u").Append(unit.ToString("x4", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
