using System.Globalization;

namespace HpSearch.Workers.Training;

/// <summary>The device a trial trains on: slot N of a <c>gpu</c> pool (any pool named gpu…) has GPU N, <c>cuda:N</c>;
/// every other pool trains on the <c>cpu</c>. A command trainer on a gpu pool sees that GPU alone (CUDA_VISIBLE_DEVICES).</summary>
public static class SlotDevice
{
    public static bool IsGpuPool(string pool) => pool.StartsWith("gpu", StringComparison.OrdinalIgnoreCase);

    public static string Of(string pool, int slot) =>
        IsGpuPool(pool) ? "cuda:" + slot.ToString(CultureInfo.InvariantCulture) : "cpu";
}
