"""Homework bug: the flattened image size fed to the classifier is miscounted (uncaught)."""
import torch
from torch import nn

torch.manual_seed(31)


class ConvClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 6, kernel_size=3)
        self.pool = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        # the student assumed the 3x3 conv keeps the 8x8 size: 6 * 4 * 4 inputs
        self.fc = nn.Linear(6 * 4 * 4, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv(x)))
        print("  after conv + pool:", tuple(x.shape))
        x = self.flatten(x)
        print("  after flatten:", tuple(x.shape))
        return self.fc(x)


model = ConvClassifier()
print(model)
print("fc expects", model.fc.in_features, "features")
batch = torch.randn(4, 1, 8, 8)
print("batch:", tuple(batch.shape))
print("forward pass:")
logits = model(batch)
print("logits:", logits.shape)
