using System.Text;
using System.Text.Json.Nodes;

namespace HpSearch.Api.Tests.Hostile;

/// <summary>Hostile requests to the write and list endpoints, each with the status and the field it must get.
/// Spec cases splice one raw JSON value into the valid spec at a path (raw text, so 1e400 and lone surrogates survive).</summary>
public static class MalformedRequestCorpus
{
    private const string Json = "application/json";

    public static readonly IReadOnlyList<MalformedRequest> All = [.. SpecCases(), .. BodyCases(), .. ContentTypeCases(), .. QueryCases(), .. ScheduleCases()];

    private static IEnumerable<MalformedRequest> SpecCases() =>
    [
        Spec("params.model", @"""transformer""", "params.model"),
        Spec("params.model", @"7", "params.model"),
        Spec("params.model", @"null", "params.model"),
        Spec("params.activation", @"""swish""", "params.activation"),
        Spec("params.activation", @"3", "params.activation"),
        Spec("params.optimizer", @"""lion""", "params.optimizer"),
        Spec("params.init", @"""glorot""", "params.init"),
        Spec("params.schedule", @"""exponential""", "params.schedule"),
        Spec("params.weightDecayMode", @"""both""", "params.weightDecayMode"),
        Spec("params.hidden", @"[65536, 65537]", "params.hidden[0]"),
        Spec("params.hidden", @"[16, -1]", "params.hidden[1]"),
        Spec("params.hidden", @"[16, 1.5]", "params.hidden[1]"),
        Spec("params.hidden", @"[16, ""32""]", "params.hidden[1]"),
        Spec("params.hidden", @"[16, {""width"": 32}]", "params.hidden[1]"),
        Spec("params.hidden", @"[[16]]", "params.hidden[0]"),
        Spec("params.hidden", @"[true]", "params.hidden[0]"),
        Spec("params.hidden", @"[16, 1e400]", "params.hidden[1]"),
        Spec("params.hidden", @"[1e19]", "params.hidden[0]"),
        Spec("params.hidden", @"[]", "params.hidden"),
        Spec("params.hidden", @"""wide""", "params.hidden"),
        Spec("params.hidden", @"0", "params.hidden"),
        Spec("params.hidden", @"{""a"": 1}", "params.hidden"),
        Spec("params.hidden", Repeat("16", 40), "params.hidden"),
        Spec("params.epochs", @"1e19", "params.epochs"),
        Spec("params.epochs", @"1e400", "params.epochs"),
        Spec("params.epochs", @"""5""", "params.epochs"),
        Spec("params.epochs", @"2.5", "params.epochs"),
        Spec("params.epochs", @"0", "params.epochs"),
        Spec("params.epochs", @"-1", "params.epochs"),
        Spec("params.epochs", @"[2]", "params.epochs"),
        Spec("params.batchSize", @"0", "params.batchSize"),
        Spec("params.batchSize", @"1000000000", "params.batchSize"),
        Spec("params.batchSize", @"""128""", "params.batchSize"),
        Spec("params.batchSize", @"-9223372036854775808", "params.batchSize"),
        Spec("params.dropout", @"1", "params.dropout"),
        Spec("params.dropout", @"-0.1", "params.dropout"),
        Spec("params.dropout", @"[0.5, 1.5]", "params.dropout[1]"),
        Spec("params.dropout", @"""0.5""", "params.dropout"),
        Spec("params.momentum", @"1", "params.momentum"),
        Spec("params.momentum", @"-0.5", "params.momentum"),
        Spec("params.beta1", @"-0.1", "params.beta1"),
        Spec("params.beta2", @"1", "params.beta2"),
        Spec("params.eps", @"0", "params.eps"),
        Spec("params.rmspropAlpha", @"1", "params.rmspropAlpha"),
        Spec("params.weightDecay", @"-1", "params.weightDecay"),
        Spec("params.batchNorm", @"""yes""", "params.batchNorm"),
        Spec("params.batchNorm", @"1", "params.batchNorm"),
        Spec("params.residual", @"null", "params.residual"),
        Spec("params.convKernel", @"0", "params.convKernel"),
        Spec("params.convKernel", @"100", "params.convKernel"),
        Spec("params.convStride", @"0", "params.convStride"),
        Spec("params.convPadding", @"-1", "params.convPadding"),
        Spec("params.convChannels", @"[0]", "params.convChannels[0]"),
        Spec("params.convChannels", @"[32, 1000000]", "params.convChannels[1]"),
        Spec("params.augShift", @"-1", "params.augShift"),
        Spec("params.augErase", @"2", "params.augErase"),
        Spec("params.augRotate", @"720", "params.augRotate"),
        Spec("params.stepEpochs", @"0", "params.stepEpochs"),
        Spec("params.gamma", @"0", "params.gamma"),
        Spec("params.initStd", @"0", "params.initStd"),
        Spec("params.leakySlope", @"2", "params.leakySlope"),
        Spec("params.eluAlpha", @"0", "params.eluAlpha"),
        Spec("params.clipNorm", @"-1", "params.clipNorm"),
        Spec("params.maxNorm", @"-1", "params.maxNorm"),
        Spec("params.warmupEpochs", @"-1", "params.warmupEpochs"),
        Spec("params.minLr", @"-1", "params.minLr"),
        Spec("params.bnMomentum", @"2", "params.bnMomentum"),
        Spec("params.colour", @"1", "params.colour"),
        Spec("params", @"""notobject""", "params"),
        Spec("params", @"[]", "params"),
        Spec("params.lr", @"0.01", "searchSpace.lr"),
        Spec("params.optimizer", @"""adam""", "searchSpace.optimizer"),
        Spec("searchSpace.optimizer", @"{""type"": ""categorical"", ""values"": [""sgd"", ""lion""]}", "searchSpace.optimizer"),
        Spec("searchSpace.activation", @"{""type"": ""categorical"", ""values"": [""relu"", ""gelu""]}", "searchSpace.activation"),
        Spec("searchSpace.model", @"{""type"": ""categorical"", ""values"": [""mlp"", ""rnn""]}", "searchSpace.model"),
        Spec("searchSpace.dropout", @"{""type"": ""uniform"", ""low"": 0, ""high"": 1}", "searchSpace.dropout.high"),
        Spec("searchSpace.dropout", @"{""type"": ""uniform"", ""low"": 0.5, ""high"": 1.5}", "searchSpace.dropout.high"),
        Spec("searchSpace.dropout", @"{""type"": ""uniform"", ""low"": -0.5, ""high"": 0.5}", "searchSpace.dropout.low"),
        Spec("searchSpace.lr", @"{""type"": ""uniform"", ""low"": -0.1, ""high"": 0.1}", "searchSpace.lr.low"),
        Spec("searchSpace.lr", @"{""type"": ""logUniform"", ""low"": -1, ""high"": 0.1}", "searchSpace.lr.low"),
        Spec("searchSpace.lr", @"{""type"": ""uniform"", ""low"": 0, ""high"": 0.1}", "searchSpace.lr.low"),
        Spec("searchSpace.lr", @"{""type"": ""uniform"", ""low"": 0.01, ""high"": 1e6}", "searchSpace.lr.high"),
        Spec("searchSpace.lr", @"{""type"": ""uniform"", ""low"": 0.01, ""high"": 1e400}", "searchSpace.lr.high"),
        Spec("searchSpace.lr", @"0.1", "searchSpace.lr"),
        Spec("searchSpace.lr", @"[1, 2]", "searchSpace.lr"),
        Spec("searchSpace.lr", @"true", "searchSpace.lr"),
        Spec("searchSpace.lr", @"""0.1""", "searchSpace.lr"),
        Spec("searchSpace.lr", @"null", "searchSpace.lr"),
        Spec("searchSpace.optimizer", @"""adam""", "searchSpace.optimizer"),
        Spec("searchSpace.optimizer", @"{""type"": ""categorical"", ""values"": [""adam"", ""adam""]}", "searchSpace.optimizer.values"),
        Spec("searchSpace.optimizer", @"{""type"": ""categorical"", ""values"": [""adam"", 1]}", "searchSpace.optimizer.values"),
        Spec("searchSpace.optimizer", @"{""type"": ""categorical"", ""values"": []}", "searchSpace.optimizer.values"),
        Spec("searchSpace.optimizer", @"{""type"": ""categorical"", ""values"": ""adam""}", "searchSpace.optimizer.values"),
        Spec("searchSpace.optimizer", Categorical(Enumerable.Range(0, 1500).Select(i => $"\"o{i}\"")), "searchSpace.optimizer.values"),
        Spec("searchSpace.optimizer", @"{""type"": ""uniform"", ""low"": 0, ""high"": 1}", "searchSpace.optimizer.type"),
        Spec("searchSpace.batchSize", @"{""type"": ""int"", ""low"": 1, ""high"": 1000000000}", "searchSpace.batchSize.high"),
        Spec("searchSpace.batchSize", @"{""type"": ""int"", ""low"": 0, ""high"": 64}", "searchSpace.batchSize.low"),
        Spec("searchSpace.batchSize", @"{""type"": ""uniform"", ""low"": 16, ""high"": 64}", "searchSpace.batchSize.type"),
        Spec("searchSpace.batchSize", @"{""type"": ""categorical"", ""values"": [16, ""32""]}", "searchSpace.batchSize.values"),
        Spec("searchSpace.batchSize", @"{""type"": ""categorical"", ""values"": [16, 32.5]}", "searchSpace.batchSize"),
        Spec("searchSpace.batchSize", @"{""type"": ""categorical"", ""values"": [""16"", ""32""]}", "searchSpace.batchSize"),
        Spec("searchSpace.batchNorm", @"{""type"": ""categorical"", ""values"": [true, ""false""]}", "searchSpace.batchNorm.values"),
        Spec("searchSpace.batchNorm", @"{""type"": ""categorical"", ""values"": [1, 0]}", "searchSpace.batchNorm"),
        Spec("searchSpace.hidden", @"{""type"": ""categorical"", ""values"": [[16], [65536, 65537]]}", "searchSpace.hidden"),
        Spec("searchSpace.hidden", @"{""type"": ""categorical"", ""values"": [[16], [-1]]}", "searchSpace.hidden"),
        Spec("searchSpace.hidden", @"{""type"": ""int"", ""low"": 1, ""high"": 100000}", "searchSpace.hidden.high"),
        Spec("searchSpace.epochs", @"{""type"": ""int"", ""low"": 1, ""high"": 1e19}", "searchSpace.epochs.high"),
        Spec("searchSpace.epochs", @"{""type"": ""int"", ""low"": 1, ""high"": 1e400}", "searchSpace.epochs.high"),
        Spec("searchSpace.momentum", @"{""type"": ""uniform"", ""low"": 0.5, ""high"": 1}", "searchSpace.momentum.high"),
        Spec("searchSpace.colour", @"{""type"": ""uniform"", ""low"": 0, ""high"": 1}", "searchSpace.colour"),
        Spec("searchSpace.lr", @"{""type"": ""normal"", ""low"": 0.1, ""high"": 1}", "searchSpace.lr.type"),
        Spec("searchSpace.lr", @"{""low"": 0.1, ""high"": 1}", "searchSpace.lr.type"),
        Spec("searchSpace.lr", @"{""type"": ""uniform"", ""low"": ""0.1"", ""high"": 1}", "searchSpace.lr.low"),
        Spec("searchSpace.lr", @"{""type"": ""uniform"", ""low"": 0.5, ""high"": 0.1}", "searchSpace.lr.low"),
        Spec("searchSpace.lr", @"{""type"": ""uniform"", ""low"": 0.01, ""high"": 0.1, ""points"": 0}", "searchSpace.lr.points"),
        Spec("searchSpace.lr", @"{""type"": ""uniform"", ""low"": 0.01, ""high"": 0.1, ""points"": 5000}", "searchSpace.lr.points"),
        Spec("searchSpace.lr", @"{""type"": ""uniform"", ""low"": 0.01, ""high"": 0.1, ""step"": 2}", "searchSpace.lr.step"),
        Spec("searchSpace.lr", @"{""type"": ""fixed""}", "searchSpace.lr.value"),
        Spec("searchSpace.lr", @"{""type"": ""fixed"", ""value"": -1}", "searchSpace.lr"),
        Spec("searchSpace", @"{}", "searchSpace"),
        Spec("searchSpace", @"[]", "searchSpace"),
        Spec("searchSpace", @"""lr""", "searchSpace"),
        Spec("searchSpace", null, "searchSpace"),
        Spec("name", null, "name"),
        Spec("name", @"""""", "name"),
        Spec("name", @"""xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx""", "name"),
        Spec("name", @"3", "name"),
        Spec("name", @"""a\u0000b""", "name"),
        Spec("name", @"""bell\u0007""", "name"),
        Spec("name", @"""tab\there""", "name"),
        Spec("name", @"""\ud800""", "name"),
        Spec("name", @"""\udc00x""", "name"),
        Spec("dataset", @"""\ud83d""", "dataset"),
        Spec("params.activation", @"""re\u0000lu""", "params.activation"),
        Spec("searchSpace.optimizer", @"{""type"": ""categorical"", ""values"": [""sgd"", ""ad\u001bam""]}", "searchSpace.optimizer.values[1]"),
        Spec("params", @"{""\u0000x"": 1}", "params"),
        Spec("trainer", @"""tensorflow""", "trainer"),
        Spec("trainer", @"5", "trainer"),
        Spec("dataset", null, "dataset"),
        Spec("dataset", @"""imagenet""", "dataset"),
        Spec("dataset", @"""../../etc/passwd""", "dataset"),
        Spec("budget.maxTrials", @"1e19", "budget.maxTrials"),
        Spec("budget.maxTrials", @"1e400", "budget.maxTrials"),
        Spec("budget.maxTrials", @"0", "budget.maxTrials"),
        Spec("budget.maxTrials", @"1000001", "budget.maxTrials"),
        Spec("budget.maxTrials", @"""10""", "budget.maxTrials"),
        Spec("budget.maxTrials", @"2.5", "budget.maxTrials"),
        Spec("budget.parallelism", @"0", "budget.parallelism"),
        Spec("budget.parallelism", @"1e19", "budget.parallelism"),
        Spec("budget.maxEpochs", @"0", "budget.maxEpochs"),
        Spec("budget.maxEpochs", @"1e19", "budget.maxEpochs"),
        Spec("budget.maxFailedTrials", @"-1", "budget.maxFailedTrials"),
        Spec("budget.timeLimitSeconds", @"0", "budget.timeLimitSeconds"),
        Spec("budget.timeLimitSeconds", @"1e400", "budget.timeLimitSeconds"),
        Spec("budget", @"""x""", "budget"),
        Spec("budget.colour", @"1", "budget.colour"),
        Spec("earlyStopping", @"{""kind"": ""asha"", ""minEpochs"": 5}", "earlyStopping.minEpochs"),
        Spec("earlyStopping", @"{""kind"": ""hyperband""}", "earlyStopping.kind"),
        Spec("earlyStopping", @"{""kind"": ""asha"", ""reductionFactor"": 1}", "earlyStopping.reductionFactor"),
        Spec("earlyStopping", @"{""kind"": ""patience"", ""patience"": 0}", "earlyStopping.patience"),
        Spec("earlyStopping", @"{""kind"": ""asha"", ""minEpochs"": 1e19}", "earlyStopping.minEpochs"),
        Spec("earlyStopping", @"[]", "earlyStopping"),
        Spec("objective.metric", @"""testAccuracy""", "objective.metric"),
        Spec("objective.direction", @"""up""", "objective.direction"),
        Spec("objective", @"""x""", "objective"),
        Spec("strategy.kind", @"""bayes""", "strategy.kind"),
        Spec("strategy.seed", @"1e19", "strategy.seed"),
        Spec("strategy.seed", @"""1""", "strategy.seed"),
        Spec("strategy.gridPoints", @"0", "strategy.gridPoints"),
        Spec("strategy.gridPoints", @"1000000", "strategy.gridPoints"),
        Spec("strategy", @"{""kind"": ""six-step"", ""sixStep"": {""lrFinderPoints"": 1000000000}}", "strategy.sixStep.lrFinderPoints"),
        Spec("strategy", @"{""kind"": ""six-step"", ""sixStep"": {""refineTrials"": 100000000}}", "strategy.sixStep.refineTrials"),
        Spec("strategy", SixStepList("coarseLrFactors", Repeat("1", 100)), "strategy.sixStep.coarseLrFactors"),
        Spec("strategy", @"{""kind"": ""six-step"", ""sixStep"": {""coarseLrFactors"": [1e400]}}", "strategy.sixStep.coarseLrFactors"),
        Spec("strategy", @"{""kind"": ""six-step""}", "budget.maxTrials"),
        Spec("strategy", @"{""kind"": ""six-step"", ""sixStep"": []}", "strategy.sixStep"),
        Spec("pool", @"""gpu pool""", "pool"),
        Spec("pool", @"""\u0000""", "pool"),
        Spec("command", @"""rm -rf /""", "command"),
        Spec("params.hidden", @"[16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384]", "searchSpace"),
        Spec("searchSpace.hidden", @"{""type"": ""categorical"", ""values"": [[16], [16384, 16384, 16384, 16384, 16384]]}", "searchSpace"),
    ];

    private static IEnumerable<MalformedRequest> BodyCases()
    {
        yield return Post("body: JSON array", "[]", "$");
        yield return Post("body: JSON null", "null", "$");
        yield return Post("body: a number", "42", "$");
        yield return Post("body: a string", "\"spec\"", "$");
        yield return Post("body: empty", "", "$");
        yield return Post("body: truncated", "{", "$");
        yield return Post("body: trailing garbage", HostileSpecs.Valid().ToJsonString() + " x", "$");
        yield return Post("body: single quotes", "{'name': 'x'}", "$");
        yield return Post("body: comment", "{/* c */ \"name\": \"x\"}", "$");
        yield return Post("body: over 256 KiB", HostileSpecs.Splice(HostileSpecs.Valid(), "name", $"\"{new string('x', 300 * 1024)}\""), "$");
        yield return Post("body: nested 40 deep in params", HostileSpecs.Splice(HostileSpecs.Valid(), "params.deep", new string('[', 40) + new string(']', 40)), "params.deep");
        yield return Post("body: nested 40 objects at the top", Nested(40), "a");
        yield return new("body: invalid UTF-8 in name", "POST", "/api/experiments", InvalidUtf8("name"), Json, 400, "name");
        yield return new("body: invalid UTF-8 in a value deep down", "POST", "/api/experiments", InvalidUtf8("params.activation"), Json, 400, "params.activation");
        yield return new("body: overlong UTF-8 NUL in name", "POST", "/api/experiments", Replace(HostileSpecs.Valid(), "name", [0xC0, 0x80]), Json, 400, "name");
        yield return new("body: UTF-8 encoded surrogate in name", "POST", "/api/experiments", Replace(HostileSpecs.Valid(), "name", [0xED, 0xA0, 0x80]), Json, 400, "name");
        yield return new("body: raw NUL byte in name", "POST", "/api/experiments", Replace(HostileSpecs.Valid(), "name", [0x00]), Json, 400, null);
        yield return new("body: UTF-16 encoded", "POST", "/api/experiments", Encoding.Unicode.GetBytes(HostileSpecs.Valid().ToJsonString()), Json, 400, "$");
    }

    private static IEnumerable<MalformedRequest> ContentTypeCases()
    {
        var body = Encoding.UTF8.GetBytes(HostileSpecs.Valid().ToJsonString());
        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "text/xml", "text/csv" })
        {
            yield return new($"content type {type} on experiments", "POST", "/api/experiments", body, type, 415, null);
            yield return new($"content type {type} on schedules", "POST", "/api/schedules", body, type, 415, null);
        }
        yield return new("no content type on experiments", "POST", "/api/experiments", body, null, 415, null);
        yield return new("no content type on schedules", "POST", "/api/schedules", body, null, 415, null);
        yield return new("no content type on a schedule update", "PUT", $"/api/schedules/{Guid.NewGuid()}", body, null, 415, null);
    }

    private static IEnumerable<MalformedRequest> QueryCases()
    {
        var id = Guid.NewGuid();
        yield return Get("page whose offset overflows", "/api/experiments?page=2147483647&pageSize=200", 400, "page");
        yield return Get("page far past any data", "/api/experiments?page=100000000&pageSize=200", 400, "page");
        yield return Get("page 1e19", "/api/experiments?page=1e19", 400, null);
        yield return Get("page 1e400", "/api/experiments?page=1e400", 400, null);
        yield return Get("page negative", "/api/experiments?page=-1", 400, "page");
        yield return Get("pageSize negative", "/api/experiments?pageSize=-1", 400, "pageSize");
        yield return Get("pageSize zero", "/api/experiments?pageSize=0", 400, "pageSize");
        yield return Get("status unknown", "/api/experiments?status=%00", 400, "status");
        yield return Get("trials page whose offset overflows", $"/api/experiments/{id}/trials?page=2147483647&pageSize=5000", 400, "page");
        yield return Get("trials sort unknown", $"/api/experiments/{id}/trials?sort=drop%20table", 400, "sort");
        yield return Get("trials pageSize huge", $"/api/experiments/{id}/trials?pageSize=99999999", 400, "pageSize");
        yield return Get("export format unknown", $"/api/experiments/{id}/export?format=xlsx", 400, "format");
        yield return Get("experiment id not a guid", "/api/experiments/not-a-guid%20%27", 404, null);
    }

    private static IEnumerable<MalformedRequest> ScheduleCases()
    {
        JsonObject Schedule() => new() { ["name"] = "nightly", ["cron"] = "0 3 * * *", ["timeZone"] = "UTC", ["template"] = HostileSpecs.Valid() };
        MalformedRequest Case(string name, string path, string raw, string field) =>
            new(name, "POST", "/api/schedules", Encoding.UTF8.GetBytes(HostileSpecs.Splice(Schedule(), path, raw)), Json, 400, field);
        yield return Case("schedule: template with overflowing widths", "template.params.hidden", "[65536, 65537]", "template.params.hidden[0]");
        yield return Case("schedule: template with unknown optimizer", "template.searchSpace.optimizer", """{"type": "categorical", "values": ["lion"]}""", "template.searchSpace.optimizer");
        yield return Case("schedule: template not an object", "template", "[]", "template");
        yield return Case("schedule: cron nonsense", "cron", "\"every now and then\"", "cron");
        yield return Case("schedule: name with NUL", "name", "\"a\\u0000\"", "name");
        yield return Case("schedule: time zone unknown", "timeZone", "\"Mars/Olympus\"", "timeZone");
        yield return Case("schedule: warmStartTopK 1e19", "warmStartTopK", "1e19", "warmStartTopK");
        yield return Case("schedule: regressionMargin 1e400", "regressionMargin", "1e400", "regressionMargin");
    }

    private static MalformedRequest Spec(string path, string? raw, string field)
    {
        var text = raw is null ? HostileSpecs.Set(HostileSpecs.Valid(), path, null).ToJsonString() : HostileSpecs.Splice(HostileSpecs.Valid(), path, raw);
        var shown = raw is null ? "(removed)" : raw.Length > 60 ? raw[..60] + "…" : raw;
        return new($"{path} = {shown}", "POST", "/api/experiments", Encoding.UTF8.GetBytes(text), Json, 400, field);
    }

    private static MalformedRequest Post(string name, string body, string field) =>
        new(name, "POST", "/api/experiments", Encoding.UTF8.GetBytes(body), Json, 400, field);

    private static MalformedRequest Get(string name, string url, int status, string? field) => new(name, "GET", url, null, null, status, field);

    private static string Repeat(string value, int count) => $"[{string.Join(", ", Enumerable.Repeat(value, count))}]";

    private static string Categorical(IEnumerable<string> values) => $$"""{"type": "categorical", "values": [{{string.Join(", ", values)}}]}""";

    private static string SixStepList(string name, string list) => "{\"kind\": \"six-step\", \"sixStep\": {\"" + name + "\": " + list + "}}";

    private static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private static byte[] InvalidUtf8(string path) => Replace(HostileSpecs.Valid(), path, [0xFF, 0xFE]);

    /// <summary>The valid spec with the string at <paramref name="path"/> replaced by raw bytes inside its quotes.</summary>
    private static byte[] Replace(JsonObject spec, string path, byte[] bytes)
    {
        var text = HostileSpecs.Splice(spec, path, "\"@@BYTES@@\"");
        var at = text.IndexOf("@@BYTES@@", StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(text[..at]), .. bytes, .. Encoding.UTF8.GetBytes(text[(at + 9)..])];
    }
}
