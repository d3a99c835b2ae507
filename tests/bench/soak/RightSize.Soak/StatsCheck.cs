using System.Text.Json;

namespace RightSize.Soak;

/// <summary>Compares <c>GET /rightsize/stats</c> with what the soak sent and saw.</summary>
internal static class StatsCheck
{
    public static async Task<List<string>> RunAsync(HttpClient http, Uri gateway, IReadOnlyCollection<Outcome> outcomes)
    {
        var recorded = outcomes.Where(o => o.Recorded).ToList();
        var expectedRoutes = recorded.GroupBy(o => o.Route!).ToDictionary(g => g.Key, g => g.Count());
        var expected = new Counts(recorded.Count, recorded.Count(o => o.CountsAsError), recorded.Count(o => o.End == StreamEnd.ClientCancelled));

        // The gateway records a request just after its last byte left: give the last few a moment.
        Counts actual = default;
        Dictionary<string, int> routes = [];
        for (var i = 0; i < 50; i++)
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(gateway, "rightsize/stats")));
            var total = doc.RootElement.GetProperty("total");
            actual = new Counts(total.GetProperty("requests").GetInt32(), total.GetProperty("errors").GetInt32(), total.GetProperty("clientAborts").GetInt32());
            routes = doc.RootElement.GetProperty("routes").EnumerateArray()
                .GroupBy(r => r.GetProperty("route").GetString()!)
                .ToDictionary(g => g.Key, g => g.Sum(r => r.GetProperty("total").GetProperty("requests").GetInt32()));
            if (actual.Requests >= expected.Requests) break;
            await Task.Delay(200);
        }

        Console.WriteLine($"stats: requests {actual.Requests} (sent {expected.Requests}), errors {actual.Errors} (seen {expected.Errors}), clientAborts {actual.ClientAborts} (cancelled {expected.ClientAborts})");
        var problems = new List<string>();
        if (actual != expected) problems.Add($"stats totals {actual} differ from what was sent and seen {expected}");
        foreach (var route in expectedRoutes.Keys.Union(routes.Keys).Order(StringComparer.Ordinal))
        {
            var want = expectedRoutes.GetValueOrDefault(route);
            var got = routes.GetValueOrDefault(route);
            Console.WriteLine($"  route {route}: stats {got}, sent {want}");
            if (want != got) problems.Add($"route {route}: stats count {got}, sent {want}");
        }

        return problems;
    }

    private readonly record struct Counts(int Requests, int Errors, int ClientAborts);
}
