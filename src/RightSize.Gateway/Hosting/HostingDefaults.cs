namespace RightSize.Gateway.Hosting;

/// <summary>Defaults and configuration keys of the gateway process itself, in one place.</summary>
public static class HostingDefaults
{
    /// <summary>Time allowed for in-flight requests and streams once the host stops (<c>HostOptions.ShutdownTimeout</c>).</summary>
    public const string ShutdownTimeoutKey = "RightSize:Gateway:ShutdownTimeout";

    /// <summary>Time between readiness turning false and the listener closing; counted inside the shutdown timeout.</summary>
    public const string DrainDelayKey = "RightSize:Gateway:DrainDelay";

    /// <summary>The file read from the configuration directory.</summary>
    public const string ConfigFileName = "appsettings.json";

    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DrainDelay = TimeSpan.Zero;

    /// <summary>How often the mounted configuration file is compared with what is in force.</summary>
    public static readonly TimeSpan ConfigPollInterval = TimeSpan.FromSeconds(1);
}
