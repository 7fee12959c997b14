"""How big is a model? Memory estimates for serving and fine-tuning a decoder-only
transformer.

Everything is in GiB (2**30 bytes). GPU memory is sold in binary units: a card
sold as "24 GB" holds 24 GiB (``nvidia-smi`` shows 24576 MiB, less what error
correction reserves where it is on), so a GPU's capacity is given here in GiB as
sold. :data:`GB`, a decimal gigabyte, is for figures that really are decimal,
or for reading a capacity the other way.

**Lower bounds.** :func:`weights_gib`, :func:`kv_cache_gib`,
:func:`inference_gib` and :func:`training_gib` count only what every
implementation must hold: the weights, the key-value cache, the gradients and
the optimizer states. A lower bound above a capacity shows that something does
*not* fit; it cannot show that something fits.

**Estimates of the peak.** :func:`serving_gib` and :func:`lora_gib` add what a
runtime adds on top, so that they can be compared with a capacity to say that
something fits (:func:`longest_serving_context`, :func:`longest_lora_context`):

- for serving, the prefill's transient tensors: the logits over the vocabulary
  for every prompt token (in 16 bits, then an fp32 copy), or a layer's MLP
  intermediates where those are larger. That is a runtime that computes the
  logits of every prompt token, as Hugging Face transformers' Llama did before
  version 4.45; ``all_logits=False`` models one that computes them for each
  prompt's last token only (``logits_to_keep=1``, which its ``generate()``
  passes since).
  Decoding, one token at a time, adds little on top;
- for fine-tuning, the activations each layer keeps for the backward pass, per
  token, and the logits and the loss's copies of them. Activation checkpointing
  keeps only each layer's input and recomputes one layer at a time
  (Chen et al. 2016, arXiv:1604.06174);
- the runtime's own memory, CUDA context and allocator reserve: a stated
  assumption, :data:`RUNTIME_GIB`.

Activations are 16-bit, also when the weights are quantised: weight-only
quantisation (int8, int4) stores the weights in fewer bits and computes in 16
bits, and leaves the key-value cache at its own precision (``kv_precision``,
fp16 by default).

**Not modelled:** attention without a fused kernel such as FlashAttention
(its scores grow with the square of the context, which these estimates do not
include); the scales of quantised weights and the layers a quantiser leaves in
16 bits (a few per cent of the weights); a paged or fragmented key-value cache
beyond the assumed reserve; parallelism across GPUs, offloading to the CPU,
8-bit optimizers and 4-bit base models (QLoRA).

The estimates are checked against peaks measured on a GPU for Llama 2 7B's
shape (``tests/test_production_registry_memory.py``): each is within
:data:`ACCURACY` of the measured peak. A margin smaller than that cannot settle
whether something fits (:func:`peak_range`, :func:`fit_verdict`).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

#: Bytes per number at each precision.
BYTES_PER_VALUE = {"fp32": 4.0, "fp16": 2.0, "bf16": 2.0, "int8": 1.0, "int4": 0.5}
#: Bytes per activation value: 16-bit, also when the weights are quantised.
ACTIVATION_BYTES = 2.0
#: Bytes per value of the fp32 copies of the logits (for sampling and for the loss).
FP32_BYTES = 4.0
#: Mixed-precision training with Adam: fp16 weights and gradients (2 + 2 bytes), and an
#: fp32 copy of the weights plus Adam's two moments (4 + 4 + 4 bytes), per parameter.
MIXED_PRECISION_ADAM_BYTES = 16.0
GIB = 2**30
#: A decimal gigabyte, in bytes. Not the "GB" of GPU memory, which is sold in GiB: a
#: card sold as 16 GB holds 16 GiB. Use it for figures that are decimal, or to read one
#: both ways.
GB = 10**9

ACCURACY = 0.10
"""How close the estimates of the peak are held to peaks measured on a GPU, as a
fraction.

The unit tests hold each estimate within this fraction of the peak measured for
Llama 2 7B's shape (``|estimate - measured| <= ACCURACY * measured``). A
capacity closer to an estimate than that is too close to call (:func:`fit_verdict`).
"""

CUDA_CONTEXT_GIB = 0.5
"""Assumption: the CUDA context of a PyTorch process, with its kernels loaded, in GiB.

Not measured here. PyTorch's own measurement when it turned on CUDA's lazy
module loading was 0.27 GiB with it and 0.62 GiB without (pytorch/pytorch pull
request 86509); it varies with the GPU, the driver and the libraries loaded.
"""

ALLOCATOR_RESERVE_GIB = 0.5
"""Assumption: memory the caching allocator holds but has not handed out at the peak,
in GiB.

PyTorch's caching allocator keeps freed blocks for reuse and rounds requests up
to its block sizes, so the memory a process holds exceeds its peak allocation
(``torch.cuda.memory_reserved`` against ``max_memory_allocated``). Half a GiB
is a round guess for a single model of a few billion parameters; it grows with
fragmentation.
"""

RUNTIME_GIB = CUDA_CONTEXT_GIB + ALLOCATOR_RESERVE_GIB
"""Assumption: what the runtime itself holds besides the model's tensors, in GiB
(the two above)."""


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}.")
    return value


def _tokens(context, batch):
    """Tokens held at once: ``context`` tokens for each of ``batch`` sequences."""
    if (
        isinstance(context, bool)
        or not isinstance(context, numbers.Integral)
        or context < 0
    ):
        raise ValueError(
            f"context must be a whole number of tokens, 0 or more, got {context!r}."
        )
    return context * _positive_int("batch", batch)


def _bytes(precision):
    if precision not in BYTES_PER_VALUE:
        raise ValueError(
            f"unknown precision {precision!r}; choose one of {sorted(BYTES_PER_VALUE)}."
        )
    return BYTES_PER_VALUE[precision]


@dataclass(frozen=True)
class Transformer:
    """The shape of a decoder-only transformer, as far as memory is concerned.

    Parameters
    ----------
    n_params : float
        Number of parameters.
    n_layers, hidden_size, intermediate_size : int
        Layers, width of the residual stream, and width of the MLP's hidden layer.
    vocab_size : int
        Tokens in the vocabulary (the width of the logits).
    n_heads : int
        Attention heads.
    context : int
        The longest context the model was trained for, in tokens.
    n_kv_heads : int, optional
        Key-value heads, for grouped-query attention; ``None`` means one per head.
    """

    n_params: float
    n_layers: int
    hidden_size: int
    intermediate_size: int
    vocab_size: int
    n_heads: int
    context: int
    n_kv_heads: int | None = None

    def __post_init__(self):
        if not self.n_params > 0:
            raise ValueError(f"n_params must be positive, got {self.n_params!r}.")
        for name in (
            "n_layers",
            "hidden_size",
            "intermediate_size",
            "vocab_size",
            "n_heads",
            "context",
        ):
            _positive_int(name, getattr(self, name))
        if self.hidden_size % self.n_heads:
            raise ValueError(
                f"hidden_size ({self.hidden_size}) must be a multiple of n_heads "
                f"({self.n_heads})."
            )
        if self.n_kv_heads is not None and (
            _positive_int("n_kv_heads", self.n_kv_heads) > self.n_heads
            or self.n_heads % self.n_kv_heads
        ):
            raise ValueError(
                f"n_kv_heads ({self.n_kv_heads}) must divide n_heads ({self.n_heads})."
            )

    @property
    def kv_width(self):
        """Values per token and layer in the key-value cache: a key and a value vector
        per key-value head."""
        kv_heads = self.n_heads if self.n_kv_heads is None else self.n_kv_heads
        return 2 * kv_heads * (self.hidden_size // self.n_heads)


#: Llama 2 7B: its size and context (Touvron et al. 2023, arXiv:2307.09288), its layers,
#: width, heads and vocabulary (as LLaMA 7B, arXiv:2302.13971), and the MLP width of the
#: released configuration.
LLAMA2_7B = Transformer(
    n_params=6.74e9,
    n_layers=32,
    hidden_size=4096,
    intermediate_size=11008,
    vocab_size=32000,
    n_heads=32,
    context=4096,
)


# --- Lower bounds ---------------------------------------------------------------------


def weights_gib(n_params, precision="fp16"):
    """Memory of the weights alone, in GiB."""
    return n_params * _bytes(precision) / GIB


def kv_cache_gib(n_layers, hidden_size, context, batch=1, precision="fp16"):
    """Memory of a key-value cache with one key and one value head per query head, in
    GiB.

    A key and a value vector of ``hidden_size`` values per layer and token, for
    ``batch`` sequences of ``context`` tokens. (:func:`serving_gib` also handles
    grouped-query attention, through :attr:`Transformer.kv_width`.)
    """
    return (
        2 * n_layers * hidden_size * _tokens(context, batch) * _bytes(precision) / GIB
    )


def inference_gib(
    n_params,
    n_layers,
    hidden_size,
    context,
    batch=1,
    precision="fp16",
    kv_precision="fp16",
):
    """Weights at ``precision`` plus a key-value cache at ``kv_precision``, in GiB: a
    lower bound.

    Weight-only quantisation (``precision="int8"`` or ``"int4"``) leaves the
    cache at ``kv_precision``, fp16 by default.
    """
    return weights_gib(n_params, precision) + kv_cache_gib(
        n_layers, hidden_size, context, batch, kv_precision
    )


def lora_params(n_layers, hidden_size, rank, matrices_per_layer=2):
    """Trainable parameters of LoRA adapters of ``rank`` on square ``hidden_size``
    matrices.

    Two matrices per layer (the attention's query and value projections) by default.

    Examples
    --------
    >>> adapters = lora_params(LLAMA2_7B.n_layers, LLAMA2_7B.hidden_size, rank=8)
    >>> adapters, f"{adapters / LLAMA2_7B.n_params:.2%} of the model"
    (4194304, '0.06% of the model')
    """
    _positive_int("rank", rank)
    return n_layers * matrices_per_layer * rank * 2 * hidden_size


def training_gib(n_params, method="full", trainable=0, precision="fp16"):
    """Weights, gradients and optimizer states for fine-tuning, in GiB: a lower bound.

    ``method="full"``: every parameter is trained with mixed-precision Adam
    (:data:`MIXED_PRECISION_ADAM_BYTES` per parameter). ``method="lora"``: the
    base weights stay frozen at ``precision`` and only ``trainable`` adapter
    parameters are trained with mixed-precision Adam. Activations come on top
    (:func:`lora_gib`).

    Examples
    --------
    >>> round(training_gib(LLAMA2_7B.n_params, "full"), 1)  # 16 bytes per parameter
    100.4
    >>> adapters = lora_params(LLAMA2_7B.n_layers, LLAMA2_7B.hidden_size, rank=8)
    >>> round(training_gib(LLAMA2_7B.n_params, "lora", trainable=adapters), 1)
    12.6
    """
    if method == "full":
        return n_params * MIXED_PRECISION_ADAM_BYTES / GIB
    if method == "lora":
        return (
            weights_gib(n_params, precision)
            + trainable * MIXED_PRECISION_ADAM_BYTES / GIB
        )
    raise ValueError(f"unknown method {method!r}; choose 'full' or 'lora'.")


# --- What a runtime adds --------------------------------------------------------------


def prefill_activations_gib(model, context, batch=1, all_logits=True):
    """The prefill's largest transient tensors, in GiB.

    The prompt's ``context`` tokens go through the model at once. Two moments
    are the largest: at the end, the logits over the vocabulary, in 16 bits and
    then as an fp32 copy; inside each layer, the MLP's intermediates (its gate,
    its up-projection and their product, each ``intermediate_size`` wide) for
    every token. Layers run one after the other, so the peak is the larger of
    the two, not their sum.

    Parameters
    ----------
    model : Transformer
    context, batch : int
        Tokens per prompt, and prompts at once.
    all_logits : bool
        ``True``: the runtime computes the logits of every prompt token and
        copies them to fp32, as Hugging Face transformers' Llama did on every
        forward pass before version 4.45. ``False``: only those of each prompt's
        last token, all a sampler needs (``logits_to_keep=1``, which its
        ``generate()`` passes since).
    """
    tokens = _tokens(context, batch)
    logit_bytes = model.vocab_size * (ACTIVATION_BYTES + FP32_BYTES)
    logits = (
        tokens if all_logits else min(tokens, batch)
    ) * logit_bytes  # no prompt, no logits
    mlp = tokens * 3 * model.intermediate_size * ACTIVATION_BYTES
    return max(logits, mlp) / GIB


def layer_activation_values(model):
    """Values per token that one layer keeps for the backward pass, with a fused
    attention kernel.

    A count of the tensors a LLaMA-style layer keeps, each 16-bit: in the
    attention block, the input of the normalisation and its output, the
    queries, keys and values, and the attention's output (6 x ``hidden_size``);
    in the MLP block, the input of the normalisation and its output
    (2 x ``hidden_size``), the gate, the up-projection, the gate's activation
    and the product that enters the down-projection (4 x ``intermediate_size``).
    A fused kernel such as FlashAttention keeps no attention scores.

    Examples
    --------
    >>> layer_activation_values(LLAMA2_7B)  # 8 x 4096 + 4 x 11008
    76800
    >>> layer_activation_values(LLAMA2_7B) * ACTIVATION_BYTES / 2**10  # KiB per token
    150.0
    """
    return 8 * model.hidden_size + 4 * model.intermediate_size


def stored_activations_gib(model, context, batch=1, checkpointing=False):
    """Activations kept for the backward pass of fine-tuning, in GiB.

    Without checkpointing, every layer keeps :func:`layer_activation_values`
    per token. With activation checkpointing, every layer keeps only its input
    (``hidden_size`` values per token) and one layer at a time is recomputed in
    full during the backward pass. Either way the logits are kept three times
    per token: in 16 bits, as an fp32 copy, and as the loss's fp32 log-softmax.
    """
    per_layer = layer_activation_values(model) * ACTIVATION_BYTES
    if checkpointing:
        layers = model.n_layers * model.hidden_size * ACTIVATION_BYTES + per_layer
    else:
        layers = model.n_layers * per_layer
    logits = model.vocab_size * (ACTIVATION_BYTES + 2 * FP32_BYTES)
    return _tokens(context, batch) * (layers + logits) / GIB


# --- Estimates of the peak ------------------------------------------------------------


def serving_parts(
    model,
    context,
    batch=1,
    precision="fp16",
    kv_precision="fp16",
    runtime=True,
    all_logits=True,
):
    """The parts of the memory to serve ``batch`` sequences of ``context`` tokens, in
    GiB.

    Parameters
    ----------
    model : Transformer
    context, batch : int
        Tokens per sequence (prompt and answer), and sequences served at once.
    precision : str
        Precision of the weights: ``"fp16"``, or ``"int8"``/``"int4"`` for
        weight-only quantisation.
    kv_precision : str
        Precision of the key-value cache, fp16 unless the runtime quantises it too.
    runtime : bool
        Include the runtime's own memory, the assumption :data:`RUNTIME_GIB`.
    all_logits : bool
        The prefill computes the logits of every prompt token (the default), or
        of the last one only (:func:`prefill_activations_gib`).

    Returns
    -------
    dict
        ``{"weights", "KV cache", "activations", "runtime"}``, in GiB.

    Examples
    --------
    >>> parts = serving_parts(LLAMA2_7B, context=4096, batch=1)
    >>> {part: round(gib, 1) for part, gib in parts.items()}
    {'weights': 12.6, 'KV cache': 2.0, 'activations': 0.7, 'runtime': 1.0}
    """
    cache = (
        model.n_layers
        * model.kv_width
        * _tokens(context, batch)
        * _bytes(kv_precision)
        / GIB
    )
    return {
        "weights": weights_gib(model.n_params, precision),
        "KV cache": cache,
        "activations": prefill_activations_gib(model, context, batch, all_logits),
        "runtime": RUNTIME_GIB if runtime else 0.0,
    }


def serving_gib(
    model,
    context,
    batch=1,
    precision="fp16",
    kv_precision="fp16",
    runtime=True,
    all_logits=True,
):
    """Estimated peak memory to serve, in GiB: the sum of :func:`serving_parts`.

    Examples
    --------
    >>> round(serving_gib(LLAMA2_7B, context=4096), 1)
    16.3
    >>> round(serving_gib(LLAMA2_7B, context=4096, precision="int4"), 1)
    6.9
    """
    return sum(
        serving_parts(
            model, context, batch, precision, kv_precision, runtime, all_logits
        ).values()
    )


def lora_parts(model, context, batch=1, rank=8, checkpointing=False, runtime=True):
    """The parts of the memory to fine-tune with LoRA on frozen fp16 weights, in GiB.

    Parameters
    ----------
    model : Transformer
    context, batch : int
        Tokens per training sequence, and sequences per step.
    rank : int
        Rank of the adapters, on the query and value projections of every layer.
    checkpointing : bool
        Activation checkpointing: keep each layer's input only, recompute the rest.
    runtime : bool
        Include the runtime's own memory, the assumption :data:`RUNTIME_GIB`.

    Returns
    -------
    dict
        ``{"weights", "adapters and Adam", "activations", "runtime"}``, in GiB.

    Examples
    --------
    >>> parts = lora_parts(LLAMA2_7B, context=4096, batch=1, rank=8)
    >>> {part: round(gib, 1) for part, gib in parts.items()}
    {'weights': 12.6, 'adapters and Adam': 0.1, 'activations': 20.0, 'runtime': 1.0}
    """
    adapters = lora_params(model.n_layers, model.hidden_size, rank)
    return {
        "weights": weights_gib(model.n_params, "fp16"),
        "adapters and Adam": adapters * MIXED_PRECISION_ADAM_BYTES / GIB,
        "activations": stored_activations_gib(model, context, batch, checkpointing),
        "runtime": RUNTIME_GIB if runtime else 0.0,
    }


def lora_gib(model, context, batch=1, rank=8, checkpointing=False, runtime=True):
    """Estimated peak memory of LoRA fine-tuning, in GiB: the sum of
    :func:`lora_parts`.

    Examples
    --------
    >>> round(lora_gib(LLAMA2_7B, context=4096, rank=8), 1)
    33.6
    >>> round(lora_gib(LLAMA2_7B, context=4096, rank=8, checkpointing=True), 1)
    16.4
    """
    return sum(lora_parts(model, context, batch, rank, checkpointing, runtime).values())


# --- Claims with their conditions -----------------------------------------------------


def peak_range(estimate_gib):
    """The measured peaks an estimate is consistent with, given :data:`ACCURACY`, in
    GiB.

    An estimate ``e`` within ``ACCURACY`` of the measured peak ``m``
    (``|e - m| <= ACCURACY * m``) puts ``m`` between ``e / (1 + ACCURACY)`` and
    ``e / (1 - ACCURACY)``.

    Returns
    -------
    tuple of float
        ``(lowest, highest)`` peak.
    """
    return estimate_gib / (1 + ACCURACY), estimate_gib / (1 - ACCURACY)


def fit_verdict(estimate_gib, capacity_gib):
    """Whether an estimated peak fits in a capacity, once the estimate's accuracy is
    counted.

    Returns
    -------
    str
        ``"fits"`` if even the highest peak of :func:`peak_range` fits,
        ``"does not fit"`` if even the lowest does not, and
        ``"too close to call"`` otherwise.

    Examples
    --------
    With :data:`ACCURACY` at 10%, an estimate of 15 GiB may be a peak of 16.7 GiB:

    >>> [fit_verdict(estimate, capacity_gib=16) for estimate in (14.0, 15.0, 20.0)]
    ['fits', 'too close to call', 'does not fit']
    """
    if not capacity_gib > 0:
        raise ValueError(f"capacity_gib must be positive, got {capacity_gib!r}.")
    lowest, highest = peak_range(estimate_gib)
    if highest <= capacity_gib:
        return "fits"
    if lowest > capacity_gib:
        return "does not fit"
    return "too close to call"


def longest_context(need_gib, capacity_gib, limit):
    """The longest context, in tokens, whose memory fits in a capacity.

    Parameters
    ----------
    need_gib : callable
        ``need_gib(context) -> GiB``, non-decreasing in the context.
    capacity_gib : float
        The memory available, in GiB.
    limit : int
        The longest context worth asking about (a model's trained context).

    Returns
    -------
    int
        The largest ``n`` in ``1..limit`` with ``need_gib(n) <= capacity_gib``,
        or 0 if not even one token fits.
    """
    if not capacity_gib > 0:
        raise ValueError(f"capacity_gib must be positive, got {capacity_gib!r}.")
    _positive_int("limit", limit)
    if need_gib(1) > capacity_gib:
        return 0
    if need_gib(limit) <= capacity_gib:
        return limit
    fits, too_long = 1, limit  # need(fits) fits, need(too_long) does not
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        fits, too_long = (
            (middle, too_long) if need_gib(middle) <= capacity_gib else (fits, middle)
        )
    return fits


def longest_serving_context(
    model,
    capacity_gib,
    batch=1,
    precision="fp16",
    kv_precision="fp16",
    runtime=True,
    all_logits=True,
):
    """The longest context, at most ``model.context``, whose serving estimate fits in
    ``capacity_gib``.

    Examples
    --------
    >>> longest_serving_context(LLAMA2_7B, capacity_gib=16)
    3666
    >>> longest_serving_context(LLAMA2_7B, capacity_gib=16, all_logits=False)
    4096
    """

    def need(context):
        return serving_gib(
            model, context, batch, precision, kv_precision, runtime, all_logits
        )

    return longest_context(need, capacity_gib, model.context)


def longest_lora_context(
    model, capacity_gib, batch=1, rank=8, checkpointing=False, runtime=True
):
    """The longest context, at most ``model.context``, whose LoRA fine-tuning estimate
    fits in ``capacity_gib``.

    Examples
    --------
    >>> longest_lora_context(LLAMA2_7B, capacity_gib=24, rank=8)
    2129
    >>> longest_lora_context(LLAMA2_7B, capacity_gib=24, rank=8, checkpointing=True)
    4096
    """

    def need(context):
        return lora_gib(model, context, batch, rank, checkpointing, runtime)

    return longest_context(need, capacity_gib, model.context)
