using System.Runtime.InteropServices;

namespace RightSize.Classification.Onnx;

/// <summary>
/// Keeps ONNX Runtime from calling out. Its Linux build (1.31) starts Microsoft's 1DS telemetry
/// with its environment and looks up <c>mobile.events.data.microsoft.com</c> every few seconds;
/// a gateway sidecar must not reach the internet on its own. Unless the operator has set
/// <c>ORT_DISABLE_TELEMETRY</c> themselves (<c>0</c> turns it back on), it is set to <c>1</c> before
/// ONNX Runtime first runs. <c>OrtEnv.DisableTelemetryEvents()</c> is not enough: with it, the
/// lookups go on (measured with <c>strace</c>, docs/deployment.md).
/// </summary>
internal static partial class OnnxRuntimeTelemetry
{
    public const string Variable = "ORT_DISABLE_TELEMETRY";

    /// <summary>Sets <see cref="Variable"/> to <c>1</c> where ONNX Runtime will read it, unless it is set already.</summary>
    public static void OptOut() => SetIfUnset(Variable, "1");

    /// <summary>
    /// Sets an environment variable for native code, keeping a value that is already there. On Unix
    /// .NET keeps its own copy of the environment, which native libraries never see, so libc's
    /// <c>setenv</c> is called; on Windows the process environment is the native one.
    /// </summary>
    internal static void SetIfUnset(string name, string value)
    {
        if (OperatingSystem.IsWindows())
        {
            if (Environment.GetEnvironmentVariable(name) is null) Environment.SetEnvironmentVariable(name, value);
            return;
        }

        _ = SetEnv(name, value, overwrite: 0);
    }

    /// <summary>libc's <c>getenv</c>: what native code sees (for tests).</summary>
    internal static string? NativeValue(string name) => OperatingSystem.IsWindows() ? Environment.GetEnvironmentVariable(name) : Marshal.PtrToStringUTF8(GetEnv(name));

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}
