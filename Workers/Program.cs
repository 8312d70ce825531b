using HpSearch.Workers;
using Microsoft.Extensions.Hosting;

// A worker-only node: joins the cluster through the shared PostgreSQL and trains the pools it is configured for.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddWorkers(builder.Configuration);
await builder.Build().RunAsync();
