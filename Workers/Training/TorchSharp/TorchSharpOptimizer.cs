using HpSearch.Workers.Training.Builtin;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HpSearch.Workers.Training.TorchSharp;

/// <summary>The spec's optimizer as a <c>torch.optim</c> optimizer with two parameter groups: weights (rank ≥ 2) decay,
/// biases and BatchNorm's scale and shift do not (unless <c>decayAll</c>). With <c>weightDecayMode: loss</c> (and not
/// AdamW) the decay is an L2 term added to the loss instead, as in the built-in engine.</summary>
internal static class TorchSharpOptimizer
{
    public static optim.Optimizer Create(BuiltinConfig cfg, IReadOnlyList<Parameter> parameters, out double lossDecay)
    {
        bool inOptimizer = cfg.WeightDecayMode == "optimizer" || cfg.Optimizer == "adamw";
        double decay = inOptimizer ? cfg.WeightDecay : 0;
        lossDecay = inOptimizer ? 0 : cfg.WeightDecay;
        var decayed = parameters.Where(p => Decays(cfg, p)).ToArray();
        var plain = parameters.Where(p => !Decays(cfg, p)).ToArray();
        double lr = cfg.Lr;
        return cfg.Optimizer switch
        {
            "sgd" or "momentum" or "nesterov" => Sgd(cfg, decayed, plain, decay),
            "adagrad" => optim.Adagrad(
                [new Adagrad.ParamGroup(decayed, lr, weight_decay: decay), new Adagrad.ParamGroup(plain, lr)], lr),
            "rmsprop" => optim.RMSProp(
                [new RMSProp.ParamGroup(decayed, lr, cfg.Eps, cfg.RmspropAlpha, decay), new RMSProp.ParamGroup(plain, lr, cfg.Eps, cfg.RmspropAlpha)], lr),
            "adamw" => optim.AdamW(
                [new AdamW.ParamGroup(decayed, lr, cfg.Beta1, cfg.Beta2, cfg.Eps, decay), new AdamW.ParamGroup(plain, lr, cfg.Beta1, cfg.Beta2, cfg.Eps, 0)], lr),
            _ => optim.Adam(
                [new Adam.ParamGroup(decayed, lr, cfg.Beta1, cfg.Beta2, cfg.Eps, decay), new Adam.ParamGroup(plain, lr, cfg.Beta1, cfg.Beta2, cfg.Eps)], lr),
        };
    }

    /// <summary>Whether weight decay (and max-norm) applies to a parameter: weights of Linear and Conv2d layers.</summary>
    public static bool Decays(BuiltinConfig cfg, Parameter p) => cfg.DecayAll || p.dim() >= 2;

    private static optim.Optimizer Sgd(BuiltinConfig cfg, Parameter[] decayed, Parameter[] plain, double decay)
    {
        double momentum = cfg.Optimizer == "sgd" ? 0 : cfg.Momentum;
        bool nesterov = cfg.Optimizer == "nesterov";
        return optim.SGD(
            [new SGD.ParamGroup(decayed, cfg.Lr, momentum, weight_decay: decay, nesterov: nesterov),
             new SGD.ParamGroup(plain, cfg.Lr, momentum, nesterov: nesterov)], cfg.Lr, momentum, nesterov: nesterov);
    }
}
