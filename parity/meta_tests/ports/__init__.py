"""Ports the harness is tested on: shaped as real MLX ports from the ecosystem are, not as drop-ins."""
