namespace HpSearch.Workers.Engine.Layers;

public enum ActivationKind { Relu, LeakyRelu, Elu, Tanh, Sigmoid }
