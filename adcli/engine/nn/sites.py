# ruff: noqa: E501 - torch's source lines, verbatim
"""Where Python reports a warning that torch raises inside a module's forward.

torch's modules are Python: ``nn.MSELoss.forward`` calls ``F.mse_loss``, whose
``warnings.warn(..., stacklevel=2)`` names the line of that call in
``torch/nn/modules/loss.py``, not the script's. adcli's modules are not torch's files, so
``SITES`` records, for each module whose forward is one ``return F.name(...)``, that line
of torch 2.13 (path under ``torch/``, line number, the source line Python prints), for the
modules whose functions warn (the losses, dropouts and Upsample; a Linear's or a ReLU's
never do, and their calls stay on the fast path). The softmax modules pass
``_stacklevel=5``, which names ``Module._wrapped_call_impl``'s line.
``Module.__call__`` makes the site current while such a forward runs (``tensor.warn``
uses it); a script's own forward, or a warning the engine reports as a C++ one, is unchanged.
"""

from __future__ import annotations

_MODULE_CALL = ("nn/modules/module.py", 1778, "return self._call_impl(*args, **kwargs)")

_BY_FILE = {
    "dropout.py": (
        ("AlphaDropout", 269, 'return F.alpha_dropout(input, self.p, self.training)'),
        ("Dropout", 73, 'return F.dropout(input, self.p, self.training, self.inplace)'),
        ("Dropout1d", 121, 'return F.dropout1d(input, self.p, self.training, self.inplace)'),
        ("Dropout2d", 176, 'return F.dropout2d(input, self.p, self.training, self.inplace)'),
        ("Dropout3d", 224, 'return F.dropout3d(input, self.p, self.training, self.inplace)'),
        ("FeatureAlphaDropout", 323, 'return F.feature_alpha_dropout(input, self.p, self.training)'),
    ),
    "loss.py": (
        ("BCELoss", 714, 'return F.binary_cross_entropy('),
        ("BCEWithLogitsLoss", 838, 'return F.binary_cross_entropy_with_logits('),
        ("CTCLoss", 2321, 'return F.ctc_loss('),
        ("CosineEmbeddingLoss", 1738, 'return F.cosine_embedding_loss('),
        ("CrossEntropyLoss", 1400, 'return F.cross_entropy('),
        ("GaussianNLLLoss", 459, 'return F.gaussian_nll_loss('),
        ("HingeEmbeddingLoss", 920, 'return F.hinge_embedding_loss('),
        ("HuberLoss", 1150, 'return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)'),
        ("KLDivLoss", 562, 'return F.kl_div('),
        ("L1Loss", 133, 'return F.l1_loss(input, target, reduction=self.reduction)'),
        ("MSELoss", 630, 'return F.mse_loss(input, target, reduction=self.reduction)'),
        ("MarginRankingLoss", 1805, 'return F.margin_ranking_loss('),
        ("MultiLabelMarginLoss", 985, 'return F.multilabel_margin_loss(input, target, reduction=self.reduction)'),
        ("MultiLabelSoftMarginLoss", 1666, 'return F.multilabel_soft_margin_loss('),
        ("MultiMarginLoss", 1896, 'return F.multi_margin_loss('),
        ("NLLLoss", 260, 'return F.nll_loss('),
        ("PoissonNLLLoss", 367, 'return F.poisson_nll_loss('),
        ("SmoothL1Loss", 1078, 'return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)'),
        ("SoftMarginLoss", 1197, 'return F.soft_margin_loss(input, target, reduction=self.reduction)'),
        ("TripletMarginLoss", 2004, 'return F.triplet_margin_loss('),
    ),
    "upsampling.py": (
        ("Upsample", 174, 'return F.interpolate('),
    ),
}

SITES: dict = {name: (f"nn/modules/{path}", line, text)
               for path, rows in _BY_FILE.items() for name, line, text in rows}
SITES.update(dict.fromkeys(("Softmax", "Softmax2d", "Softmin", "LogSoftmax"), _MODULE_CALL))
