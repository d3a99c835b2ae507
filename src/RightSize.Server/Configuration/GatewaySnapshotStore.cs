using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using RightSize.Server.Model;

namespace RightSize.Server.Configuration;

/// <summary>
/// Owns the current <see cref="GatewaySnapshot"/>. Built at start-up (invalid configuration
/// throws, listing every error) and rebuilt whenever configuration reloads or an upstream's key
/// file changes; a reload that does not validate is logged and the last good snapshot stays in force.
/// </summary>
internal sealed partial class GatewaySnapshotStore : IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly IValidateOptions<RightSizeOptions> _validator;
    private readonly GatewaySnapshotBuilder _builder;
    private readonly ILogger<GatewaySnapshotStore> _logger;
    private readonly KnownSetting[] _readElsewhere;
    private readonly Dictionary<string, string> _startOnly; // the start-only settings as the process started with them
    private readonly IDisposable _reloadRegistration;
    private readonly Lock _reloading = new();
    private volatile GatewaySnapshot _current;
    private RightSizeOptions _inForce; // the options _current was built from, to apply a rotated key while a newer configuration is rejected
    private IReadOnlyDictionary<string, string> _keysSeen; // the key files' fingerprints in the snapshot in force, and of those only a rejected configuration names
    private IReadOnlyDictionary<string, string>? _keysTried; // the fingerprints a failed rebuild was for, if the last one failed
    private string? _lastRejection; // the errors last logged, so a retry that fails alike is not logged again
    private string[] _keyFilesRead = []; // the key files the configuration last read names
    private string[] _keysUnread = []; // of those, the ones that could not be read when it was rejected, if it was

    /// <param name="readElsewhere">Keys under <c>RightSize</c> that the host reads outside <see cref="RightSizeOptions"/>, so that they are not reported as unknown (<c>Telemetry</c> is always known); their checks run with the others.</param>
    public GatewaySnapshotStore(IConfiguration configuration, IValidateOptions<RightSizeOptions> validator, GatewaySnapshotBuilder builder, ILogger<GatewaySnapshotStore> logger, IEnumerable<KnownSetting>? readElsewhere = null)
    {
        _configuration = configuration;
        _readElsewhere = [Telemetry.TelemetryOptions.Setting, .. readElsewhere ?? []];
        _validator = validator;
        _builder = builder;
        _logger = logger;
        try
        {
            (_current, _inForce) = Load(1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A key file that exists but cannot be read: at start there is no configuration in force to keep.
            throw new OptionsValidationException(RightSizeOptions.SectionName, typeof(RightSizeOptions), [ex.Message]);
        }

        _startOnly = StartOnlySettings.Read(configuration, _readElsewhere);
        _keysSeen = _current.KeyFileFingerprints;
        _reloadRegistration = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    /// <summary>Raised after a new snapshot is in force.</summary>
    public event Action<GatewaySnapshot>? Changed;

    public GatewaySnapshot Current => _current;

    /// <summary>
    /// Whether the configuration last loaded was rejected (event 101) and an older one is in force,
    /// until a configuration is put in force again. A key file caught mid-replacement counts too,
    /// for the second until the next check reads it.
    /// </summary>
    public bool LastLoadRejected => Volatile.Read(ref _lastRejection) is not null;

    public void Dispose() => _reloadRegistration.Dispose();

    /// <summary>
    /// A configuration file was refused before it could be loaded (not JSON, say: the gateway's
    /// directory watcher logs it as event 122). The configuration in force stays, and
    /// <see cref="LastLoadRejected"/> reports the refusal as it reports one that does not validate,
    /// until a configuration is put in force again, so that the <c>rightsize_config_rejected</c> alert
    /// sees the edit every new pod would refuse.
    /// </summary>
    public void ReportRefusedFile(string error)
    {
        lock (_reloading)
        {
            _lastRejection = error;
        }
    }

    // Reloads run one at a time (configuration changes and key-file checks come from different
    // threads), so the generation in force is the only counter needed: a rejected configuration
    // does not use up a number.
    private void Reload()
    {
        lock (_reloading)
        {
            ReloadLocked(quietIfRepeated: false);
        }
    }

    private enum Outcome
    {
        InForce,
        Invalid,
        Unreadable, // a key file could not be read (being replaced, say): the next check tries again
    }

    private Outcome ReloadLocked(bool quietIfRepeated)
    {
        GatewaySnapshot next;
        RightSizeOptions options;
        try
        {
            (next, options) = Load(_current.Generation + 1);
        }
        catch (OptionsValidationException ex)
        {
            Reject(string.Join(" | ", ex.Failures), quietIfRepeated);
            return Outcome.Invalid;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            Reject(ex.Message, quietIfRepeated);
            return Outcome.Invalid;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Reject(ex.Message, quietIfRepeated);
            return Outcome.Unreadable;
        }

        _lastRejection = null;
        _keysUnread = [];
        Commit(next, options);
        Log.ConfigurationReloaded(_logger, next.Generation, next.RoutesByName.Count);
        var waiting = StartOnlySettings.Changed(_startOnly, StartOnlySettings.Read(_configuration, _readElsewhere));
        if (waiting.Count > 0) Log.RestartNeeded(_logger, string.Join(", ", waiting));
        Announce(next);
        return Outcome.InForce;
    }

    private void Commit(GatewaySnapshot next, RightSizeOptions options)
    {
        _current = next;
        _inForce = options;
        _keysSeen = next.KeyFileFingerprints;
    }

    /// <summary>
    /// Tells each listener of <see cref="Changed"/> in turn. The snapshot is in force whatever they
    /// do, so one that throws is logged on its own and the others still hear of it.
    /// </summary>
    private void Announce(GatewaySnapshot next)
    {
        if (Changed is not { } changed) return;
        foreach (var listener in changed.GetInvocationList().Cast<Action<GatewaySnapshot>>())
        {
            try
            {
                listener(next);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.ListenerFailed(_logger, listener.Method.DeclaringType?.Name ?? listener.Method.Name, next.Generation, ex);
            }
        }
    }

    private void Reject(string errors, bool quietIfRepeated)
    {
        WatchRejectedKeyFiles();
        _keysUnread = _builder.UnreadableKeyFiles(_keyFilesRead);
        if (quietIfRepeated && errors == _lastRejection) return;
        _lastRejection = errors;
        Log.ConfigurationRejected(_logger, errors, _current.Generation);
    }

    private (GatewaySnapshot Snapshot, RightSizeOptions Options) Load(int generation)
    {
        var errors = new List<string>();
        var options = RightSizeOptionsReader.Read(_configuration.GetSection(RightSizeOptions.SectionName), _readElsewhere, errors);
        foreach (var setting in _readElsewhere) setting.Check?.Invoke(_configuration, errors);
        var result = _validator.Validate(Options.DefaultName, options);
        if (result.Failed) errors.AddRange(result.Failures);
        _keyFilesRead = [.. options.Upstreams.Values.Select(upstream => upstream.ApiKeyFile).OfType<string>().Where(path => !string.IsNullOrWhiteSpace(path))];
        if (errors.Count > 0)
        {
            errors.AddRange(_builder.KeyErrors(options));
            throw new OptionsValidationException(RightSizeOptions.SectionName, typeof(RightSizeOptions), errors);
        }

        return (_builder.Build(options, generation), options);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Configuration reloaded: generation {Generation}, {RouteCount} routes in force")]
        public static partial void ConfigurationReloaded(ILogger logger, int generation, int routeCount);

        [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "An upstream key file holds a new key; rebuilding the configuration")]
        public static partial void KeyFileChanged(ILogger logger);

        [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Settings read only at start-up differ from those the gateway started with; they take effect at the next restart: {Settings}")]
        public static partial void RestartNeeded(ILogger logger, string settings);

        [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "New configuration rejected; generation {Generation} stays in force. Errors: {Errors}")]
        public static partial void ConfigurationRejected(ILogger logger, string errors, int generation);

        [LoggerMessage(EventId = 108, Level = LogLevel.Information, Message = "An upstream key file that the rejected configuration could not read is back; loading the configuration again")]
        public static partial void KeyFileBack(ILogger logger);

        [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "The configuration loaded now is rejected, so the upstream key file's new key is applied to the configuration in force: generation {Generation}")]
        public static partial void KeysRotatedInForce(ILogger logger, int generation);

        [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Configuration generation {Generation} is in force, but {Listener} failed to take it up")]
        public static partial void ListenerFailed(ILogger logger, string listener, int generation, Exception exception);
    }
}
