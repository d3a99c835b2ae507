using Microsoft.Extensions.Logging;

namespace RightSize.Upstream.Simulator.Handling;

internal sealed partial class RequestHandler
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Request #{Sequence} {Method} {Path} for model {Model}: applying fault '{Fault}'")]
        public static partial void FaultApplied(ILogger logger, long sequence, string method, string path, string? model, string fault);

        [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Request #{Sequence} {Method} {Path}: the client disconnected before the answer was complete")]
        public static partial void ClientAborted(ILogger logger, long sequence, string method, string path);

        [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Request #{Sequence} {Method} {Path}: answered {StatusCode}")]
        public static partial void Answered(ILogger logger, long sequence, string method, string path, int statusCode);
    }
}
