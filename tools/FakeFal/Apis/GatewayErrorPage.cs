using System.Globalization;
using System.Text;

namespace FakeFal.Apis;

/// <summary>
/// The kind of answer a reverse proxy or CDN in front of fal's queue gives when it lost fal's answer (or never
/// reached it): an HTML page with a 5xx status, no fal headers — so the caller cannot tell what fal did.
/// </summary>
public sealed record GatewayErrorPage(int StatusCode) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "text/html; charset=utf-8";
        var code = StatusCode.ToString(CultureInfo.InvariantCulture);
        var page = $"<!DOCTYPE html>\n<html><head><title>{code}</title></head>\n<body><center><h1>{code}</h1></center><hr><center>gateway</center></body></html>\n";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(page), httpContext.RequestAborted);
    }
}
