"""The parity harness: an engine (the modules of this package) that drives a reference scheduler (diffusers, torch)
and an MLX port through the same inputs and judges every quantity with one tolerance policy, and one entry per
scheduler (parity/entries/) that says what to run. Only each entry's `reference` module imports torch."""
