"""How big is a model? Memory estimates from parameter counts and precision.

These are lower bounds: they count weights, the key-value cache, gradients and
optimizer states, and leave out activations, fragmentation and framework
overhead, which add more in practice.
"""

from __future__ import annotations

#: Bytes per number at each precision.
BYTES_PER_VALUE = {"fp32": 4.0, "fp16": 2.0, "bf16": 2.0, "int8": 1.0, "int4": 0.5}
#: Mixed-precision training with Adam: fp16 weights and gradients (2 + 2 bytes), and an
#: fp32 copy of the weights plus Adam's two moments (4 + 4 + 4 bytes), per parameter.
MIXED_PRECISION_ADAM_BYTES = 16.0
GIB = 2**30


def _bytes(precision):
    if precision not in BYTES_PER_VALUE:
        raise ValueError(f"unknown precision {precision!r}; choose one of {sorted(BYTES_PER_VALUE)}.")
    return BYTES_PER_VALUE[precision]


def weights_gib(n_params, precision="fp16"):
    """Memory of the weights alone, in GiB."""
    return n_params * _bytes(precision) / GIB


def kv_cache_gib(n_layers, hidden_size, context, batch=1, precision="fp16"):
    """Memory of a transformer's key-value cache: a key and a value vector per layer and token, in GiB."""
    return 2 * n_layers * hidden_size * context * batch * _bytes(precision) / GIB


def inference_gib(n_params, n_layers, hidden_size, context, batch=1, precision="fp16"):
    """Weights plus the key-value cache for ``batch`` sequences of ``context`` tokens, in GiB."""
    return weights_gib(n_params, precision) + kv_cache_gib(n_layers, hidden_size, context, batch, precision)


def lora_params(n_layers, hidden_size, rank, matrices_per_layer=2):
    """Trainable parameters of LoRA adapters of ``rank`` on square ``hidden_size`` matrices."""
    return n_layers * matrices_per_layer * rank * 2 * hidden_size


def training_gib(n_params, method="full", trainable=0, precision="fp16"):
    """Weights, gradients and optimizer states for fine-tuning, in GiB.

    ``method="full"``: every parameter is trained with mixed-precision Adam
    (:data:`MIXED_PRECISION_ADAM_BYTES` per parameter). ``method="lora"``: the
    base weights stay frozen at ``precision`` and only ``trainable`` adapter
    parameters are trained with mixed-precision Adam.
    """
    if method == "full":
        return n_params * MIXED_PRECISION_ADAM_BYTES / GIB
    if method == "lora":
        return weights_gib(n_params, precision) + trainable * MIXED_PRECISION_ADAM_BYTES / GIB
    raise ValueError(f"unknown method {method!r}; choose 'full' or 'lora'.")
