using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace RightSize.Gateway.Hosting;

/// <summary>
/// Reads a JSON file through whatever symlinks lead to it (a Kubernetes ConfigMap mount swaps
/// <c>..data</c> to a new directory) and keeps the last contents that parsed. The first load
/// throws on a malformed file so start-up fails; later checks never throw and never empty the
/// configuration: a malformed or vanished file leaves the previous contents in force.
/// </summary>
public sealed class ConfigDirectoryProvider(string filePath) : ConfigurationProvider
{
    private readonly Lock _gate = new();
    private byte[]? _lastSeen;
    private bool _loaded;

    public string FilePath { get; } = filePath;

    /// <summary>The parse error of the last rejected contents, for the log.</summary>
    public string? LastError { get; private set; }

    public override void Load()
    {
        lock (_gate)
        {
            if (!_loaded)
            {
                var bytes = TryRead();
                Data = bytes is null ? new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) : Parse(bytes);
                _lastSeen = bytes;
                _loaded = true;
                return;
            }
        }

        _ = Check();
    }

    /// <summary>
    /// Compares the file with what was last seen and applies new contents that parse.
    /// <paramref name="applying"/> runs once the new contents are in place and before the
    /// configuration's reload is raised, so that what it logs comes before what reload listeners log.
    /// </summary>
    public ConfigFileCheck Check(Action? applying = null)
    {
        lock (_gate)
        {
            return CheckLocked(applying);
        }
    }

    public override string ToString() => $"{nameof(ConfigDirectoryProvider)} for '{FilePath}'";

    private ConfigFileCheck CheckLocked(Action? applying)
    {
        byte[]? bytes;
        try
        {
            bytes = TryRead();
        }
        catch (IOException)
        {
            return ConfigFileCheck.Unchanged;
        }

        if (bytes is null)
        {
            if (_lastSeen is null) return ConfigFileCheck.Unchanged;
            _lastSeen = null;
            return ConfigFileCheck.Missing;
        }

        if (_lastSeen is not null && bytes.AsSpan().SequenceEqual(_lastSeen)) return ConfigFileCheck.Unchanged;
        _lastSeen = bytes;
        try
        {
            Data = Parse(bytes);
        }
        catch (InvalidDataException ex)
        {
            LastError = ex.InnerException?.Message ?? ex.Message;
            return ConfigFileCheck.Rejected;
        }

        LastError = null;
        applying?.Invoke();
        OnReload();
        return ConfigFileCheck.Applied;
    }

    private byte[]? TryRead()
    {
        // A path with nothing there is the usual case for an optional file (appsettings.{Environment}.json),
        // polled every second: asking first costs no exception each time. The catch covers a file
        // removed between the question and the read.
        if (!Path.Exists(FilePath)) return null;
        try
        {
            return File.ReadAllBytes(FilePath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private IDictionary<string, string?> Parse(byte[] bytes)
    {
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            return JsonParser.Parse(stream);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            throw new InvalidDataException($"The configuration file '{FilePath}' is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>The framework's own JSON configuration parser, reached through its stream provider.</summary>
    private sealed class JsonParser() : JsonStreamConfigurationProvider(new JsonStreamConfigurationSource())
    {
        public static IDictionary<string, string?> Parse(Stream stream)
        {
            var parser = new JsonParser();
            parser.Load(stream);
            return parser.Data;
        }
    }
}
