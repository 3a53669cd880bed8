"""torch.nn: modules, parameters and initialisation.

``parameter`` (nn.Parameter), ``module`` (nn.Module), ``containers`` (Sequential,
ModuleList, ModuleDict, ParameterList, ParameterDict), ``layers`` (the layer, activation
and loss modules), ``init`` (nn.init), ``utils`` (nn.utils); ``namespace`` gathers them
into the tables the language reads.
"""
