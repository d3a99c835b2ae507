using Microsoft.Extensions.Options;
using RightSize.Server.Model;

namespace RightSize.Server.Configuration;

/// <summary>The upstream key files: a changed key is put in force, even while a newer configuration is rejected.</summary>
internal sealed partial class GatewaySnapshotStore
{
    /// <summary>
    /// Rebuilds the snapshot when a key file holds another key than the snapshot in force (polled
    /// every second by <see cref="KeyFileWatcher"/>). A rebuild that fails is tried again at the next
    /// check, since the file may have been caught mid-replacement, but a rejection that repeats
    /// with the same errors is logged once, not every second. When the configuration loaded now is
    /// rejected, a key of the snapshot in force that changed is still applied to it: a revoked key
    /// must not wait for an unrelated mistake to be fixed. A rejected configuration that names a key
    /// file it could not read (gone, or not readable) is loaded again once that file reads, even
    /// with the key in force: a file in force keeps its fingerprint while it is gone, so its return
    /// is no change of key.
    /// </summary>
    public void ReloadIfKeyFilesChanged()
    {
        lock (_reloading)
        {
            var seen = _keysSeen;
            if (seen.Count == 0) return;
            var now = _builder.CurrentKeyFingerprints(seen);
            var changed = !SameKeys(now, seen);
            var back = KeyFilesBack();
            if (!changed && !back)
            {
                _keysTried = null;
                return;
            }

            var retry = changed && _keysTried is { } tried && SameKeys(now, tried);
            if (!changed) Log.KeyFileBack(_logger);
            else if (!retry) Log.KeyFileChanged(_logger);
            var outcome = ReloadLocked(quietIfRepeated: retry || !changed);
            _keysTried = outcome == Outcome.InForce || (outcome == Outcome.Invalid && RotateKeysInForce()) ? null : now;
        }
    }

    /// <summary>
    /// Whether a key file that the rejected configuration names, and that could not be read when it
    /// was rejected, reads now. Each such file counts once: a load that is rejected again lists anew
    /// the files it could not read.
    /// </summary>
    private bool KeyFilesBack()
    {
        if (_keysUnread.Length == 0) return false;
        var unreadable = _builder.UnreadableKeyFiles(_keysUnread);
        if (unreadable.Length == _keysUnread.Length) return false;
        _keysUnread = unreadable;
        return true;
    }

    private static bool SameKeys(Dictionary<string, string> current, IReadOnlyDictionary<string, string> known) =>
        current.Count == known.Count && current.All(file => known.TryGetValue(file.Key, out var fingerprint) && fingerprint == file.Value);

    /// <summary>
    /// After the configuration loaded now was rejected: rebuilds the snapshot in force from its own
    /// options with its key files as they read now, if any of them changed. The rejected
    /// configuration's own new key files stay watched.
    /// </summary>
    /// <returns>Whether a snapshot with the new keys is in force.</returns>
    private bool RotateKeysInForce()
    {
        var inForce = _current.KeyFileFingerprints;
        if (inForce.Count == 0 || SameKeys(_builder.CurrentKeyFingerprints(inForce), inForce)) return false;
        GatewaySnapshot next;
        try
        {
            next = _builder.Build(_inForce, _current.Generation + 1);
        }
        catch (Exception ex) when (ex is OptionsValidationException or IOException or UnauthorizedAccessException)
        {
            return false; // the new key itself is refused: the rejection logged just now names it, or the next check tries again
        }

        Commit(next, _inForce);
        WatchRejectedKeyFiles();
        Log.KeysRotatedInForce(_logger, next.Generation);
        Announce(next);
        return true;
    }

    /// <summary>
    /// Adds the key files that only the rejected configuration names to those polled, as they read
    /// now: a new key file that was empty (a Secret not yet written) is tried again once it
    /// changes, as a key file in force is. The next snapshot in force replaces the list.
    /// </summary>
    private void WatchRejectedKeyFiles()
    {
        var added = _keyFilesRead.Where(path => !_keysSeen.ContainsKey(path)).ToDictionary(path => path, _ => "", StringComparer.Ordinal);
        if (added.Count == 0) return;
        var watched = new Dictionary<string, string>(_keysSeen, StringComparer.Ordinal);
        foreach (var (path, fingerprint) in _builder.CurrentKeyFingerprints(added)) watched[path] = fingerprint;
        _keysSeen = watched;
    }
}
