using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RightSize.Upstream.Simulator.Tests.TestSupport;

/// <summary>Request builders and an SSE reader shared by the simulator tests.</summary>
internal static class Sim
{
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(10);

    public static SimulatorOptions Options(params string[] models)
    {
        var options = new SimulatorOptions();
        foreach (var model in models)
        {
            options.Models.Add(model);
        }

        return options;
    }

    public static HttpClient Client(UpstreamSimulator simulator) => new() { BaseAddress = simulator.ApiBase, Timeout = TimeSpan.FromSeconds(30) };

    public static string ChatBody(string model, string userText, bool stream = false, bool includeUsage = false)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray
            {
                new JsonObject { ["role"] = "system", ["content"] = "You are terse." },
                new JsonObject { ["role"] = "user", ["content"] = userText },
            },
        };
        if (stream)
        {
            body["stream"] = true;
        }

        if (includeUsage)
        {
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        return body.ToJsonString();
    }

    public static HttpRequestMessage Post(string path, string json, string? fault = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (fault is not null)
        {
            request.Headers.Add("x-simulator-fault", fault);
        }

        return request;
    }

    public static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken ct = default)
        => client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Reads <c>data:</c> payloads into <paramref name="events"/> until the stream ends (or throws).</summary>
    public static async Task ReadEventsAsync(HttpResponseMessage response, List<string> events, CancellationToken ct = default)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add(line["data: ".Length..]);
            }
        }
    }

    public static async Task<List<string>> ReadEventsAsync(HttpResponseMessage response)
    {
        var events = new List<string>();
        await ReadEventsAsync(response, events);
        return events;
    }

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static AuthenticationHeaderValue Bearer(string key) => new("Bearer", key);
}
