"""Stage 3: within-article coreference and the resolved text.

``resolver.Resolver`` runs it over articles; ``component`` registers it as the
spaCy component ``storylens_coref``; ``sieve`` holds the clustering passes.
This file imports nothing, so any module here can be imported on its own.
"""
