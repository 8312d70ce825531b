using HpSearch.Engine;

namespace HpSearch.Engine.Tests;

public class ThreadTeamTests
{
    [Fact]
    public void Run_RunsEveryPartExactlyOnce()
    {
        using var team = new ThreadTeam(2);
        for (int round = 0; round < 2000; round++)
        {
            var hits = new int[7];
            team.Run(hits.Length, i => Interlocked.Increment(ref hits[i]));
            Assert.All(hits, h => Assert.Equal(1, h));
        }
    }

    [Fact]
    public void Run_WakesSleepingHelpers_AfterAnIdlePause()
    {
        using var team = new ThreadTeam(3);
        var threads = new HashSet<int>();
        for (int round = 0; round < 5; round++)
        {
            Thread.Sleep(20); // longer than the helpers' spin: they are asleep when the region starts
            var hits = new int[3];
            team.Run(3, i => { Interlocked.Increment(ref hits[i]); lock (threads) threads.Add(Environment.CurrentManagedThreadId); Thread.Sleep(30); });
            Assert.All(hits, h => Assert.Equal(1, h));
        }
        Assert.True(threads.Count >= 2, "the helpers never took a part");
    }

    [Fact]
    public void Run_RethrowsAPartsException_AndStaysUsable()
    {
        using var team = new ThreadTeam(2);
        var e = Assert.Throws<InvalidOperationException>(() => team.Run(4, i => { if (i == 3) throw new InvalidOperationException("part 3"); }));
        Assert.Equal("part 3", e.Message);
        int sum = 0;
        team.Run(4, i => Interlocked.Add(ref sum, i));
        Assert.Equal(6, sum);
    }

    [Fact]
    public async Task Run_CompletesConcurrentCallers_OneOfThemOnItsOwnThread()
    {
        using var team = new ThreadTeam(2);
        long total = 0;
        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int r = 0; r < 500; r++) team.Run(3, i => Interlocked.Add(ref total, i + 1));
        })).ToArray();
        await Task.WhenAll(callers);
        Assert.Equal(4 * 500 * 6, total);
    }
}
