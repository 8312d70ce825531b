using HpSearch.Persistence;
using HpSearch.Workers.Data;
using HpSearch.Workers.Jobs;
using HpSearch.Workers.Nodes;
using HpSearch.Workers.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using HpSearch.Workers.Training.Builtin;
using HpSearch.Workers.Training.Command;
using HpSearch.Workers.Training.TorchSharp;
using Hangfire;
using Hangfire.Common;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using HpSearch.Workers.Schedules;

namespace HpSearch.Workers;

public static class WorkersExtensions
{
    /// <summary>
    /// Registers the database, Hangfire (storage in the service's database, schema <see cref="JobOptions.Schema"/>) and the
    /// jobs. Every node serves the control queue (controllers, evaluations, schedules, reconciliation); a node trains only
    /// when <see cref="WorkerOptions.Enabled"/>, and then only trials of the pools it serves: one Hangfire server per pool,
    /// listening on the pool's queue with as many workers as the pool has slots.
    /// </summary>
    public static IServiceCollection AddWorkers(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = PersistenceExtensions.WithSessionLimits(configuration.GetConnectionString("HpSearch")
            ?? throw new InvalidOperationException("ConnectionStrings:HpSearch is not set."));
        var workerOptions = configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();
        var hpOptions = configuration.GetSection(HpSearchOptions.Section).Get<HpSearchOptions>() ?? new HpSearchOptions();
        var jobOptions = configuration.GetSection(JobOptions.Section).Get<JobOptions>() ?? new JobOptions();
        Validate(workerOptions);
        if (jobOptions.Problems().ToList() is { Count: > 0 } jobProblems)
            throw new OptionsValidationException(JobOptions.Section, typeof(JobOptions), jobProblems);

        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).Validate(o =>
        {
            Validate(o);
            return true;
        }).ValidateOnStart();
        services.AddOptions<HpSearchOptions>().BindConfiguration(HpSearchOptions.Section).ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WorkerOptions>>().Value);
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section)
            .Validate(o => !o.Problems().Any(), "Jobs: invalid settings (see Problems()).").ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<JobOptions>>().Value);
        services.AddOptions<AskTell.AskTellOptions>().BindConfiguration(AskTell.AskTellOptions.Section)
            .Validate(o => o.IsValid, "AskTell:LeaseSeconds must be 1 to 86400.").ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AskTell.AskTellOptions>>().Value);
        services.AddOptions<ArtifactOptions>().BindConfiguration(ArtifactOptions.Section)
            .Validate(o => o.IsValid, $"Artifacts:RetentionDays must be 0 to {Domain.Experiments.ArtifactPolicy.MaxRetentionDays}.").ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ArtifactOptions>>().Value);

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

        services.AddSingleton<SlotRegistry>();
        services.AddSingleton<HeartbeatService>();
        services.AddHostedService(sp => sp.GetRequiredService<HeartbeatService>());
        services.AddTransient<ControllerJob>();
        services.AddTransient<TrialJob>();
        services.AddTransient<EvaluateJob>();
        services.AddTransient<ScheduleJob>();
        services.AddTransient<Reconciler>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<RecurringSchedules>();
        services.AddJobEngine(connectionString, workerOptions, jobOptions);
        return services;
    }

    private static void AddJobEngine(this IServiceCollection services, string connectionString, WorkerOptions workerOptions, JobOptions jobOptions)
    {
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = jobOptions.Schema,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.FromMilliseconds(jobOptions.QueuePollIntervalMilliseconds),
            EnableLongPolling = jobOptions.LongPolling,
            InvisibilityTimeout = TimeSpan.FromSeconds(jobOptions.InvisibilityTimeoutSeconds),
            UseSlidingInvisibilityTimeout = true,
            // A lock left by a killed node (the reconciler's, the recurring scheduler's) expires after this.
            DistributedLockTimeout = TimeSpan.FromMinutes(1),
        };
        // This host's own storage (not JobStorage.Current): several hosts in one process (tests) each keep their database.
        services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        // Before AddHangfire: its state changer, performer and client take the filter provider from the services.
        services.AddSingleton<IJobFilterProvider>(new RetryFilters(jobOptions));
        services.AddHangfire((sp, c) => c
            .UseLogProvider(new HangfireLogs(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddHostedService<JobEngineStartup>();
        services.AddSingleton<OperationsGauges>();

        var node = workerOptions.EffectiveNodeName();
        var schedulePoll = TimeSpan.FromMilliseconds(jobOptions.SchedulePollIntervalMilliseconds);
        services.AddHangfireServer((_, o) =>
        {
            o.ServerName = $"{node}:control";
            o.Queues = [JobQueue.ControlQueue];
            o.WorkerCount = jobOptions.ControlWorkers;
            o.SchedulePollingInterval = schedulePoll;
        });
        foreach (var pool in workerOptions.EffectivePools())
        {
            services.AddHangfireServer((_, o) =>
            {
                o.ServerName = $"{node}:{pool.Name}";
                o.Queues = [pool.Name];
                o.WorkerCount = pool.Slots;
                o.SchedulePollingInterval = schedulePoll;
            });
        }
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
            // A pool is a Hangfire queue: lower-case letters, digits, '_' and '-'; "control" is the queue every node serves.
            if (string.IsNullOrWhiteSpace(p.Name) || p.Name == JobQueue.ControlQueue || !System.Text.RegularExpressions.Regex.IsMatch(p.Name, "^[a-z0-9_-]+$"))
                throw new OptionsValidationException(WorkerOptions.Section, typeof(WorkerOptions),
                    [$"Workers:Pools: '{p.Name}' is not a usable pool name (lower-case letters, digits, '_' or '-'; not '{JobQueue.ControlQueue}')."]);
            if (p.Slots < 1)
                throw new OptionsValidationException(WorkerOptions.Section, typeof(WorkerOptions), [$"Workers:Pools:{p.Name}: slots must be at least 1."]);
        }
    }
}
