using System.Text;
using System.Text.Json;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>
/// Valid bodies with random damage (bytes flipped, cut, dropped, repeated or replaced by awkward
/// ones) never get a 5xx, and every refusal is OpenAI's error shape.
/// </summary>
public sealed class MutatedBodyTests : IAsyncLifetime
{
    private static readonly string[] Paths = ["v1/chat/completions", "v1/completions", "v1/embeddings", "routes/cheap/v1/chat/completions", "rightsize/route"];

    private static readonly string[] Seeds =
    [
        """{"model":"auto","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Look"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"response_format":{"type":"json_object"},"max_completion_tokens":20,"stream":false}""",
        """{"model":"cheap","stream":true,"stream_options":{"include_usage":false},"messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":"42"}],"max_tokens":5}""",
        """{"model":"sim-small","prompt":["one","two"],"max_tokens":3,"input":[[1,2],[3]]}""",
    ];

    private static readonly byte[][] Awkward =
    [
        "\""u8.ToArray(), "{"u8.ToArray(), "]"u8.ToArray(), ","u8.ToArray(), "null"u8.ToArray(), "1e999"u8.ToArray(), "-1"u8.ToArray(),
        "\\ud800"u8.ToArray(), [0xFF], [0xC3], [0x00], [0xEF, 0xBB, 0xBF], "[[[[[[[[[["u8.ToArray(), "\"model\":\"auto\","u8.ToArray(),
    ];

    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await GatewayHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Post_RandomlyDamagedBodies_NeverA5xxAndErrorsAreOpenAIShaped()
    {
        var random = new Random(20261130);
        for (var i = 0; i < 400; i++)
        {
            var path = Paths[random.Next(Paths.Length)];
            var body = Mutate(random, Encoding.UTF8.GetBytes(Seeds[random.Next(Seeds.Length)]));
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");

            using var response = await _harness.Http.PostAsync(path, content);
            var text = await response.Content.ReadAsStringAsync();

            var what = $"{path} {Convert.ToBase64String(body)}";
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {what}: {text}");
            if (!response.IsSuccessStatusCode) AssertOpenAIError(text, what);
        }
    }

    private static void AssertOpenAIError(string text, string what)
    {
        using var document = JsonDocument.Parse(text);
        var error = document.RootElement.GetProperty("error");
        Assert.True(error.GetProperty("message").ValueKind == JsonValueKind.String, what);
        Assert.True(error.GetProperty("type").ValueKind == JsonValueKind.String, what);
        Assert.True(error.TryGetProperty("param", out _), what);
        Assert.True(error.TryGetProperty("code", out _), what);
    }

    private static byte[] Mutate(Random random, byte[] body)
    {
        var bytes = body.ToList();
        for (var n = random.Next(1, 4); n > 0 && bytes.Count > 0; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 12), bytes.Count - at));
                    break;
                case 3:
                    var length = Math.Min(random.Next(1, 40), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    bytes.InsertRange(at, Awkward[random.Next(Awkward.Length)]);
                    break;
            }
        }

        return [.. bytes];
    }
}
