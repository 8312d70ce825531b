using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace HpSearch.Workers.Jobs;

/// <summary>Tells a database fault (connection lost, server restarting, 57P03, EF's retries exhausted) from a training
/// failure: the first is re-queued by Hangfire's bounded retry, only the second fails a trial.</summary>
public static class StoreFaults
{
    public static bool IsStoreFault(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is NpgsqlException or DbException or RetryLimitExceededException or DbUpdateException) return true;
            if (x is AggregateException a && a.InnerExceptions.Any(IsStoreFault)) return true;
        }
        return false;
    }
}
