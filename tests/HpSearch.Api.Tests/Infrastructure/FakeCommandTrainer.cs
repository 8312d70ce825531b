namespace HpSearch.Api.Tests.Infrastructure;

/// <summary>Settings that configure the standard-library fake_trainer.py as command trainer "fake" on a test node.</summary>
public static class FakeCommandTrainer
{
    public static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Training", "fake_trainer.py");

    /// <param name="directory">Working folder; each run writes its pid to <c>{trialId}.pid</c> there.</param>
    public static Dictionary<string, string> Settings(string directory, double sleepSeconds, string pool = "cpu")
    {
        string[] args = [Script, "normal", "--sleep", sleepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--pidfile", "{trialId}.pid"];
        var settings = new Dictionary<string, string>
        {
            ["Trainers:Commands:0:Name"] = "fake",
            ["Trainers:Commands:0:Executable"] = "/usr/bin/python3",
            ["Trainers:Commands:0:WorkingDirectory"] = directory,
            ["Trainers:Commands:0:Pool"] = pool,
            ["Trainers:Commands:0:TimeoutSeconds"] = "60",
            ["Trainers:Commands:0:GracePeriodSeconds"] = "2",
            ["Trainers:Commands:0:Environment:PYTHONUNBUFFERED"] = "1",
        };
        for (var i = 0; i < args.Length; i++) settings[$"Trainers:Commands:0:Arguments:{i}"] = args[i];
        return settings;
    }
}
