using System.Globalization;
using System.Net.Mime;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using RightSize.Upstream.Simulator.Faults;
using RightSize.Upstream.Simulator.Journal;
using RightSize.Upstream.Simulator.Protocol;

namespace RightSize.Upstream.Simulator.Handling;

/// <summary>Writes answers to the wire, applying the <c>drip</c> and <c>cut-after</c> parts of a fault.</summary>
internal sealed class ResponseSender(SimulatorSettings settings, RequestJournal journal, TimeProvider timeProvider)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    /// <summary>
    /// How long a cut waits, after flushing what it sends, before aborting. Kestrel aborts with a
    /// TCP reset, and a reset makes the client's kernel drop bytes it has not read yet; the pause
    /// lets the client read the events it was meant to see. A second and a half, so that a machine
    /// too loaded to send within a second (a test run with every test project at once on two
    /// cores) still sends them. Real time, so a fake clock cannot stall it.
    /// </summary>
    private static readonly TimeSpan CutGrace = TimeSpan.FromMilliseconds(1500);

    /// <summary>Aborts the connection as a scripted fault (not a client abort).</summary>
    public void Abort(HttpContext context, RecordedRequest entry)
    {
        journal.End(entry, RequestOutcome.ServerAborted);
        context.Abort();
    }

    /// <summary>Aborts after the bytes already flushed had time to reach the client.</summary>
    private async Task CutAsync(HttpContext context, RecordedRequest entry, CancellationToken ct)
    {
        await Task.Delay(CutGrace, TimeProvider.System, ct);
        Abort(context, entry);
    }

    public static async Task SendErrorAsync(HttpContext context, RecordedRequest entry, ApiError error, int? retryAfterSeconds, CancellationToken ct)
    {
        var response = context.Response;
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        await WriteWholeAsync(context, entry, error.Status, JsonRendering.Error(error), ct);
    }

    /// <summary>A whole JSON body; <c>cut-after</c> sends half of it under the full Content-Length, <c>drip</c> sends it in pieces.</summary>
    public async Task SendJsonAsync(HttpContext context, RecordedRequest entry, byte[] body, FaultScript? fault)
    {
        var ct = context.RequestAborted;
        if (fault?.CutAfter is not null)
        {
            PrepareJson(context.Response, entry, StatusCodes.Status200OK, body.Length);
            await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), ct);
            await context.Response.Body.FlushAsync(ct);
            await CutAsync(context, entry, ct);
            return;
        }

        if (fault?.Drip is { } drip && drip > TimeSpan.Zero)
        {
            PrepareJson(context.Response, entry, StatusCodes.Status200OK, body.Length);
            var pieces = Math.Min(settings.StreamChunks, Math.Max(body.Length, 1));
            var start = 0;
            for (var i = 0; i < pieces; i++)
            {
                if (i > 0)
                {
                    await Task.Delay(drip, timeProvider, ct);
                }

                var end = (int)((long)body.Length * (i + 1) / pieces);
                await context.Response.Body.WriteAsync(body.AsMemory(start, end - start), ct);
                await context.Response.Body.FlushAsync(ct);
                start = end;
            }

            return;
        }

        await WriteWholeAsync(context, entry, StatusCodes.Status200OK, body, ct);
    }

    /// <summary>
    /// Server-sent events: each JSON event as <c>data: {json}</c>, then <c>data: [DONE]</c>.
    /// <c>cut-after=N</c> aborts after N events; the gap between events is <c>drip</c> or the chunk delay.
    /// </summary>
    public async Task SendStreamAsync(HttpContext context, RecordedRequest entry, IReadOnlyList<byte[]> events, FaultScript? fault)
    {
        var ct = context.RequestAborted;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        entry.SetStatusCode(StatusCodes.Status200OK);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(ct);
        await response.Body.FlushAsync(ct);

        var gap = fault?.Drip ?? settings.ChunkDelay;
        var cutAfter = fault?.CutAfter;
        for (var i = 0; i < events.Count; i++)
        {
            if (i == cutAfter)
            {
                await CutAsync(context, entry, ct);
                return;
            }

            if (i > 0 && gap > TimeSpan.Zero)
            {
                await Task.Delay(gap, timeProvider, ct);
            }

            await WriteEventAsync(response, events[i], ct);
        }

        if (cutAfter is not null)
        {
            await CutAsync(context, entry, ct);
            return;
        }

        if (gap > TimeSpan.Zero)
        {
            await Task.Delay(gap, timeProvider, ct);
        }

        await response.Body.WriteAsync(Done, ct);
        await response.Body.FlushAsync(ct);
    }

    private static async Task WriteEventAsync(HttpResponse response, byte[] json, CancellationToken ct)
    {
        var frame = new byte[DataPrefix.Length + json.Length + EventEnd.Length];
        DataPrefix.CopyTo(frame, 0);
        json.CopyTo(frame, DataPrefix.Length);
        EventEnd.CopyTo(frame, DataPrefix.Length + json.Length);
        await response.Body.WriteAsync(frame, ct);
        await response.Body.FlushAsync(ct);
    }

    private static async Task WriteWholeAsync(HttpContext context, RecordedRequest entry, int status, byte[] body, CancellationToken ct)
    {
        PrepareJson(context.Response, entry, status, body.Length);
        await context.Response.Body.WriteAsync(body, ct);
    }

    private static void PrepareJson(HttpResponse response, RecordedRequest entry, int status, int length)
    {
        response.StatusCode = status;
        response.ContentType = MediaTypeNames.Application.Json;
        response.ContentLength = length;
        entry.SetStatusCode(status);
    }
}
