using HpSearch.Workers;
using HpSearch.Workers.Operations;
using Microsoft.Extensions.Hosting;

// A worker-only node: joins the cluster through the shared PostgreSQL and trains the pools it is configured for.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddWorkers(builder.Configuration);
builder.Logging.AddJsonLogsWhenAsked(builder.Configuration);
builder.Services.AddTracingWhenExported(builder.Configuration);
await builder.Build().RunAsync();
