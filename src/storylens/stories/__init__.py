"""Stage 6: group articles into stories, one real-world event each."""
