namespace RightSize.FunctionalTests.Infrastructure;

/// <summary>Reads a server-sent event stream the way a client does: the payload of each <c>data:</c> line.</summary>
public static class SseEvents
{
    /// <summary>The next <c>data:</c> payload, or null at the end of the stream.</summary>
    public static async Task<string?> ReadNextAsync(StreamReader reader, CancellationToken cancellationToken = default)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal)) return line["data: ".Length..];
        }

        return null;
    }

    /// <summary>Every payload until the stream ends or the gateway cuts the connection (as it does after an error event).</summary>
    public static async Task<List<string>> ReadToEndAsync(StreamReader reader)
    {
        var events = new List<string>();
        try
        {
            while (await ReadNextAsync(reader) is { } data) events.Add(data);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // The connection was cut; the events so far tell the test what happened.
        }

        return events;
    }
}
