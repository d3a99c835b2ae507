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

    public static string Chat(string model, string content, string extra = "") =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":{{JsonSerializer.Serialize(content)}}}]{{extra}}}""";
}
