"""Stage 5: across outlets. Link entities, group quotes, align claims, find each
outlet's framing terms; ``compare.Comparer`` runs them all on one story."""
