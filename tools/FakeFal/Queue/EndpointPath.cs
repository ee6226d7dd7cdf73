namespace FakeFal.Queue;

/// <summary>
/// fal's endpoint id rules: status, response and cancel URLs use only the app — the first two
/// path segments (three when the first is a namespace such as <c>workflows</c> or <c>comfy</c>) —
/// never the endpoint's sub-path.
/// </summary>
public static class EndpointPath
{
    private static readonly string[] Namespaces = ["workflows", "comfy"];

    public static bool IsValidModelId(string modelId)
    {
        var parts = modelId.Split('/');
        return parts.Length >= AppSegments(parts) && parts.All(p => p.Length > 0);
    }

    public static string AppId(string modelId)
    {
        var parts = modelId.Split('/');
        return string.Join('/', parts.Take(AppSegments(parts)));
    }

    /// <summary>
    /// Splits <c>{app}/requests/{id}[/status[/stream] | /cancel]</c>. Returns false for anything
    /// else, including URLs that carry the endpoint sub-path (fal rejects those too).
    /// </summary>
    public static bool TryParseRequestPath(string path, out string appId, out string requestId, out string action)
    {
        appId = requestId = action = "";
        var parts = path.Trim('/').Split('/');
        var appLen = AppSegments(parts);
        if (parts.Length < appLen + 2 || parts[appLen] != "requests" || parts.Take(appLen).Any(p => p.Length == 0))
        {
            return false;
        }

        appId = string.Join('/', parts.Take(appLen));
        requestId = parts[appLen + 1];
        action = string.Join('/', parts.Skip(appLen + 2));
        return requestId.Length > 0 && action is "" or "status" or "status/stream" or "cancel";
    }

    private static int AppSegments(string[] parts) => parts.Length > 0 && Namespaces.Contains(parts[0]) ? 3 : 2;
}
