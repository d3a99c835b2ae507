using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using RightSize.Upstream.Simulator.Faults;
using RightSize.Upstream.Simulator.Journal;
using RightSize.Upstream.Simulator.Protocol;

namespace RightSize.Upstream.Simulator.Handling;

/// <summary>
/// Answers one request: record it, check the key, parse, check the model, apply the fault, answer.
/// A client that disconnects at any point is marked in the journal.
/// </summary>
internal sealed partial class RequestHandler(
    SimulatorSettings settings,
    RequestJournal journal,
    FaultTable faults,
    TimeProvider timeProvider,
    ILogger logger)
{
    private readonly ResponseSender _sender = new(settings, journal, timeProvider);

    public async Task HandleAsync(HttpContext context, SimulatorOperation operation)
    {
        var aborted = context.RequestAborted;
        ReceivedBody body;
        try
        {
            body = await RequestBodyReader.ReadAsync(context.Request, aborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && aborted.IsCancellationRequested)
        {
            return;
        }

        var request = body.Error is null ? RequestParser.Parse(operation, body.Bytes) : SimulatedRequest.Empty;
        var path = context.Request.PathBase.Add(context.Request.Path).Value ?? "/";
        var query = context.Request.QueryString.Value ?? string.Empty;
        var headers = CopyHeaders(context.Request.Headers);
        var entry = journal.Record(sequence => new RecordedRequest(
            sequence,
            context.Request.Method,
            path,
            query,
            headers,
            body.Bytes,
            request.Model,
            request.Stream,
            timeProvider.GetUtcNow()));

        using var registration = aborted.Register(
            static state =>
            {
                var (owner, recorded) = ((RequestJournal, RecordedRequest))state!;
                owner.End(recorded, RequestOutcome.ClientAborted);
            },
            (journal, entry));
        try
        {
            // As OpenAI does, every answer names the call, so the gateway's logs can be matched to the upstream's.
            context.Response.Headers[SimulatorConstants.RequestIdHeader] = "req_" + Guid.NewGuid().ToString("N");
            if (body.Error is { } bodyError)
            {
                await SendRejectedBodyAsync(context, entry, bodyError);
            }
            else
            {
                await RespondAsync(context, operation, request, body.Bytes.Length, entry);
            }

            journal.End(entry, RequestOutcome.Completed);
            Log.Answered(logger, entry.Sequence, entry.Method, entry.Path, context.Response.StatusCode);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            journal.End(entry, RequestOutcome.ClientAborted);
            Log.ClientAborted(logger, entry.Sequence, entry.Method, entry.Path);
        }
        finally
        {
            // Any other failure propagates to the server (which answers 500 or aborts), but the
            // entry must still end, or every wait for it would hang. A no-op once it has ended.
            journal.End(entry, RequestOutcome.ServerAborted);
        }
    }

    private async Task RespondAsync(HttpContext context, SimulatorOperation operation, SimulatedRequest request, int bodyBytes, RecordedRequest entry)
    {
        var ct = context.RequestAborted;
        if (settings.RequiredAuthorization is { } expected
            && !string.Equals(context.Request.Headers.Authorization.ToString(), expected, StringComparison.Ordinal))
        {
            await ResponseSender.SendErrorAsync(context, entry, ApiError.InvalidApiKey(), retryAfterSeconds: null, ct);
            return;
        }

        if (operation == SimulatorOperation.NotFound)
        {
            await ResponseSender.SendErrorAsync(context, entry, ApiError.UnknownPath(context.Request.Method, entry.Path), retryAfterSeconds: null, ct);
            return;
        }

        if (request.Error is { } error)
        {
            await ResponseSender.SendErrorAsync(context, entry, error, retryAfterSeconds: null, ct);
            return;
        }

        var model = operation == SimulatorOperation.GetModel ? ModelIdFromPath(context) : request.Model;
        if (model is not null && !settings.Serves(model))
        {
            await ResponseSender.SendErrorAsync(context, entry, ApiError.ModelNotFound(model), retryAfterSeconds: null, ct);
            return;
        }

        if (!TryResolveFault(context, model, out var fault, out var faultError))
        {
            await ResponseSender.SendErrorAsync(context, entry, faultError, retryAfterSeconds: null, ct);
            return;
        }

        if (fault is not null)
        {
            var text = fault.ToString();
            entry.SetFault(text);
            Log.FaultApplied(logger, entry.Sequence, entry.Method, entry.Path, model, text);
        }

        var delay = settings.ResponseDelay + (fault?.Delay ?? TimeSpan.Zero);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, timeProvider, ct);
        }

        if (fault is { Reset: true })
        {
            _sender.Abort(context, entry);
            return;
        }

        if (fault?.Status is { } status)
        {
            await ResponseSender.SendErrorAsync(context, entry, ApiError.ForStatus(status), fault.RetryAfterSeconds, ct);
            return;
        }

        await AnswerAsync(context, operation, request, model, bodyBytes, entry, fault);
    }

    private Task AnswerAsync(
        HttpContext context,
        SimulatorOperation operation,
        SimulatedRequest request,
        string? model,
        int bodyBytes,
        RecordedRequest entry,
        FaultScript? fault)
    {
        switch (operation)
        {
            case SimulatorOperation.ChatCompletions or SimulatorOperation.Completions:
                var renderer = operation == SimulatorOperation.ChatCompletions ? CompletionRenderer.Chat : CompletionRenderer.Text;
                var answer = Answer.For(model!, request.PromptText, bodyBytes);
                var info = new ResponseInfo(
                    string.Create(CultureInfo.InvariantCulture, $"{renderer.IdPrefix}{entry.Sequence:D6}"),
                    timeProvider.GetUtcNow().ToUnixTimeSeconds(),
                    model!,
                    request.Stream && request.IncludeUsage);
                return request.Stream
                    ? _sender.SendStreamAsync(context, entry, Events(renderer, info, answer), fault)
                    : _sender.SendJsonAsync(context, entry, renderer.Whole(info, answer), fault);
            case SimulatorOperation.Embeddings:
                return _sender.SendJsonAsync(context, entry, EmbeddingRenderer.Render(model!, request, bodyBytes), fault);
            case SimulatorOperation.GetModel:
                return _sender.SendJsonAsync(context, entry, ModelListRenderer.Single(model!), fault);
            default:
                return _sender.SendJsonAsync(context, entry, ModelListRenderer.List(settings.ModelList), fault);
        }
    }

    private List<byte[]> Events(CompletionRenderer renderer, ResponseInfo info, Answer answer)
    {
        var pieces = answer.Split(settings.StreamChunks);
        var events = new List<byte[]>(pieces.Count + 2);
        for (var i = 0; i < pieces.Count; i++)
        {
            events.Add(renderer.Delta(info, i, pieces[i]));
        }

        events.Add(renderer.Finish(info));
        if (info.IncludeUsage)
        {
            events.Add(renderer.UsageChunk(info, answer.Usage));
        }

        return events;
    }

    private bool TryResolveFault(HttpContext context, string? model, out FaultScript? fault, out ApiError error)
    {
        error = null!;
        var header = context.Request.Headers[SimulatorConstants.FaultHeader];
        if (StringValues.IsNullOrEmpty(header))
        {
            fault = faults.Resolve(null, null, model);
            return true;
        }

        var text = header.ToString().Trim();
        FaultScript? headerScript = null;
        if (!string.Equals(text, SimulatorConstants.NoFault, StringComparison.OrdinalIgnoreCase)
            && !FaultScript.TryParse(text, out headerScript, out var message))
        {
            fault = null;
            error = ApiError.BadRequest(message, SimulatorConstants.FaultHeader);
            return false;
        }

        fault = faults.Resolve(headerScript, text, model);
        return true;
    }

    /// <summary>
    /// Answers a body the server refused to read in full, before any other check: the request was
    /// never whole, so neither its key nor its model can be judged.
    /// </summary>
    private Task SendRejectedBodyAsync(HttpContext context, RecordedRequest entry, ApiError error)
    {
        if (context.Response.HasStarted)
        {
            _sender.Abort(context, entry);
            return Task.CompletedTask;
        }

        return ResponseSender.SendErrorAsync(context, entry, error, retryAfterSeconds: null, context.RequestAborted);
    }

    /// <summary>
    /// The id of <c>GET /v1/models/{id}</c>. The server decodes the path except an escaped slash, which
    /// stays <c>%2F</c>; the OpenAI .NET SDK escapes the slash of <c>org/model</c> that way. Only that
    /// escape is decoded, so an id whose own text holds <c>%41</c> (sent as <c>%2541</c>) is not decoded twice.
    /// </summary>
    private static string ModelIdFromPath(HttpContext context)
        => (context.GetRouteValue("model") as string ?? string.Empty).Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static Dictionary<string, string> CopyHeaders(IHeaderDictionary headers)
    {
        var copy = new Dictionary<string, string>(headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            copy[name] = values.ToString();
        }

        return copy;
    }
}
