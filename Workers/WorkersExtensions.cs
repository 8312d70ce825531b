using HpSearch.Persistence;
using HpSearch.Workers.Data;
using HpSearch.Workers.Jobs;
using HpSearch.Workers.Nodes;
using HpSearch.Workers.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using HpSearch.Workers.Training.Builtin;
using HpSearch.Workers.Training.Command;
using HpSearch.Workers.Training.TorchSharp;

namespace HpSearch.Workers;

public static class WorkersExtensions
{
    /// <summary>
    /// Registers the database, the clustered Quartz scheduler and the jobs. Every node runs controller jobs
    /// (execution group "control"); a node trains only when <see cref="WorkerOptions.Enabled"/>, and then only
    /// trials of the pools it serves, at most <c>slots</c> at a time per pool (Quartz execution limits).
    /// </summary>
    public static IServiceCollection AddWorkers(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("HpSearch")
            ?? throw new InvalidOperationException("ConnectionStrings:HpSearch is not set.");
        var workerOptions = configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();
        var hpOptions = configuration.GetSection(HpSearchOptions.Section).Get<HpSearchOptions>() ?? new HpSearchOptions();
        Validate(workerOptions);

        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).Validate(o =>
        {
            Validate(o);
            return true;
        }).ValidateOnStart();
        services.AddOptions<HpSearchOptions>().BindConfiguration(HpSearchOptions.Section).ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WorkerOptions>>().Value);

        services.AddPersistence(connectionString);
        services.AddHostedService<DatabaseMigrator>();
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton(new DatasetCatalog(new DatasetOptions
        {
            CacheDirectory = Path.Combine(hpOptions.DataDirectory, "datasets"),
            UserDataDirectory = hpOptions.UserDataDirectory,
        }));
        services.AddSingleton(new BuiltinTrainerOptions { Threads = Math.Max(1, workerOptions.ThreadsPerSlot) });
        services.AddHostedService<DatasetWarmup>();
        services.AddSingleton<BuiltinTrainer>();
        var torchSharpOptions = configuration.GetSection(TorchSharpTrainerOptions.Section).Get<TorchSharpTrainerOptions>() ?? new TorchSharpTrainerOptions();
        torchSharpOptions.Threads = Math.Max(1, workerOptions.ThreadsPerSlot);
        services.AddSingleton(torchSharpOptions);
        // The operator's custom models, read on every node (the API validates `model` against the same folder).
        services.AddSingleton(_ => CustomModelCatalog.Load(torchSharpOptions.ModelsDirectory));
        services.AddSingleton(sp => new TorchSharpTrainer(
            sp.GetRequiredService<DatasetCatalog>(), torchSharpOptions, sp.GetRequiredService<CustomModelCatalog>()));
        services.AddSingleton<ITrainer>(sp => sp.GetRequiredService<BuiltinTrainer>());
        services.AddSingleton<ITrainer>(sp => sp.GetRequiredService<TorchSharpTrainer>());
        services.AddSingleton<ITrainer, AutoTrainer>();
        // Command trainers exist only where the operator configured them (never through the API).
        var commands = configuration.GetSection(CommandTrainerOptions.Section).Get<List<CommandTrainerOptions>>() ?? [];
        ValidateCommands(commands);
        foreach (var command in commands)
            services.AddSingleton<ITrainer>(sp => new CommandTrainer(command, sp.GetRequiredService<ILogger<CommandTrainer>>()));
        services.AddOptions<TrialLimitsOptions>().BindConfiguration(TrialLimitsOptions.Section)
            .Validate(o => o.IsValid, "Limits:MaxTrialMemoryMb must be between 16 and 1048576.").ValidateOnStart();
        services.AddSingleton<TrainerCatalog>();
        services.AddSingleton<Domain.Experiments.ISpecCatalog>(sp => sp.GetRequiredService<TrainerCatalog>());

        services.AddSingleton<JobScheduling>();
        services.AddSingleton<SlotRegistry>();
        services.AddSingleton<HeartbeatService>();
        services.AddHostedService(sp => sp.GetRequiredService<HeartbeatService>());
        services.AddTransient<ControllerJob>();
        services.AddTransient<TrialJob>();
        services.AddTransient<EvaluateJob>();
        services.AddTransient<ScheduleJob>();
        services.AddSingleton<ScheduleTriggers>();

        var pools = workerOptions.EffectivePools();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = workerOptions.SchedulerName;
                o.InstanceId = workerOptions.EffectiveNodeName();
                o.IdleWaitTime = TimeSpan.FromMilliseconds(workerOptions.IdleWaitMilliseconds);
                o.ServedExecutionGroups.Add(JobKeys.ControlGroup);
                o.ServedExecutionGroups.Add("_");
                foreach (var p in pools) o.ServedExecutionGroups.Add(p.Name);
            });
            const int controlThreads = 2;
            q.UseDefaultThreadPool(controlThreads + pools.Sum(p => p.Slots));
            q.UseExecutionLimits(l =>
            {
                l.ForGroup(JobKeys.ControlGroup, controlThreads);
                foreach (var p in pools) l.ForGroup(p.Name, p.Slots);
            });
            q.UsePersistentStore(s =>
            {
                s.UsePostgres(connectionString);
                s.UseSystemTextJsonSerializer(_ => { });
                s.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromMilliseconds(workerOptions.CheckinIntervalMilliseconds);
                    c.CheckinMisfireThreshold = TimeSpan.FromMilliseconds(workerOptions.CheckinMisfireThresholdMilliseconds);
                });
                s.ConfigureStore(o => o.MisfireThreshold = TimeSpan.FromMilliseconds(workerOptions.MisfireThresholdMilliseconds));
                s.ProvisionSchema();
            });
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    private static void ValidateCommands(List<CommandTrainerOptions> commands)
    {
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal) { "builtin" };
        foreach (var (c, i) in commands.Select((c, i) => (c, i)))
        {
            if (string.IsNullOrWhiteSpace(c.Name) || !names.Add(c.Name)) errors.Add($"Trainers:Commands:{i}: Name must be set and unique (and not 'builtin').");
            if (string.IsNullOrWhiteSpace(c.Executable)) errors.Add($"Trainers:Commands:{i}: Executable must be set.");
            if (c.TimeoutSeconds < 1) errors.Add($"Trainers:Commands:{i}: TimeoutSeconds must be at least 1.");
            if (c.GracePeriodSeconds < 0) errors.Add($"Trainers:Commands:{i}: GracePeriodSeconds must not be negative.");
        }
        if (errors.Count > 0) throw new OptionsValidationException(CommandTrainerOptions.Section, typeof(CommandTrainerOptions), errors);
    }

    private static void Validate(WorkerOptions o)
    {
        foreach (var p in o.EffectivePools())
        {
            if (string.IsNullOrWhiteSpace(p.Name) || p.Name is JobKeys.ControlGroup or "_")
                throw new OptionsValidationException(WorkerOptions.Section, typeof(WorkerOptions), [$"Workers:Pools: '{p.Name}' is not a usable pool name."]);
            if (p.Slots < 1)
                throw new OptionsValidationException(WorkerOptions.Section, typeof(WorkerOptions), [$"Workers:Pools:{p.Name}: slots must be at least 1."]);
        }
    }
}
