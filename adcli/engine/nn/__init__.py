"""torch.nn: modules, parameters and initialisation.

``parameter`` (nn.Parameter), ``module`` (nn.Module), ``containers`` (Sequential,
ModuleList, ModuleDict, ParameterList, ParameterDict), ``layers`` (the layer, activation
and loss modules), ``conv`` (convolutions, transposed ones, poolings), ``normalization``
(BatchNorm, LayerNorm, GroupNorm, InstanceNorm, RMSNorm, Embedding), ``padding`` (the
Pad modules), ``resampling`` (Upsample, PixelShuffle), ``rnn`` (RNN, LSTM, GRU),
``attention`` (MultiheadAttention, TransformerEncoder), ``init`` (nn.init), ``utils``
(nn.utils); ``namespace`` gathers them into the tables the language reads.
"""
