#!/usr/bin/python3
"""Loads a wick-train checkpoint into the same d2l model written in PyTorch (tools/goldens/models.py)
and prints its Fashion-MNIST test accuracy, showing that PyTorch reads Wick's weights as they are.
  /usr/bin/python3 tools/check_checkpoint_in_torch.py runs/lenet/checkpoint.safetensors [lenet] [DATA]
Only models trained at 28x28 (lenet, lenet_bn, resnet18 with --resize 0) are evaluated here."""
import gzip
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import safetensors_io as sio  # noqa: E402
from goldens.models import MODELS  # noqa: E402


def main():
    path = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) > 2 else "lenet"
    data = pathlib.Path(sys.argv[3] if len(sys.argv) > 3 else "/usr/share/datasets/fashion-mnist")
    tensors = sio.load_file(path)
    state = {k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")}
    net = MODELS[name][0]()
    net.load_state_dict(state, strict=True)
    net.eval()
    images = gzip.open(data / "t10k-images-idx3-ubyte.gz").read()[16:]
    labels = gzip.open(data / "t10k-labels-idx1-ubyte.gz").read()[8:]
    x = torch.frombuffer(bytearray(images), dtype=torch.uint8).reshape(-1, 1, 28, 28).float() / 255
    y = torch.frombuffer(bytearray(labels), dtype=torch.uint8).long()
    with torch.no_grad():
        acc = (net(x).argmax(1) == y).float().mean().item()
    print("PyTorch test accuracy of %s from %s: %.4f" % (name, path, acc))


if __name__ == "__main__":
    main()
