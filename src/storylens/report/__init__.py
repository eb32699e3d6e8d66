"""Stage 8: JSON, HTML and terminal output."""
