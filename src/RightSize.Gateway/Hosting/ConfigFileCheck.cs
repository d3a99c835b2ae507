namespace RightSize.Gateway.Hosting;

/// <summary>What one look at the mounted configuration file found.</summary>
public enum ConfigFileCheck
{
    /// <summary>Same bytes as last time (or still absent, or briefly unreadable): nothing to do.</summary>
    Unchanged,

    /// <summary>New contents parsed and now in force; configuration reload raised.</summary>
    Applied,

    /// <summary>New contents are not valid JSON; the previous contents stay in force.</summary>
    Rejected,

    /// <summary>The file disappeared; the previous contents stay in force.</summary>
    Missing,
}
