using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RightSize.FunctionalTests.Infrastructure;

/// <summary>Small helpers for raw HTTP calls.</summary>
public static class Json
{
    public static StringContent Body(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : string.Empty;

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The <c>code</c> of an OpenAI-shaped error body.</summary>
    public static async Task<string?> ErrorCodeAsync(HttpResponseMessage response) =>
        (await ReadAsync(response)).GetProperty("error").GetProperty("code").GetString();

    /// <summary>A chat request to <c>/v1/chat/completions</c> that asks for a tier with <c>x-rightsize-tier</c>.</summary>
    public static HttpRequestMessage ChatForTier(string model, string content, string tier)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Body(Chat(model, content)) };
        request.Headers.Add("x-rightsize-tier", tier);
        return request;
    }

    public static string Chat(string model, string content, string extra = "") =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":{{JsonSerializer.Serialize(content)}}}]{{extra}}}""";
}
