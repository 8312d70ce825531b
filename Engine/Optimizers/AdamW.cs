namespace HpSearch.Engine.Optimizers;

/// <summary>AdamW (Loshchilov &amp; Hutter 2019): Adam with decoupled weight decay w ← w − lr·λ·w.</summary>
public static class AdamW
{
    public static Adam Create(float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, WeightDecay? decay = null) =>
        new(beta1, beta2, eps, decay, decoupled: true);
}
