using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using RightSize.Soak;

// Usage: RightSize.Soak --gateway http://127.0.0.1:19700/ [--seconds 150] [--rate 60] [--seed 1]
// Exit code 0 when every check passed, 1 otherwise. See docs/soak.md.
var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal) && p.i + 1 < args.Length)
    .ToDictionary(p => p.a[2..], p => args[p.i + 1], StringComparer.OrdinalIgnoreCase);
var gateway = new Uri(options.GetValueOrDefault("gateway", "http://127.0.0.1:19700/").TrimEnd('/') + "/");
var seconds = int.Parse(options.GetValueOrDefault("seconds", "150"), CultureInfo.InvariantCulture);
var rate = int.Parse(options.GetValueOrDefault("rate", "60"), CultureInfo.InvariantCulture);
var seed = int.Parse(options.GetValueOrDefault("seed", "1"), CultureInfo.InvariantCulture);
if (seconds is < 1 or > 180 || rate is < 1 or > 200) throw new ArgumentException("--seconds is 1..180 and --rate 1..200 (this is a soak, not a load test).");

using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
var scenarios = new Scenarios(http, gateway).All;
var totalWeight = scenarios.Sum(s => s.Weight);
var outcomes = new ConcurrentQueue<Outcome>();
var running = new ConcurrentDictionary<int, Task>();
var random = new Random(seed);
var clock = Stopwatch.StartNew();
var started = 0;

Console.WriteLine($"soak: {gateway} for {seconds} s at {rate} requests/s, seed {seed}");
using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
while (clock.Elapsed < TimeSpan.FromSeconds(seconds) && await timer.WaitForNextTickAsync())
{
    var due = (int)(clock.Elapsed.TotalSeconds * rate) - started;
    for (var i = 0; i < due && running.Count < 200; i++, started++)
    {
        var pick = random.Next(totalWeight);
        var scenario = scenarios.First(s => (pick -= s.Weight) < 0);
        var id = started;
        var requestRandom = new Random(random.Next());
        running[id] = Task.Run(async () =>
        {
            try
            {
                outcomes.Enqueue(await scenario.Run(requestRandom));
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                outcomes.Enqueue(new Outcome(scenario.Name, 0) { Problem = $"{e.GetType().Name}: {Wire.Truncate(e.Message)}" });
            }
            finally
            {
                running.TryRemove(id, out _);
            }
        });
    }

    if (clock.ElapsedMilliseconds % 10_000 < 50) Console.WriteLine($"  {clock.Elapsed.TotalSeconds:0} s: {outcomes.Count} done, {running.Count} running");
}

await Task.WhenAll(running.Values);
var all = outcomes.ToList();
Console.WriteLine($"sent {all.Count} requests in {clock.Elapsed.TotalSeconds:0} s");
foreach (var group in all.GroupBy(o => o.Scenario).OrderBy(g => g.Key, StringComparer.Ordinal))
{
    var statuses = string.Join(" ", group.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}x{g.Count()}"));
    var ends = string.Join(" ", group.Where(o => o.End != StreamEnd.NotStream).GroupBy(o => o.End).Select(g => $"{g.Key}x{g.Count()}"));
    Console.WriteLine($"  {group.Key,-26} {group.Count(),5}  status {statuses}  {ends}");
}

var problems = all.Where(o => o.Problem is not null).Select(o => $"{o.Scenario}: {o.Problem}").ToList();
problems.AddRange(await StatsCheck.RunAsync(http, gateway, all));
foreach (var problem in problems.GroupBy(p => p).Select(g => $"{g.Count()}x {g.Key}")) Console.WriteLine("PROBLEM " + problem);
Console.WriteLine(problems.Count == 0 ? "soak: every check passed" : $"soak: {problems.Count} problems");
return problems.Count == 0 ? 0 : 1;
