#!/usr/bin/python3
"""Independent reproduction of a Quantization Playground experiment in PyTorch (torch.ao).

Nothing here imports or calls the playground's TypeScript: the model is read from the TF.js
files (model.json + weights.bin) with numpy, rebuilt as torch modules, BN is folded with
torch's own fusion utilities, quantizers are torch.ao observers plus torch's fake-quantize
ops, and the data are the raw digits files. Only the *conventions* are shared, and they are
the documented torch ones (docs/quantization-conventions.md, docs/crosscheck.md):

  * BN folding into the preceding Dense/Conv/DepthwiseConv (paper Sec. 2.3.1), then ReLU /
    ReLU6 fusing (paper Sec. 2.3.2): torch.nn.utils.fusion.fuse_{conv,linear}_bn_eval.
  * Activation quantizers at the model input, at every Dense/Conv/DepthwiseConv output (after
    its fused BN and ReLU/ReLU6), after Add/Concatenate, after (global) average pooling, after a
    standalone BN or non-linearity; none after max pooling, flatten, reshape, zero padding,
    dropout, linear activations or the final softmax (its input, the logits, is quantized).
  * Weight quantizers on every kernel (per output channel for per-channel), biases in float.
  * min-max ranges: torch.ao.quantization.MinMaxObserver / PerChannelMinMaxObserver on the
    FP32 folded model over all calibration images (weights: on the folded kernel).
  * asymmetric -> dtype quint8, qscheme *_affine, grid [0, 2^b - 1];
    symmetric  -> dtype qint8,  qscheme *_symmetric, grid [-2^(b-1), 2^(b-1) - 1]
    (with `-nr`, narrow range: [0, 2^b - 2] and [-2^(b-1) + 1, 2^(b-1) - 1]).
  * Fake quantization: torch.fake_quantize_per_tensor_affine / _per_channel_affine.

Calibration images: the playground's seeded subset of the train split, re-implemented here
(mulberry32 + Fisher-Yates from the end, exact 32-bit arithmetic).

Usage:
  /usr/bin/python3 scripts/crosscheck/torch_reference.py --model cnn \
      --config 'w=4-sym-pc-minmax&a=8-asym-pt-minmax' [--config ...] [--cal 512] [--seed 0]
      [--limit N] [--public public]
Prints one JSON object (see `main`). Float32 everywhere, one torch thread.
"""

import argparse
import copy
import hashlib
import json
import math
import os
import sys
from urllib.parse import parse_qs

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.ao.quantization import MinMaxObserver, PerChannelMinMaxObserver
from torch.nn.utils.fusion import fuse_conv_bn_eval, fuse_linear_bn_eval

MASK32 = 0xFFFFFFFF
PIXELS = 28 * 28
WEIGHTED = ("Dense", "Conv2D", "DepthwiseConv2D")


# --------------------------------------------------------------------------------------------
# Seeded calibration subset (src/quant/random.ts, src/engine/data/calibration.ts), re-done with
# Python integers masked to 32 bits: Math.imul(a, b) = (a * b) mod 2^32, `>>>` = unsigned shift.
# Every JS bitwise op works modulo 2^32, so unsigned representatives give the same bits.
# --------------------------------------------------------------------------------------------


def imul(a, b):
    return (a * b) & MASK32


def mulberry32(seed):
    """Generator of floats in [0, 1): mulberry32(1)() == 0.6270739405881613."""
    state = seed & MASK32

    def rng():
        nonlocal state
        state = (state + 0x6D2B79F5) & MASK32
        t = state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & MASK32
        return ((t ^ (t >> 14)) & MASK32) / 4294967296

    return rng


def permutation(n, rng):
    """Fisher-Yates from the end, j = floor(rng() * (i + 1)) (float64, as in JS)."""
    items = list(range(n))
    for i in range(n - 1, 0, -1):
        j = math.floor(rng() * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items


# --------------------------------------------------------------------------------------------
# Digits data: uint8 pixels 28x28 row-major + uint8 labels, checked against the manifest.
# --------------------------------------------------------------------------------------------


def load_split(public, split):
    with open(os.path.join(public, "data", "digits-manifest.json"), encoding="utf-8") as f:
        info = json.load(f)["splits"][split]
    images = read_bytes(os.path.join(public, "data", info["images"]))
    labels = read_bytes(os.path.join(public, "data", info["labels"]))
    if hashlib.sha256(images).hexdigest() != info["imagesSha256"]:
        raise SystemExit(f"digits {split}: image checksum differs from the manifest")
    if hashlib.sha256(labels).hexdigest() != info["labelsSha256"]:
        raise SystemExit(f"digits {split}: label checksum differs from the manifest")
    count = info["count"]
    pixels = np.frombuffer(images, dtype=np.uint8).reshape(count, 28, 28, 1)
    return pixels, np.frombuffer(labels, dtype=np.uint8).astype(np.int64)


def to_input(pixels):
    """uint8 NHWC -> float32 NCHW tensor of pixel / 255 (float64 division, then float32)."""
    x = (pixels.astype(np.float64) / 255.0).astype(np.float32)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))


# --------------------------------------------------------------------------------------------
# TF.js Layers model -> graph of nodes with torch modules. Rank-4 tensors are NCHW here (torch's
# layout); Keras axes are mapped where it matters (Flatten, Concatenate, Reshape, softmax).
# --------------------------------------------------------------------------------------------


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def read_weights(model_dir, manifest):
    """{layer name: {param: np.float32 array}} in manifest order (groups are concatenated)."""
    out = {}
    for group in manifest:
        blob = b"".join(read_bytes(os.path.join(model_dir, p)) for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            if w.get("dtype", "float32") != "float32" or "quantization" in w:
                raise SystemExit(f"weight {w['name']}: only plain float32 weights are supported")
            size = int(np.prod(w["shape"], dtype=np.int64)) * 4
            values = np.frombuffer(blob, dtype="<f4", count=size // 4, offset=offset)
            offset += size
            layer, _, param = w["name"].rpartition("/")
            out.setdefault(layer, {})[param] = values.reshape(w["shape"]).copy()
        if offset != len(blob):
            raise SystemExit(f"weight group {group['paths']}: {len(blob) - offset} bytes left over")
    return out


def keras_layers(topology):
    """(layers with inbound names, input names, output names) for Functional or Sequential."""
    mc = topology.get("model_config", topology)
    cfg = mc["config"]
    layers = cfg["layers"] if isinstance(cfg, dict) else cfg
    if mc["class_name"] == "Sequential":
        # Sequential: an implicit InputLayer named `<first layer>_input` unless one is listed.
        result, prev = [], None
        first = layers[0]
        if first["class_name"] != "InputLayer":
            prev = f"{first['config']['name']}_input"
            result.append({"name": prev, "class_name": "InputLayer", "config": {}, "inputs": []})
        for layer in layers:
            name = layer["config"]["name"]
            inputs = [] if layer["class_name"] == "InputLayer" else [prev]
            result.append({**layer, "name": name, "inputs": inputs})
            prev = name
        return result, [result[0]["name"]], [prev]
    result = []
    for layer in layers:
        inbound = layer.get("inbound_nodes") or []
        if len(inbound) > 1:
            raise SystemExit(f"layer {layer['name']}: shared layers are not supported")
        inputs = [entry[0] for entry in inbound[0]] if inbound else []
        result.append({**layer, "inputs": inputs})
    return result, [i[0] for i in cfg["input_layers"]], [o[0] for o in cfg["output_layers"]]


def pair(v):
    return tuple(v) if isinstance(v, (list, tuple)) else (v, v)


def same_padding(size, kernel, stride, dilation=1):
    """TF 'SAME': total = max((ceil(n/s) - 1)*s + (k-1)*d + 1 - n, 0), extra at the end."""
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


class Node:
    """One op of the graph: a Keras layer (or a split-off softmax/tanh/sigmoid activation)."""

    def __init__(self, name, kind, inputs, layer, config, module=None, act="linear"):
        self.name = name  # IR name: the Keras layer name (or `<layer>/preact`)
        self.kind = kind  # Keras class name, or 'Activation'
        self.inputs = list(inputs)
        self.layer = layer
        self.config = config
        self.module = module  # torch module holding the weights (None for weightless ops)
        self.act = act  # fused activation of a weighted op: linear | relu | relu6
        self.fn = None  # for kind == 'Activation': relu | relu6 | softmax | tanh | sigmoid | linear


def activation_name(config_value):
    fn = config_value or "linear"
    if fn not in ("linear", "relu", "relu6", "softmax", "tanh", "sigmoid"):
        raise SystemExit(f"activation {fn} is not supported")
    return fn


def build_nodes(model_dir):
    with open(os.path.join(model_dir, "model.json"), encoding="utf-8") as f:
        model_json = json.load(f)
    weights = read_weights(model_dir, model_json["weightsManifest"])
    layers, inputs, outputs = keras_layers(model_json["modelTopology"])
    nodes = []
    for layer in layers:
        name, kind, cfg = layer["name"], layer["class_name"], layer["config"]
        w = weights.get(name, {})
        ins = layer["inputs"]
        if kind in WEIGHTED:
            module = weighted_module(kind, cfg, w)
            fn = activation_name(cfg.get("activation"))
            fused = fn if fn in ("linear", "relu", "relu6") else "linear"
            main = name if fused == fn else f"{name}/preact"
            nodes.append(Node(main, kind, ins, name, cfg, module, fused))
            if main != name:  # softmax/tanh/sigmoid of the layer: its own node (paper 2.3.2)
                act = Node(name, "Activation", [main], name, cfg)
                act.fn = fn
                nodes.append(act)
            continue
        node = Node(name, kind, ins, name, cfg)
        if kind == "BatchNormalization":
            if cfg.get("axis", -1) not in (-1, 3, [3], [-1]):
                raise SystemExit(f"{name}: only channel-last BatchNormalization is supported")
            node.module = batchnorm_module(cfg, w)
        elif kind == "Activation":
            node.fn = activation_name(cfg.get("activation"))
        elif kind == "ReLU":
            if cfg.get("negative_slope") or cfg.get("threshold"):
                raise SystemExit(f"{name}: leaky/thresholded ReLU is not supported")
            mv = cfg.get("max_value")
            if mv not in (None, 6):
                raise SystemExit(f"{name}: ReLU max_value={mv} is not supported")
            node.kind, node.fn = "Activation", "relu" if mv is None else "relu6"
        elif kind == "Softmax":
            node.kind, node.fn = "Activation", "softmax"
        elif kind not in (
            "InputLayer",
            "MaxPooling2D",
            "AveragePooling2D",
            "GlobalAveragePooling2D",
            "Flatten",
            "Reshape",
            "ZeroPadding2D",
            "Dropout",
            "Add",
            "Concatenate",
        ):
            raise SystemExit(f"{name}: layer class {kind} is not supported")
        nodes.append(node)
    # Readers of a split layer read its activation node, which carries the layer name already.
    return nodes, inputs, outputs


def weighted_module(kind, cfg, w):
    """A torch Conv2d / Linear with the Keras weights in torch's layout (padding done apart)."""
    use_bias = cfg.get("use_bias", True)
    if kind == "Dense":
        kernel = w["kernel"]  # [in, out]
        m = nn.Linear(kernel.shape[0], kernel.shape[1], bias=use_bias)
        m.weight.data = torch.from_numpy(np.ascontiguousarray(kernel.T))
    else:
        kh, kw = pair(cfg["kernel_size"])
        if cfg.get("data_format", "channels_last") != "channels_last":
            raise SystemExit("only channels_last convolutions are supported")
        if kind == "Conv2D":
            kernel = w["kernel"]  # [kh, kw, in, out] -> [out, in, kh, kw]
            cin, cout, groups = kernel.shape[2], kernel.shape[3], 1
            torch_w = kernel.transpose(3, 2, 0, 1)
        else:
            kernel = w["depthwise_kernel"]  # [kh, kw, in, mult] -> [in*mult, 1, kh, kw]
            cin, mult = kernel.shape[2], kernel.shape[3]
            cout, groups = cin * mult, cin
            torch_w = kernel.transpose(2, 3, 0, 1).reshape(cout, 1, kh, kw)
        m = nn.Conv2d(
            cin,
            cout,
            (kh, kw),
            stride=pair(cfg.get("strides", 1)),
            padding=0,
            dilation=pair(cfg.get("dilation_rate", 1)),
            groups=groups,
            bias=use_bias,
        )
        m.weight.data = torch.from_numpy(np.ascontiguousarray(torch_w))
    if use_bias:
        m.bias.data = torch.from_numpy(w["bias"].copy())
    return m.eval()


def batchnorm_module(cfg, w):
    mean, var = w["moving_mean"], w["moving_variance"]
    bn = nn.BatchNorm2d(mean.shape[0], eps=cfg.get("epsilon", 1e-3))
    bn.running_mean.data = torch.from_numpy(mean.copy())
    bn.running_var.data = torch.from_numpy(var.copy())
    # Keras center=False / scale=False: no beta / gamma weight (0 and 1).
    if "gamma" in w:
        bn.weight.data = torch.from_numpy(w["gamma"].copy())
    else:
        bn.weight.data = torch.ones_like(bn.weight)
    if "beta" in w:
        bn.bias.data = torch.from_numpy(w["beta"].copy())
    else:
        bn.bias.data = torch.zeros_like(bn.bias)
    return bn.eval()


# --------------------------------------------------------------------------------------------
# Graph transforms (paper Sec. 2.3): drop identities, fold BN with torch's fusion utilities, fuse
# ReLU/ReLU6 into the producer. Same conditions as the playground documents: the producer is a
# weighted op with a linear activation whose only reader is the BN/ReLU and which is not a model
# output.
# --------------------------------------------------------------------------------------------


class Graph:
    def __init__(self, nodes, inputs, outputs):
        self.nodes = nodes
        self.inputs = inputs
        self.outputs = outputs

    def by_name(self, name):
        return next((n for n in self.nodes if n.name == name), None)

    def readers(self, name):
        return [n for n in self.nodes if name in n.inputs]

    def remove(self, node, by):
        """Drops `node`; its readers (and the outputs) read `by` instead."""
        self.nodes.remove(node)
        for n in self.nodes:
            n.inputs = [by if i == node.name else i for i in n.inputs]
        self.outputs = [by if o == node.name else o for o in self.outputs]

    def sole_producer(self, node):
        if len(node.inputs) != 1 or node.inputs[0] in self.outputs:
            return None
        p = self.by_name(node.inputs[0])
        if p is None or p.kind not in WEIGHTED or p.act != "linear":
            return None
        return p if len(self.readers(p.name)) == 1 else None


def fold(graph):
    record = {"batchNorms": [], "activations": []}
    for n in list(graph.nodes):
        if n.kind == "Dropout" or (n.kind == "Activation" and n.fn == "linear"):
            graph.remove(n, n.inputs[0])
    for n in list(graph.nodes):
        if n.kind != "BatchNormalization":
            continue
        p = graph.sole_producer(n)
        if p is None:
            continue
        if p.kind == "Dense":
            p.module = fuse_linear_bn_eval(p.module, n.module)
        else:
            p.module = fuse_conv_bn_eval(p.module, n.module)
        record["batchNorms"].append({"batchNorm": n.name, "into": p.name})
        graph.remove(n, p.name)
    for n in list(graph.nodes):
        if n.kind != "Activation" or n.fn not in ("relu", "relu6"):
            continue
        p = graph.sole_producer(n)
        if p is None:
            continue
        p.act = n.fn
        record["activations"].append({"activation": n.name, "into": p.name})
        graph.remove(n, p.name)
    return record


def quantizes_output(node):
    """Activation quantizer placement (see the module docstring)."""
    if node.kind in WEIGHTED + ("InputLayer", "Add", "Concatenate", "BatchNormalization"):
        return True
    if node.kind in ("AveragePooling2D", "GlobalAveragePooling2D"):
        return True
    if node.kind == "Activation":
        return node.fn not in ("softmax", "linear")
    return False


# --------------------------------------------------------------------------------------------
# Forward pass. `act_hook(name, y)` sees every quantized output (observe or fake-quantize);
# `modules` optionally replaces a node's module (fake-quantized weights).
# --------------------------------------------------------------------------------------------


def to_nhwc(x):
    return x.permute(0, 2, 3, 1) if x.dim() == 4 else x


def to_torch_layout(x):
    return x.permute(0, 3, 1, 2).contiguous() if x.dim() == 4 else x


def torch_axis(axis, rank):
    """A Keras (channels-last) axis of a rank-`rank` tensor -> the axis in our layout."""
    axis = axis % rank
    if rank != 4:
        return axis
    return {0: 0, 1: 2, 2: 3, 3: 1}[axis]


def activate(x, fn, rank):
    if fn == "relu":
        return F.relu(x)
    if fn == "relu6":
        return F.relu6(x)
    if fn == "softmax":
        return F.softmax(x, dim=torch_axis(-1, rank))
    if fn == "tanh":
        return torch.tanh(x)
    if fn == "sigmoid":
        return torch.sigmoid(x)
    return x


def pool(node, x):
    kh, kw = pair(node.config["pool_size"])
    sh, sw = pair(node.config.get("strides") or node.config["pool_size"])
    is_max = node.kind == "MaxPooling2D"
    if node.config.get("padding", "valid") == "valid":
        if is_max:
            return F.max_pool2d(x, (kh, kw), (sh, sw))
        return F.avg_pool2d(x, (kh, kw), (sh, sw))
    top, bottom = same_padding(x.shape[2], kh, sh)
    left, right = same_padding(x.shape[3], kw, sw)
    pads = (left, right, top, bottom)
    if is_max:  # TF ignores the padding in max pooling
        return F.max_pool2d(F.pad(x, pads, value=-math.inf), (kh, kw), (sh, sw))
    # TF averages over the valid elements of each window only.
    total = F.avg_pool2d(F.pad(x, pads), (kh, kw), (sh, sw), divisor_override=1)
    ones = torch.ones_like(x[:1, :1])
    valid = F.avg_pool2d(F.pad(ones, pads), (kh, kw), (sh, sw), divisor_override=1)
    return total / valid


def apply(node, xs, module):
    x = xs[0] if xs else None
    k = node.kind
    if k in ("InputLayer", "Dropout"):
        return x
    if k == "Dense":
        if x.dim() != 2:
            raise SystemExit(f"{node.name}: Dense on rank-{x.dim()} inputs is not supported")
        return activate(module(x), node.act, 2)
    if k in ("Conv2D", "DepthwiseConv2D"):
        if node.config.get("padding", "valid") == "same":
            kh, kw = module.kernel_size
            dh, dw = module.dilation
            top, bottom = same_padding(x.shape[2], kh, module.stride[0], dh)
            left, right = same_padding(x.shape[3], kw, module.stride[1], dw)
            x = F.pad(x, (left, right, top, bottom))
        return activate(module(x), node.act, 4)
    if k == "BatchNormalization":
        if x.dim() == 2:
            m = module  # a standalone BN on a rank-2 tensor: BatchNorm2d's numbers, 1-d op
            return F.batch_norm(
                x, m.running_mean, m.running_var, m.weight, m.bias, False, 0.0, m.eps
            )
        return module(x)
    if k == "Activation":
        return activate(x, node.fn, x.dim())
    if k in ("MaxPooling2D", "AveragePooling2D"):
        return pool(node, x)
    if k == "GlobalAveragePooling2D":
        if node.config.get("keepdims"):
            return x.mean(dim=(2, 3), keepdim=True)
        return x.mean(dim=(2, 3))
    if k == "Flatten":  # Keras flattens channels-last: NCHW -> NHWC first
        return to_nhwc(x).reshape(x.shape[0], -1)
    if k == "Reshape":
        target = [d if d is not None else -1 for d in node.config["target_shape"]]
        return to_torch_layout(to_nhwc(x).reshape(x.shape[0], *target))
    if k == "ZeroPadding2D":
        (t, b), (l, r) = [pair(p) for p in pair(node.config["padding"])]
        return F.pad(x, (l, r, t, b))
    if k == "Add":
        out = xs[0]
        for y in xs[1:]:
            out = out + y
        return out
    if k == "Concatenate":
        return torch.cat(xs, dim=torch_axis(node.config.get("axis", -1), x.dim()))
    raise SystemExit(f"{node.name}: no forward for {k}")


def forward(graph, x, act_hook=None, modules=None):
    values = {}
    for node in graph.nodes:
        if node.kind == "InputLayer":
            y = x
        else:
            module = (modules or {}).get(node.name, node.module)
            y = apply(node, [values[i] for i in node.inputs], module)
        if act_hook is not None and quantizes_output(node):
            y = act_hook(node.name, y)
        values[node.name] = y
    return values[graph.outputs[0]]


# --------------------------------------------------------------------------------------------
# Quantizer specs (share-link tokens) -> torch.ao observers and fake-quant calls.
# --------------------------------------------------------------------------------------------


def parse_token(token):
    """`<bits>-<asym|sym>-<pt|pc>-minmax[-nr]` -> spec dict (only what torch.ao can express)."""
    parts = token.split("-")
    if (
        len(parts) < 4
        or parts[1] not in ("asym", "sym")
        or parts[2] not in ("pt", "pc")
        or parts[3] != "minmax"
    ):
        raise SystemExit(
            f"quantizer token {token!r}: expected <bits>-<asym|sym>-<pt|pc>-minmax[-nr]"
        )
    bits = int(parts[0])
    if not 2 <= bits <= 8:
        raise SystemExit(f"quantizer token {token!r}: quint8/qint8 observers hold 2..8 bits")
    narrow = parts[4:] == ["nr"]
    if parts[4:] and not narrow:
        raise SystemExit(f"quantizer token {token!r}: unknown suffix")
    symmetric = parts[1] == "sym"
    per_channel = parts[2] == "pc"
    if symmetric:  # signed grid, torch qint8 *_symmetric (z = 0)
        dtype = torch.qint8
        qmin, qmax = -(2 ** (bits - 1)) + (1 if narrow else 0), 2 ** (bits - 1) - 1
        qscheme = torch.per_channel_symmetric if per_channel else torch.per_tensor_symmetric
    else:  # unsigned grid, torch quint8 *_affine
        dtype = torch.quint8
        qmin, qmax = 0, 2**bits - 1 - (1 if narrow else 0)
        qscheme = torch.per_channel_affine if per_channel else torch.per_tensor_affine
    return {
        "token": token,
        "bits": bits,
        "symmetric": symmetric,
        "perChannel": per_channel,
        "dtype": dtype,
        "qscheme": qscheme,
        "qmin": qmin,
        "qmax": qmax,
    }


def parse_config(text):
    params = {k: v[0] for k, v in parse_qs(text.lstrip("#")).items()}
    if "w" not in params or "a" not in params:
        raise SystemExit(f"config {text!r}: give both w= and a= (this script assumes no defaults)")
    return {"text": text, "w": parse_token(params["w"]), "a": parse_token(params["a"])}


def make_observer(spec, ch_axis):
    kwargs = dict(
        dtype=spec["dtype"],
        qscheme=spec["qscheme"],
        quant_min=spec["qmin"],
        quant_max=spec["qmax"],
    )
    if spec["perChannel"]:
        return PerChannelMinMaxObserver(ch_axis=ch_axis, **kwargs)
    return MinMaxObserver(**kwargs)


def channel_axis(y):
    """The activation channel axis: Keras's last axis is dim 1 of an NCHW tensor."""
    return 1 if y.dim() == 4 else y.dim() - 1


def fake_quant(x, spec, scale, zero_point, axis):
    if spec["perChannel"]:
        return torch.fake_quantize_per_channel_affine(
            x, scale, zero_point.to(torch.int32), axis, spec["qmin"], spec["qmax"]
        )
    return torch.fake_quantize_per_tensor_affine(
        x, float(scale[0]), int(zero_point[0]), spec["qmin"], spec["qmax"]
    )


def encoding(spec, observer):
    scale, zero_point = observer.calculate_qparams()
    return {
        "bits": spec["bits"],
        "symmetric": spec["symmetric"],
        "granularity": "per-channel" if spec["perChannel"] else "per-tensor",
        "dtype": str(spec["dtype"]).replace("torch.", ""),
        "qscheme": str(spec["qscheme"]).replace("torch.", ""),
        "qmin": spec["qmin"],
        "qmax": spec["qmax"],
        # float32 values written as exact doubles (json writes the shortest round-trip repr)
        "scale": [float(v) for v in scale.reshape(-1).tolist()],
        "zeroPoint": [int(v) for v in zero_point.reshape(-1).tolist()],
        "observedMin": [float(v) for v in observer.min_val.reshape(-1).tolist()],
        "observedMax": [float(v) for v in observer.max_val.reshape(-1).tolist()],
        "_scale": scale,
        "_zero_point": zero_point,
    }


def public_encoding(enc):
    return {k: v for k, v in enc.items() if not k.startswith("_")}


def accuracy(graph, images, labels, batch, act_hook=None, modules=None):
    correct = 0
    for start in range(0, len(labels), batch):
        x = to_input(images[start : start + batch])
        out = forward(graph, x, act_hook, modules)
        # argmax over the softmax output, first index on ties (as tf.argMax)
        truth = torch.from_numpy(labels[start : start + batch])
        correct += int((out.argmax(dim=-1) == truth).sum())
    return correct / max(1, len(labels))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="zoo id (public/models/<id>) or model.json")
    ap.add_argument("--config", action="append", required=True, help="w=...&a=... (repeatable)")
    ap.add_argument("--cal", type=int, default=512, help="calibration images (default 512)")
    ap.add_argument("--seed", type=int, default=0, help="calibration seed (default 0)")
    ap.add_argument("--limit", type=int, default=None, help="evaluate the first N test images")
    ap.add_argument("--public", default=os.path.join(here, "..", "..", "public"))
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.set_grad_enabled(False)

    model_dir = (
        os.path.dirname(os.path.abspath(args.model))
        if args.model.endswith(".json")
        else os.path.join(args.public, "models", args.model)
    )
    nodes, inputs, outputs = build_nodes(model_dir)
    if len(inputs) != 1 or len(outputs) != 1:
        raise SystemExit("only single-input, single-output models are supported")
    original = Graph(copy.deepcopy(nodes), inputs, outputs)
    graph = Graph(nodes, inputs, outputs)
    folded = fold(graph)
    configs = [parse_config(c) for c in args.config]

    train_x, _ = load_split(args.public, "train")
    test_x, test_y = load_split(args.public, "test")
    if args.limit is not None:
        test_x, test_y = test_x[: args.limit], test_y[: args.limit]
    order = permutation(len(train_x), mulberry32(args.seed))[: min(args.cal, len(train_x))]
    cal_x = train_x[np.array(order, dtype=np.int64)]

    weighted = [n for n in graph.nodes if n.kind in WEIGHTED]
    act_names = [n.name for n in graph.nodes if quantizes_output(n)]

    # Activation observers: one set per distinct activation token, all fed in one FP32 pass.
    act_specs = {c["a"]["token"]: c["a"] for c in configs}
    observers = {tok: {name: None for name in act_names} for tok in act_specs}

    def observe(name, y):
        for tok, spec in act_specs.items():
            if observers[tok][name] is None:
                observers[tok][name] = make_observer(spec, channel_axis(y))
            observers[tok][name](y)
        return y

    for start in range(0, len(cal_x), 128):
        forward(graph, to_input(cal_x[start : start + 128]), observe)

    batch = 500
    result = {
        "model": os.path.basename(model_dir),
        "torch": torch.__version__,
        "calibration": {"count": len(order), "seed": args.seed, "firstIndices": order[:16]},
        "count": int(len(test_y)),
        "fp32Accuracy": accuracy(graph, test_x, test_y, batch),
        "fp32AccuracyUnfolded": accuracy(original, test_x, test_y, batch),
        "folded": folded,
        "configs": [],
    }
    for cfg in configs:
        wspec, aspec = cfg["w"], cfg["a"]
        # Weights: observer on the folded kernel (torch layout: output channel = axis 0).
        weights, modules = {}, {}
        for n in weighted:
            obs = make_observer(wspec, 0)
            obs(n.module.weight)
            enc = encoding(wspec, obs)
            m = copy.deepcopy(n.module)
            m.weight.data = fake_quant(n.module.weight, wspec, enc["_scale"], enc["_zero_point"], 0)
            weights[n.name] = enc
            modules[n.name] = m
        acts = {name: encoding(aspec, observers[aspec["token"]][name]) for name in act_names}

        def quantize(name, y, acts=acts, aspec=aspec):
            enc = acts[name]
            return fake_quant(y, aspec, enc["_scale"], enc["_zero_point"], channel_axis(y))

        result["configs"].append(
            {
                "config": cfg["text"],
                "quantAccuracy": accuracy(graph, test_x, test_y, batch, quantize, modules),
                "weights": {k: public_encoding(v) for k, v in weights.items()},
                "activations": {k: public_encoding(v) for k, v in acts.items()},
            }
        )
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
