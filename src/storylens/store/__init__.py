"""Stage 7: the embedded store (DuckDB, one file) for a corpus: articles with
their cleaning and coreference results, problems, and stories."""
