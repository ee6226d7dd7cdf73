using System.Net.Http.Headers;
using System.Text;

namespace VideoGen.Server.Tests.Security;

/// <summary>One hostile request: <c>{video}</c> in the path stands for a real video's id; <see cref="Status"/> is the refusal expected.</summary>
public sealed record HostileRequest(string Name, string Method, string Path, Func<HttpContent?> Body, int Status);

/// <summary>
/// The table of hostile inputs, endpoint by endpoint: broken and abusive JSON, wrong types and ranges, control
/// characters and lone surrogates, SQL and script text, traversal and NUL bytes in ids, cursors, names and file
/// names, oversized and truncated bodies, wrong content types. Every one must be refused with the status given.
/// </summary>
public static class HostileCorpus
{
    private const string Sql = "' OR '1'='1'; DROP TABLE Videos; --";
    private const string Script = "<script>alert(1)</script>";

    public static IReadOnlyList<HostileRequest> All { get; } = Build();

    public static HostileRequest Find(string name) => All.Single(r => r.Name == name);

    private static List<HostileRequest> Build()
    {
        var rows = new List<HostileRequest>();
        void Add(string name, string method, string path, Func<HttpContent?> body, int status) => rows.Add(new(name, method, path, body, status));
        void CreateJson(string name, string json, int status = 400) => Add("create: " + name, "POST", "/api/videos", () => Json(json), status);

        // POST /api/videos: the body itself.
        CreateJson("empty body", "");
        CreateJson("whitespace body", "   \n ");
        CreateJson("malformed", "{\"prompt\":");
        CreateJson("truncated", "{\"prompt\":\"a fox\", \"seed\": 12");
        CreateJson("trailing garbage", "{\"prompt\":\"a fox\"} {}");
        CreateJson("array", "[{\"prompt\":\"a fox\"}]");
        CreateJson("null", "null");
        CreateJson("string", "\"a fox\"");
        CreateJson("number", "42");
        CreateJson("comments", "{/* x */\"prompt\":\"a fox\"}");
        CreateJson("single quotes", "{'prompt':'a fox'}");
        CreateJson("NaN literal", "{\"prompt\":\"a fox\",\"seed\":NaN}");
        CreateJson("Infinity literal", "{\"prompt\":\"a fox\",\"seed\":Infinity}");
        CreateJson("deeply nested (40)", "{\"prompt\":\"a fox\",\"parameters\":{\"x\":" + new string('[', 40) + new string(']', 40) + "}}");
        CreateJson("deeply nested (10000)", "{\"parameters\":" + string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000) + "}");
        CreateJson("duplicate keys", "{\"prompt\":\"a fox\",\"prompt\":\"a paid video\"}");
        CreateJson("duplicate keys differing in case", "{\"prompt\":\"a fox\",\"Prompt\":\"a paid video\"}");
        CreateJson("duplicate parameter keys", "{\"prompt\":\"a fox\",\"parameters\":{\"duration\":\"5\",\"duration\":\"10\"}}");
        CreateJson("unknown field", "{\"prompt\":\"a fox\",\"status\":\"succeeded\"}");
        CreateJson("prototype pollution", "{\"prompt\":\"a fox\",\"__proto__\":{\"admin\":true}}");
        CreateJson("prompt missing", "{}");
        CreateJson("prompt of spaces", "{\"prompt\":\"   \"}");
        CreateJson("prompt number", "{\"prompt\":5}");
        CreateJson("prompt object", "{\"prompt\":{\"$ne\":null}}");
        CreateJson("prompt array", "{\"prompt\":[\"a\"]}");
        CreateJson("prompt huge (60k)", "{\"prompt\":\"" + new string('a', 60_000) + "\"}");
        CreateJson("prompt NUL", "{\"prompt\":\"a fox\\u0000\"}");
        CreateJson("prompt control characters", "{\"prompt\":\"a fox\\u001b[31m\\u0007\"}");
        CreateJson("prompt lone high surrogate", "{\"prompt\":\"a fox \\ud800\"}");
        CreateJson("prompt lone low surrogate", "{\"prompt\":\"\\udc00 a fox\"}");
        CreateJson("negative prompt NUL", "{\"prompt\":\"a fox\",\"model\":\"fal-ai/kling-video/v2.1/standard/text-to-video\",\"negativePrompt\":\"blur\\u0000\"}");
        CreateJson("negative prompt lone surrogate", "{\"prompt\":\"a fox\",\"model\":\"fal-ai/kling-video/v2.1/standard/text-to-video\",\"negativePrompt\":\"\\ud800\"}");
        CreateJson("seed string", "{\"prompt\":\"a fox\",\"seed\":\"7\"}");
        CreateJson("seed fraction", "{\"prompt\":\"a fox\",\"seed\":1.5}");
        CreateJson("seed negative", "{\"prompt\":\"a fox\",\"seed\":-1}");
        CreateJson("seed beyond int64", "{\"prompt\":\"a fox\",\"seed\":99999999999999999999999}");
        CreateJson("seed 1e400", "{\"prompt\":\"a fox\",\"seed\":1e400}");
        CreateJson("seed boolean", "{\"prompt\":\"a fox\",\"seed\":true}");
        CreateJson("model SQL", $"{{\"prompt\":\"a fox\",\"model\":\"{Sql}\"}}");
        CreateJson("model traversal", "{\"prompt\":\"a fox\",\"model\":\"../../etc/passwd\"}");
        CreateJson("model NUL", "{\"prompt\":\"a fox\",\"model\":\"local/preview\\u0000\"}");
        CreateJson("model script", $"{{\"prompt\":\"a fox\",\"model\":\"{Script}\"}}");
        CreateJson("model huge", "{\"prompt\":\"a fox\",\"model\":\"" + new string('m', 50_000) + "\"}");
        CreateJson("image file URL", "{\"prompt\":\"a fox\",\"model\":\"fal-ai/kling-video/v2.1/standard/image-to-video\",\"imageUrl\":\"file:///etc/passwd\"}");
        CreateJson("image javascript URL", "{\"prompt\":\"a fox\",\"model\":\"fal-ai/kling-video/v2.1/standard/image-to-video\",\"imageUrl\":\"javascript:alert(1)\"}");
        CreateJson("image upload traversal", "{\"prompt\":\"a fox\",\"model\":\"fal-ai/kling-video/v2.1/standard/image-to-video\",\"imageUrl\":\"/media/uploads/../../videogen.db\"}");
        CreateJson("image upload NUL", "{\"prompt\":\"a fox\",\"model\":\"fal-ai/kling-video/v2.1/standard/image-to-video\",\"imageUrl\":\"/media/uploads/a.png\\u0000.php\"}");
        CreateJson("image missing upload", "{\"prompt\":\"a fox\",\"model\":\"fal-ai/kling-video/v2.1/standard/image-to-video\",\"imageUrl\":\"/media/uploads/0123456789abcdef0123456789abcdef.png\"}");
        CreateJson("image URL wrong type", "{\"prompt\":\"a fox\",\"model\":\"fal-ai/kling-video/v2.1/standard/image-to-video\",\"imageUrl\":123}");
        CreateJson("parameters array", "{\"prompt\":\"a fox\",\"parameters\":[1,2]}");
        CreateJson("parameters string", "{\"prompt\":\"a fox\",\"parameters\":\"duration=5\"}");
        CreateJson("parameter unknown", "{\"prompt\":\"a fox\",\"parameters\":{\"; rm -rf /\":1}}");
        CreateJson("parameter shell text", "{\"prompt\":\"a fox\",\"parameters\":{\"duration\":\"5; rm -rf /\"}}");
        CreateJson("parameter NaN text", "{\"prompt\":\"a fox\",\"parameters\":{\"duration\":\"NaN\"}}");
        CreateJson("parameter huge number", "{\"prompt\":\"a fox\",\"parameters\":{\"duration\":1e308}}");
        CreateJson("parameter object", "{\"prompt\":\"a fox\",\"parameters\":{\"duration\":{\"a\":1}}}");
        Add("create: oversized body (1 MB)", "POST", "/api/videos", () => Json("{\"prompt\":\"" + new string('a', 1_000_000) + "\"}"), 413);
        Add("create: invalid UTF-8", "POST", "/api/videos", () => Bytes([.. "{\"prompt\":\"a "u8, 0xFF, 0xFE, .. "\"}"u8], "application/json"), 400);
        Add("create: UTF-16 body", "POST", "/api/videos", () => Bytes(Encoding.Unicode.GetBytes("{\"prompt\":\"a fox\"}"), "application/json; charset=utf-16"), 400);
        Add("create: text/plain", "POST", "/api/videos", () => Bytes("{\"prompt\":\"a fox\"}"u8.ToArray(), "text/plain"), 415);
        Add("create: form", "POST", "/api/videos", () => new FormUrlEncodedContent([new("prompt", "a fox")]), 415);
        Add("create: xml", "POST", "/api/videos", () => Bytes("<prompt>a fox</prompt>"u8.ToArray(), "application/xml"), 415);
        Add("create: no content type", "POST", "/api/videos", () => Bytes("{\"prompt\":\"a fox\"}"u8.ToArray(), null), 415);
        Add("create: bogus content type", "POST", "/api/videos", () => RawContentType("{\"prompt\":\"a fox\"}", "application/json\u0000; x"), 415);

        // Ids, cursors and limits.
        foreach (var (label, id) in Ids())
        {
            Add($"get video: {label}", "GET", $"/api/videos/{id}", () => null, 404);
            Add($"cancel video: {label}", "POST", $"/api/videos/{id}/cancel", () => null, 404);
            Add($"video events: {label}", "GET", $"/api/videos/{id}/events", () => null, 404);
            Add($"admin job: {label}", "GET", $"/api/admin/queues/videos/jobs/{id}", () => null, 404);
            Add($"admin retry: {label}", "POST", $"/api/admin/queues/videos/jobs/{id}/retry", () => null, 404);
            Add($"admin remove: {label}", "DELETE", $"/api/admin/queues/videos/jobs/{id}", () => null, 404);
            Add($"admin queue: {label}", "GET", $"/api/admin/queues/{id}", () => null, 404);
            Add($"admin pause: {label}", "POST", $"/api/admin/queues/{id}/pause", () => null, 404);
            Add($"admin resume: {label}", "POST", $"/api/admin/queues/{id}/resume", () => null, 404);
            Add($"admin jobs of queue: {label}", "GET", $"/api/admin/queues/{id}/jobs", () => null, 404);
            Add($"admin user: {label}", "GET", $"/api/admin/users/{id}", () => null, 404);
            Add($"admin set limits: {label}", "PUT", $"/api/admin/users/{id}/limits", () => Json("{\"tier\":\"pro\"}"), 404);
            Add($"admin video priority: {label}", "POST", $"/api/admin/videos/{id}/priority", () => Json("{\"priority\":1}"), 404);
            Add($"media: {label}", "GET", $"/media/{id}", () => null, 404);
        }
        Add("cancel: body on a bodiless route", "POST", "/api/videos/{video}/cancel", () => Bytes("x=1"u8.ToArray(), "text/plain"), 415);
        Add("pause: form body", "POST", "/api/admin/queues/videos/pause", () => new FormUrlEncodedContent([new("x", "1")]), 415);
        foreach (var (label, query) in Queries())
        {
            Add($"list videos: {label}", "GET", $"/api/videos?{query}", () => null, 400);
            Add($"admin list jobs: {label}", "GET", $"/api/admin/queues/videos/jobs?{query}", () => null, 400);
        }
        Add("admin list jobs: state SQL", "GET", "/api/admin/queues/videos/jobs?state=" + Uri.EscapeDataString(Sql), () => null, 400);
        Add("admin list jobs: state script", "GET", "/api/admin/queues/videos/jobs?state=" + Uri.EscapeDataString(Script), () => null, 400);
        Add("admin list jobs: state NUL", "GET", "/api/admin/queues/videos/jobs?state=failed%00", () => null, 400);

        // POST /api/admin/videos/{id}/priority: the body (read before the video is looked up).
        const string SomeVideo = "/api/admin/videos/0123456789abcdef0123456789abcdef/priority";
        Add("priority: missing", "POST", SomeVideo, () => Json("{}"), 400);
        Add("priority: text", "POST", SomeVideo, () => Json("{\"priority\":\"high\"}"), 400);
        Add("priority: huge", "POST", SomeVideo, () => Json("{\"priority\":1e9}"), 400);
        Add("priority: SQL", "POST", SomeVideo, () => Json($"{{\"priority\":\"{Sql}\"}}"), 400);
        Add("priority: unknown field", "POST", SomeVideo, () => Json("{\"priority\":1,\"group\":\"x\"}"), 400);
        Add("priority: array", "POST", SomeVideo, () => Json("[1]"), 400);

        // Media paths that try to leave the media folder or reach the databases.
        foreach (var path in new[] { "/media/../videogen.db", "/media/%2e%2e/videogen.db", "/media/..%2fvideogen.db", "/media/videos/..%2f..%2fqueue.db",
                     "/media/%2fetc%2fpasswd", "/media/C:%5cWindows%5cwin.ini", "/media/videos/%5c..%5c..%5cvideogen.db", "/media/videogen.db", "/media/queue.db" })
        {
            Add($"media path: {path}", "GET", path, () => null, 404);
        }

        // POST /api/uploads: multipart parts, names and sizes.
        Add("upload: no parts", "POST", "/api/uploads", () => new MultipartFormDataContent(), 400);
        Add("upload: wrong field", "POST", "/api/uploads", () => Form("picture", "a.png", Png()), 400);
        Add("upload: empty file", "POST", "/api/uploads", () => Form("image", "a.png", []), 400);
        Add("upload: text as image", "POST", "/api/uploads", () => Form("image", "a.png", "<?php system($_GET['c']); ?>"u8.ToArray()), 415);
        Add("upload: svg with script", "POST", "/api/uploads", () => Form("image", "a.svg", Encoding.UTF8.GetBytes($"<svg xmlns=\"http://www.w3.org/2000/svg\">{Script}</svg>")), 415);
        Add("upload: html", "POST", "/api/uploads", () => Form("image", "a.html", Encoding.UTF8.GetBytes(Script)), 415);
        Add("upload: traversal file name, not an image", "POST", "/api/uploads", () => Form("image", "../../../videogen.db", "SQLite format 3\0"u8.ToArray()), 415);
        Add("upload: NUL file name, not an image", "POST", "/api/uploads", () => RawPart("a.png\0.php", "GIF89a"), 415);
        Add("upload: form field instead of file", "POST", "/api/uploads", () => TextField("image", "not a file"), 400);
        Add("upload: oversized (11 MB)", "POST", "/api/uploads", () => Form("image", "a.png", [.. Png(), .. new byte[11 * 1024 * 1024]]), 413);
        Add("upload: no boundary", "POST", "/api/uploads", () => Bytes("--x\r\n\r\n--x--"u8.ToArray(), "multipart/form-data"), 400);
        Add("upload: truncated multipart", "POST", "/api/uploads", () => Bytes(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\u0089PNG"), "multipart/form-data; boundary=b"), 400);
        Add("upload: garbage multipart", "POST", "/api/uploads", () => Bytes(Encoding.ASCII.GetBytes(new string('-', 100) + "\r\n\r\n\r\n"), "multipart/form-data; boundary=b"), 400);
        Add("upload: huge part headers", "POST", "/api/uploads", () => Bytes(Encoding.ASCII.GetBytes("--b\r\nX-Junk: " + new string('a', 100_000) + "\r\n\r\nx\r\n--b--\r\n"), "multipart/form-data; boundary=b"), 400);
        Add("upload: JSON", "POST", "/api/uploads", () => Json("{\"image\":\"iVBORw0KGgo=\"}"), 415);
        Add("upload: text/plain", "POST", "/api/uploads", () => Bytes(Png(), "text/plain"), 415);

        // POST /webhooks/fal: deliveries refused before any key is fetched.
        Add("webhook: empty", "POST", "/webhooks/fal", () => Json(""), 400);
        Add("webhook: malformed JSON, no headers", "POST", "/webhooks/fal", () => Json("{"), 400);
        Add("webhook: huge body", "POST", "/webhooks/fal", () => Json("{\"a\":\"" + new string('a', 2_000_000) + "\"}"), 413);
        return rows;
    }

    private static IEnumerable<(string Label, string Id)> Ids() =>
    [
        ("SQL", Uri.EscapeDataString(Sql)),
        ("script", Uri.EscapeDataString(Script)),
        ("traversal", "..%2F..%2Fvideogen.db"),
        ("control characters", "%1b%5b31m%07"),
        ("lone surrogate", "%ED%A0%80"),
        ("huge", new string('a', 4000)),
        ("unicode look-alike", Uri.EscapeDataString("vіdeos")),
    ];

    private static IEnumerable<(string Label, string Query)> Queries() =>
    [
        ("limit negative", "limit=-1"),
        ("limit zero", "limit=0"),
        ("limit huge", "limit=99999999999999999999"),
        ("limit text", "limit=" + Uri.EscapeDataString(Sql)),
        ("limit NaN", "limit=NaN"),
        ("limit fraction", "limit=1.5"),
        ("cursor SQL", "cursor=" + Uri.EscapeDataString(Sql)),
        ("cursor script", "cursor=" + Uri.EscapeDataString(Script)),
        ("cursor traversal", "cursor=..%2F..%2Fvideogen.db"),
        ("cursor NUL", "cursor=%00"),
        ("cursor huge", "cursor=" + new string('A', 5000)),
        ("cursor lone surrogate", "cursor=%ED%A0%80"),
        ("cursor base64 garbage", "cursor=" + Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"t\":\"NaN\",\"id\":null}")))),
    ];

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent Bytes(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        return content;
    }

    private static ByteArrayContent RawContentType(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static byte[] Png() => Convert.FromBase64String(CrossSiteRequestTests.OnePixelPng);

    private static MultipartFormDataContent Form(string field, string fileName, byte[] bytes)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, field, fileName);
        return form;
    }

    /// <summary>A multipart body written by hand, so the file name can hold what HttpClient refuses to send (NUL).</summary>
    private static ByteArrayContent RawPart(string fileName, string latin1Bytes) => Bytes(
        Encoding.Latin1.GetBytes($"--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"{fileName}\"\r\nContent-Type: image/png\r\n\r\n{latin1Bytes}\r\n--b--\r\n"),
        "multipart/form-data; boundary=b");

    private static MultipartFormDataContent TextField(string field, string value)
    {
        var form = new MultipartFormDataContent { { new StringContent(value), field } };
        return form;
    }
}
