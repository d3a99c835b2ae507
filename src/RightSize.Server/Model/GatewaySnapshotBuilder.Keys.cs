using RightSize.Server.Configuration;

namespace RightSize.Server.Model;

/// <summary>The upstream keys: read from the environment or a key file, checked, and fingerprinted so that a key file's change is seen.</summary>
internal sealed partial class GatewaySnapshotBuilder
{
    /// <summary>
    /// The errors of the upstream keys alone (<see cref="ResolveAuthorization"/>), for a configuration
    /// that other errors already keep from being built, so that every problem is listed at once. A
    /// key file that cannot be read is left to the validator, which reports a missing one.
    /// </summary>
    public List<string> KeyErrors(RightSizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var (name, upstream) in options.Upstreams)
        {
            try
            {
                ResolveAuthorization(name, upstream, [], errors);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return errors;
    }

    /// <summary>
    /// The fingerprint of each key file in <paramref name="known"/> as it reads now. A file that
    /// cannot be read at the moment (a Secret's files are swapped by symlink) keeps its known
    /// fingerprint: the key in force stays until a new one can be read.
    /// </summary>
    public Dictionary<string, string> CurrentKeyFingerprints(IReadOnlyDictionary<string, string> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        var current = new Dictionary<string, string>(known.Count, StringComparer.Ordinal);
        foreach (var (path, fingerprint) in known)
        {
            try
            {
                current[path] = Fingerprint(readFile(path).Trim());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                current[path] = fingerprint;
            }
        }

        return current;
    }

    /// <summary>
    /// The key files of <paramref name="paths"/> that cannot be read now: gone (a deleted file, a
    /// Secret's symlink that points at nothing) or not readable. <see cref="CurrentKeyFingerprints"/>
    /// does not tell these apart from an unchanged file.
    /// </summary>
    public string[] UnreadableKeyFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var unreadable = new List<string>();
        foreach (var path in paths)
        {
            try
            {
                _ = readFile(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                unreadable.Add(path);
            }
        }

        return [.. unreadable];
    }

    /// <summary>A key's SHA-256, so that a snapshot can tell a changed file without holding the key twice.</summary>
    private static string Fingerprint(string key) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

    /// <summary>
    /// The upstream's <c>Authorization</c> value, or null; a key read from a file is added to
    /// <paramref name="keyFiles"/> by its fingerprint. Both kinds of key lose the white space at
    /// their ends (a Secret written with <c>echo</c> ends in a line break); an empty key file is an
    /// error in <paramref name="errors"/>. A key that still holds a
    /// character other than visible ASCII is an error in <paramref name="errors"/>, which does not
    /// show it: the value goes into a request header unchecked, and a line break inside it would
    /// end the header block and send the rest of the request as a second one.
    /// </summary>
    private string? ResolveAuthorization(string name, UpstreamOptions upstream, Dictionary<string, string> keyFiles, List<string> errors)
    {
        string? key = null;
        var source = "";
        if (!string.IsNullOrWhiteSpace(upstream.ApiKeyEnv))
        {
            key = environment(upstream.ApiKeyEnv)?.Trim();
            source = $"ApiKeyEnv (the environment variable {upstream.ApiKeyEnv})";
        }

        if (string.IsNullOrEmpty(key) && !string.IsNullOrWhiteSpace(upstream.ApiKeyFile))
        {
            key = ReadKeyFile(name, upstream.ApiKeyFile).Trim();
            keyFiles[upstream.ApiKeyFile] = Fingerprint(key);
            if (key.Length == 0)
            {
                // Most often a Secret caught between truncation and write: refused, so a rotation keeps the key in force.
                errors.Add($"{RightSizeOptions.SectionName}:Upstreams:{name}:ApiKeyFile names an empty file (or one of white space only). Write the key into it, or remove ApiKeyFile for an upstream without a key.");
                return null;
            }

            source = "ApiKeyFile";
        }

        if (string.IsNullOrEmpty(key)) return null;
        if (key.AsSpan().ContainsAnyExceptInRange('!', '~'))
        {
            errors.Add($"{RightSizeOptions.SectionName}:Upstreams:{name}: the key from {source} holds a space, a line break or another character that is not visible ASCII inside it; it is not shown. The key must be the key alone, on one line.");
            return null;
        }

        return "Bearer " + key;
    }

    /// <summary>
    /// The key file's text. A file that exists but cannot be read (access denied, an I/O error, or
    /// replaced between the check and the read) throws an <see cref="IOException"/> whose message
    /// names the setting: a start reports it as a configuration error, a reload tries again.
    /// </summary>
    private string ReadKeyFile(string name, string path)
    {
        try
        {
            return readFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{RightSizeOptions.SectionName}:Upstreams:{name}:ApiKeyFile could not be read: {ex.Message}", ex);
        }
    }
}
