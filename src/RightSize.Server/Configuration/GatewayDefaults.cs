using RightSize.Classification;
using RightSize.Classification.Rules;

namespace RightSize.Server.Configuration;

/// <summary>Default values of the gateway options, in one place.</summary>
internal static class GatewayDefaults
{
    public const int MaxRequestBodyBytes = 4 * 1024 * 1024;
    public const long MaxHeldResponseBytes = 64 * 1024 * 1024;
    public const long MaxBufferedRequestBytes = 48 * 1024 * 1024;
    public const double Threshold = 0.7;
    public const string DefaultTier = TierNames.Mid;
    public const string ToolsMinTier = RequestRules.DefaultToolsMinTier;
    public const string MediaMinTier = RequestRules.DefaultMediaMinTier;
    public static readonly TimeSpan UpstreamActivityTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan RequestBodyTimeout = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
}
