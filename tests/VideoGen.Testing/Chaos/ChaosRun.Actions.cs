using System.Diagnostics;
using System.Globalization;

namespace VideoGen.Testing.Chaos;

public sealed partial class ChaosRun
{
    private enum ActionKind
    {
        StepKill,
        RandomKill,
        ApiKill,
        RedisRestart,
        QueueLoss,
    }

    private sealed record PlannedAction(ActionKind Kind, string? Step = null);

    /// <summary>
    /// The plan: per round, a worker kill as soon as a video is seen in each pipeline step, each followed
    /// by a kill at a random moment; the rest of the random kills; the API kills, the Redis restart and
    /// the queue loss spread over it. Runs until the plan is done, every video is terminal, or
    /// <see cref="ChaosOptions.ChaosLimit"/>.
    /// </summary>
    private List<PlannedAction> Plan()
    {
        var plan = new List<PlannedAction>();
        var random = _o.RandomKills;
        for (var round = 0; round < _o.StepKillRounds; round++)
        {
            foreach (var step in Steps)
            {
                plan.Add(new PlannedAction(ActionKind.StepKill, step));
                if (random-- > 0)
                {
                    plan.Add(new PlannedAction(ActionKind.RandomKill));
                }
            }
        }

        for (; random > 0; random--)
        {
            plan.Add(new PlannedAction(ActionKind.RandomKill));
        }

        // The Redis restart and the API kills early in the plan (after the first kill), spread over its first half.
        var others = new List<PlannedAction>();
        if (_o.RedisRestart)
        {
            others.Add(new PlannedAction(ActionKind.RedisRestart));
        }

        for (var k = 0; k < _o.ApiKills; k++)
        {
            others.Add(new PlannedAction(ActionKind.ApiKill));
        }

        for (var k = 0; k < others.Count; k++)
        {
            var at = Math.Min(plan.Count, 1 + (k * Math.Max(1, plan.Count / 2) / Math.Max(1, others.Count)) + k);
            plan.Insert(at, others[k]);
        }

        if (_o.QueueLoss != QueueLoss.None)
        {
            plan.Insert(0, new PlannedAction(ActionKind.QueueLoss));
        }

        return plan;
    }

    private async Task ChaosAsync()
    {
        var plan = Plan();
        var clock = Stopwatch.StartNew();
        var done = 0;
        foreach (var action in plan)
        {
            if (action.Kind is not (ActionKind.StepKill or ActionKind.RandomKill))
            {
                // The API and Redis go down only once every video was accepted (a create then answers for sure).
                await _created.Task.WaitAsync(Ct);
            }

            if (clock.Elapsed > _o.ChaosLimit || (_created.Task.IsCompleted && AllTerminal()))
            {
                break;
            }

            switch (action.Kind)
            {
                case ActionKind.StepKill:
                    var seen = await WaitForStepAsync(action.Step!, TimeSpan.FromSeconds(30));
                    await KillWorkerAsync(seen ? $"a video seen {action.Step}" : $"none seen {action.Step} within 30 s");
                    break;
                case ActionKind.RandomKill:
                    await KillWorkerAsync("random moment");
                    break;
                case ActionKind.ApiKill:
                    await KillApiAsync();
                    break;
                case ActionKind.RedisRestart:
                    await RestartRedisAsync();
                    break;
                case ActionKind.QueueLoss:
                    await WaitForMidRunAsync();
                    await LoseQueueAsync();
                    break;
            }

            done++;
            var pause = _o.Pause.Min + ((_o.Pause.Max - _o.Pause.Min) * _random.NextDouble());
            await Task.Delay(pause, Ct);
        }

        if (done < plan.Count)
        {
            _actions.Add(string.Create(CultureInfo.InvariantCulture, $"{plan.Count - done} planned actions not run (every video terminal or the chaos limit reached)"));
        }
    }

    private bool AllTerminal()
    {
        var latest = _latest;
        return latest.Count >= _videos.Count && latest.All(v => ChaosApi.IsTerminal(v.Status));
    }

    private async Task<bool> WaitForStepAsync(string step, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit && !AllTerminal())
        {
            if (_latest.Any(v => v.Status == step))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), Ct);
        }

        return false;
    }

    /// <summary>Waits (at most 2 minutes) until a quarter of the videos succeeded while a quarter is still unfinished.</summary>
    private async Task WaitForMidRunAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            var latest = _latest;
            var succeeded = latest.Count(v => v.Status == "succeeded");
            var open = latest.Count(v => !ChaosApi.IsTerminal(v.Status));
            if (succeeded * 4 >= _videos.Count && open * 4 >= _videos.Count)
            {
                _actions.Add(string.Create(CultureInfo.InvariantCulture, $"{Elapsed} mid-run: {succeeded} succeeded, {open} unfinished"));
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), Ct);
        }

        _actions.Add($"{Elapsed} mid-run not seen within 2 min");
    }
}
