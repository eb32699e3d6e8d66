"""Runs stages over many articles: in this process or in local worker processes."""
