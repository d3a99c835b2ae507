using System.Collections.Concurrent;

namespace RightSize.Upstream.Simulator.Faults;

/// <summary>
/// The per-model fault scripts of a running simulator, seeded from <see cref="SimulatorOptions.Faults"/>
/// and changeable while it runs, plus the use counters behind <c>times=N</c>.
/// </summary>
/// <remarks>
/// A model's counter restarts when its script is set again. A header script's counter is keyed by
/// the header text, so <c>status=503;times=1</c> fails the first request that carries it on this
/// simulator and lets the later ones through, for the simulator's life.
/// </remarks>
public sealed class FaultTable
{
    private const string ModelKeyPrefix = "model:";
    private const string HeaderKeyPrefix = "header:";
    private readonly ConcurrentDictionary<string, FaultScript> _byModel = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _uses = new(StringComparer.Ordinal);

    /// <summary>Creates a table holding the given per-model scripts.</summary>
    public FaultTable(IEnumerable<KeyValuePair<string, FaultScript>> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        foreach (var (model, script) in faults)
        {
            ThrowIfInvalid(model, script);
            _byModel[model] = script;
        }
    }

    /// <summary>Sets (or replaces) the script for a model and restarts its <c>times</c> count.</summary>
    /// <exception cref="ArgumentException">The script has a value out of range, such as <c>Status = 42</c>.</exception>
    public void Set(string model, FaultScript script)
    {
        ArgumentNullException.ThrowIfNull(model);
        ThrowIfInvalid(model, script);
        _byModel[model] = script;
        _uses.TryRemove(ModelKeyPrefix + model, out _);
    }

    private static void ThrowIfInvalid(string model, FaultScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var errors = FaultScriptRules.Check(script);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The fault script for model '{model}' is invalid: {string.Join(" ", errors)}", nameof(script));
        }
    }

    /// <summary>Removes a model's script; returns false when it had none.</summary>
    public bool Remove(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _uses.TryRemove(ModelKeyPrefix + model, out _);
        return _byModel.TryRemove(model, out _);
    }

    /// <summary>The script configured for a model, if any.</summary>
    public FaultScript? Get(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return _byModel.TryGetValue(model, out var script) ? script : null;
    }

    /// <summary>
    /// Picks the fault for one request: the header script if given (or none for <c>none</c>),
    /// otherwise the model's script; null when there is none or its <c>times</c> are used up.
    /// </summary>
    internal FaultScript? Resolve(FaultScript? headerScript, string? headerText, string? model)
    {
        if (headerText is not null)
        {
            return headerScript is null ? null : Consume(headerScript, HeaderKeyPrefix + headerText);
        }

        return model is not null && _byModel.TryGetValue(model, out var script)
            ? Consume(script, ModelKeyPrefix + model)
            : null;
    }

    private FaultScript? Consume(FaultScript script, string key)
    {
        if (script.Times is not { } times)
        {
            return script;
        }

        var used = _uses.AddOrUpdate(key, 1, static (_, count) => count == int.MaxValue ? count : count + 1);
        return used <= times ? script : null;
    }
}
