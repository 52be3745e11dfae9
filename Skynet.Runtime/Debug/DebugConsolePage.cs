using System.Globalization;
using System.Net;
using System.Text;

namespace Skynet.Debugging;

/// <summary>The console's <c>GET /</c>: one small HTML page listing the services, refreshing itself every two seconds.</summary>
static class DebugConsolePage
{
    public static string Render(SkynetNode node)
    {
        var services = node.ListServices().OrderBy(s => s.Address.Value).ToList();
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
            <title>skynet console: {{Encode(node.Options.NodeName)}}</title>
            <style>body{font-family:monospace;margin:1em}table{border-collapse:collapse}td,th{padding:2px 10px;text-align:right}td:nth-child(2),th:nth-child(2){text-align:left}tr:nth-child(even){background:#eee}</style>
            </head><body>
            <h1>skynet node {{Encode(node.Options.NodeName)}} (harbor {{node.Harbor}})</h1>
            <p id="summary">{{services.Count}} services, heap {{(GC.GetTotalMemory(false) / 1048576.0).ToString("F2", CultureInfo.InvariantCulture)}} Mb, {{node.ThreadCount}} worker threads, profile {{(node.Options.Profile ? "on" : "off")}}</p>
            <table id="services"><thead><tr><th>address</th><th>name</th><th>mqlen</th><th>message</th><th>task</th><th>cpu (s)</th></tr></thead><tbody>

            """);
        foreach (var service in services)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{service.Address}</td><td>{Encode(service.Name)}</td><td>{service.QueueLength}</td><td>{service.MessageCount}</td><td>{service.PendingTasks}</td><td>{(service.CpuTime?.TotalSeconds ?? 0):0.######}</td></tr>\n");
        }
        html.Append("</tbody></table>\n<p>Commands answer at <a href=\"/help\">/help</a>, <a href=\"/list\">/list</a>, <a href=\"/stat\">/stat</a>, <a href=\"/mem\">/mem</a>.</p>\n</body></html>\n");
        return html.ToString();
    }

    static string Encode(string text) => WebUtility.HtmlEncode(text);
}
