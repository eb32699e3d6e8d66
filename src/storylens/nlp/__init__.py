"""Stage 2: the spaCy pipeline (``pipeline``, loaded once per process and passed
explicitly) and the vocabulary of labels and word lists stages share (``vocab``)."""
