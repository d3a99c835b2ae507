using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json.Nodes;
using RightSize.Cli.Output;
using RightSize.Features;
using RightSize.Training.Data;
using RightSize.Training.Evaluation;
using RightSize.Training.Packaging;
using RightSize.Training.Training;

namespace RightSize.Cli.Commands;

/// <summary><c>rightsize train --data FILE... --out DIR [--seed N] [--epochs N] [--logistic [--regularization C]] [--eval FILE]</c>.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string[]>("--data") { Description = "Routing data files (JSON Lines, see ../shared/data/routing/README.md).", Required = true, AllowMultipleArgumentsPerToken = true }.NotBlank();
        var output = new Option<string>("--out") { Description = "Model directory to create or replace whole (model.onnx, manifest.json, golden.jsonl); written beside it, then renamed into place.", Required = true }.NotBlank();
        var seed = new Option<int>("--seed") { Description = "Seed of the shuffle and the held-out split.", DefaultValueFactory = _ => new TrainerOptions().Seed };
        var epochs = new Option<int>("--epochs") { Description = "Hidden-layer model: passes over the data (the best held-out pass is kept).", DefaultValueFactory = _ => new TrainerOptions().Epochs };
        var learningRate = new Option<float>("--learning-rate") { Description = "Hidden-layer model: Adagrad step size (above 0, at most 1).", DefaultValueFactory = _ => new TrainerOptions().LearningRate };
        var l2 = new Option<float>("--l2") { Description = "Hidden-layer model: L2 penalty per touched weight and step.", DefaultValueFactory = _ => new TrainerOptions().L2 };
        var outcomeWeight = new Option<float>("--outcome-weight") { Description = "Weight of a row's own 0/1 outcome in its target; the rest is its many-model consensus when present.", DefaultValueFactory = _ => new TrainerOptions().OutcomeWeight };
        var hidden = new Option<int>("--hidden-size") { Description = "Hidden-layer model: units in the hidden layer (the ONNX graph's width is this plus one, plus one for the mid gate).", DefaultValueFactory = _ => new TrainerOptions().HiddenSize };
        var ensemble = new Option<int>("--ensemble") { Description = "Hidden-layer model: members trained with derived seeds and folded into one graph (mean logits).", DefaultValueFactory = _ => new TrainerOptions().EnsembleSize };
        var logistic = new Option<bool>("--logistic") { Description = "Train the logistic model (one L2 logistic regression per output, fitted by L-BFGS) instead of the hidden-layer one." };
        var regularization = new Option<double>("--regularization") { Description = "Logistic model: inverse L2 strength C (larger fits the data more closely).", DefaultValueFactory = _ => new TrainerOptions().RegularizationC };
        var noMidGate = new Option<bool>("--no-mid-gate") { Description = "One mid output for every prompt instead of a separate one for prompts with 5+ option letters." };
        var eval = new Option<string?>("--eval") { Description = "Optional labelled file to evaluate the new model on; its figures go into the manifest." }.NotBlank();
        var command = new Command("train", "Train a difficulty model and write it as a model directory.") { data, output, seed, epochs, learningRate, l2, outcomeWeight, hidden, ensemble, logistic, regularization, noMidGate, eval };
        var flags = new Dictionary<string, string>
        {
            [nameof(TrainerOptions.Epochs)] = epochs.Name,
            [nameof(TrainerOptions.LearningRate)] = learningRate.Name,
            [nameof(TrainerOptions.L2)] = l2.Name,
            [nameof(TrainerOptions.OutcomeWeight)] = outcomeWeight.Name,
            [nameof(TrainerOptions.EnsembleSize)] = ensemble.Name,
            [nameof(TrainerOptions.HiddenSize)] = hidden.Name,
            [nameof(TrainerOptions.RegularizationC)] = regularization.Name,
        };

        // A validator sees only the options given (defaults are applied later), so start from
        // the trainer's defaults, which are also the options' defaults.
        static T Given<T>(CommandResult result, Option<T> option, T fallback) => result.GetResult(option) is null ? fallback : result.GetValue(option)!;
        TrainerOptions Options(CommandResult result)
        {
            var defaults = new TrainerOptions();
            return defaults with
            {
                Seed = Given(result, seed, defaults.Seed),
                Epochs = Given(result, epochs, defaults.Epochs),
                LearningRate = Given(result, learningRate, defaults.LearningRate),
                L2 = Given(result, l2, defaults.L2),
                OutcomeWeight = Given(result, outcomeWeight, defaults.OutcomeWeight),
                EnsembleSize = Given(result, ensemble, defaults.EnsembleSize),
                HiddenSize = result.GetValue(logistic) ? 0 : Math.Max(1, Given(result, hidden, defaults.HiddenSize)), // below 1: a usage error, reported by the check
                RegularizationC = Given(result, regularization, defaults.RegularizationC),
                MidGateSlot = result.GetValue(noMidGate) ? -1 : defaults.MidGateSlot,
            };
        }

        // The options only one trainer reads; given to the other, they would be ignored without a word.
        Option[] hiddenLayerOnly = [epochs, learningRate, l2, hidden, ensemble];
        Option[] logisticOnly = [regularization];

        // Every meaningless number and every option the chosen trainer does not read, at once,
        // before anything is read or written.
        command.AddCheck(result =>
        {
            foreach (var problem in Options(result).Problems(property => flags.GetValueOrDefault(property, property))) result.AddError(problem);
            var isLogistic = result.GetValue(logistic);
            var unread = string.Join(", ", (isLogistic ? hiddenLayerOnly : logisticOnly).Where(option => result.GetResult(option) is not null).Select(option => option.Name));
            if (unread.Length > 0)
            {
                result.AddError(isLogistic
                    ? $"Only the hidden-layer model reads {unread}; {logistic.Name} trains the model without a hidden layer."
                    : $"Only the logistic model reads {unread}; add {logistic.Name} to train it.");
            }

            if (!isLogistic && result.GetResult(hidden) is not null && result.GetValue(hidden) < 1)
            {
                result.AddError($"{hidden.Name} must be at least 1 (got {result.GetValue(hidden).ToString(CultureInfo.InvariantCulture)}); {logistic.Name} trains the model without a hidden layer.");
            }
        });
        command.SetAction(parse => RightSizeCli.Guard(context, () => Run(
            context,
            parse.GetValue(data) ?? [],
            parse.GetValue(output)!,
            parse.GetValue(seed),
            Options(parse.CommandResult),
            parse.GetValue(eval))));
        return command;
    }

    private static int Run(CliContext context, string[] files, string outDir, int seed, TrainerOptions options, string? evalFile)
    {
        var (rows, dataHash) = RoutingDataReader.ReadAllHashed(files);
        DuplicateIds.Warn(context, rows);
        var evalRows = evalFile is null ? null : RoutingDataReader.ReadAll([evalFile]);
        if (evalRows is not null)
        {
            DuplicateIds.Warn(context, evalRows);
            EvalCommand.RequireMidAndFrontier(evalFile!, evalRows); // before training, not after it
        }

        var overlap = evalRows is null ? null : EvalOverlap.Describe(rows, evalRows, evalFile!);
        if (overlap is not null) context.Error.WriteLine($"warning: {overlap}");
        using var staged = StagedModelDirectory.Prepare(outDir);
        var epochs = options.Epochs;
        var logistic = options.HiddenSize == 0;
        var result = context.Progress.Run(board =>
        {
            var features = board.Add("features", rows.Count);
            var fitting = logistic ? board.Add("fit (L-BFGS per output)", options.MidGateSlot >= 0 ? 3 : 2) : board.Add("epochs", epochs);
            var calibrating = board.Add("calibrate", 1);
            var reporter = new SyncProgress<TrainingProgress>(p =>
            {
                var stage = p.Stage switch { "features" => features, "epoch" or "fit" => fitting, _ => calibrating };
                var description = p.HeldOutLoss is { } loss ? string.Create(CultureInfo.InvariantCulture, $"epochs (held-out loss {loss:F4})") : null;
                stage.Report(p.Done, p.Total, description); // the logistic model fits 2 outputs when the data leaves the mid gate out
            });
            return SparseTrainer.Train(rows, options, reporter);
        });

        var (_, heldOut) = SparseTrainer.SplitFor(rows, options);
        var heldOutRows = heldOut.Select(i => rows[i]).ToList();
        var metrics = new JsonObject { ["trainRows"] = result.TrainRows, ["heldOutRows"] = result.HeldOutRows };
        if (logistic)
        {
            metrics["regularizationC"] = options.RegularizationC;
        }
        else
        {
            metrics["epochs"] = epochs;
            metrics["bestEpoch"] = new JsonArray(result.BestEpoch.Select(e => (JsonNode)e).ToArray());
        }

        metrics["tierModels"] = TierModelCounts.ToJson(rows);
        metrics["heldOutLogLoss"] = new JsonArray([.. result.HeldOutLoss.Select(LogLoss)]);
        metrics["heldOut"] = EvaluationJson.ToJson(RoutingEvaluator.Evaluate(heldOutRows, ModelScorer.Score(result.Model, options.Features, heldOutRows)));
        IReadOnlyList<SourceEvaluation>? evaluation = null;
        if (evalRows is not null)
        {
            var predictions = ModelScorer.Score(result.Model, options.Features, evalRows);
            evaluation = RoutingEvaluator.Evaluate(evalRows, predictions);
            metrics["eval:" + Path.GetFileName(evalFile)] = EvaluationJson.ToJson(evaluation);
            EvalCommand.ReportRowsLeftOut(context, evalRows);
            EvaluationTable.Write(context, evaluation, evalFile!);
            EvaluationNotes.Write(context, evaluation);
        }

        if (overlap is not null) metrics["notes"] = new JsonArray(overlap);
        ModelDirectory.Write(staged.Path, result, options.Features, heldOutRows, dataHash, seed, metrics, context.Time.GetUtcNow());
        if (staged.Commit() is { } warning) context.Error.WriteLine($"warning: {warning}");
        foreach (var doubt in result.Warnings()) context.Error.WriteLine($"warning: {doubt}");
        foreach (var note in result.Notes()) context.Error.WriteLine($"note: {note}");
        var size = new FileInfo(Path.Combine(staged.Target, Classification.Models.ModelFiles.Model)).Length;
        context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained on {result.TrainRows} rows ({result.HeldOutRows} held out); wrote {outDir} (model.onnx {size / 1e6:F2} MB)"));
        return ExitCodes.Ok;
    }

    /// <summary>Five decimals; null for a head with no held-out rows (undefined), never a made-up 0.</summary>
    private static JsonNode? LogLoss(double loss) => double.IsFinite(loss) ? JsonValue.Create(Math.Round(loss, 5)) : null;
}
