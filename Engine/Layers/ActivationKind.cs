namespace HpSearch.Engine.Layers;

public enum ActivationKind { Relu, LeakyRelu, Elu, Tanh, Sigmoid }
