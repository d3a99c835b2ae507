using System.Text;
using System.Text.Json;

namespace RightSize.Soak;

/// <summary>Reading what the gateway answered: OpenAI error bodies and SSE streams.</summary>
internal static class Wire
{
    /// <summary>Null when <paramref name="body"/> is <c>{"error":{"message","type","param","code"}}</c>; otherwise what is wrong.</summary>
    public static string? ErrorShapeProblem(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (!doc.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object) return "no error object";
            if (!error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String) return "error.message missing";
            foreach (var name in new[] { "type", "param", "code" })
            {
                if (!error.TryGetProperty(name, out _)) return $"error.{name} missing";
            }

            return null;
        }
        catch (JsonException)
        {
            return "body is not JSON: " + Truncate(body);
        }
    }

    public static string Truncate(string text) => text.Length <= 160 ? text : text[..160] + "...";

    /// <summary>Reads an SSE stream to its end: how it ended, and whether a usage chunk the client did not ask for came through.</summary>
    public static async Task<(StreamEnd End, bool UsageChunk, int Events)> ReadStreamAsync(Stream body, CancellationTokenSource? cancelAfterFirst, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var events = 0;
        var usage = false;
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal)) continue;
                var data = line[5..].Trim();
                if (data == "[DONE]") return (StreamEnd.Done, usage, events);
                if (data.StartsWith("{\"error\"", StringComparison.Ordinal)) return (StreamEnd.ErrorEvent, usage, events);
                events++;
                if (data.Contains("\"choices\":[]", StringComparison.Ordinal)) usage = true;
                // Cancel while the next read is pending, as a client that gives up does: that aborts the connection
                // (a token already cancelled before the read would let HttpClient drain the rest of the stream instead).
                if (cancelAfterFirst is not null && events == 1) cancelAfterFirst.CancelAfter(TimeSpan.FromMilliseconds(20));
            }

            return (StreamEnd.CutWithoutError, usage, events);
        }
        catch (OperationCanceledException) when (cancelAfterFirst is { IsCancellationRequested: true })
        {
            return (StreamEnd.ClientCancelled, usage, events);
        }
        catch (IOException)
        {
            return (StreamEnd.CutWithoutError, usage, events);
        }
        catch (HttpRequestException)
        {
            return (StreamEnd.CutWithoutError, usage, events);
        }
    }
}
