"""The parity harness: drives diffusers' DDIMScheduler (torch) and mlx_ddim's through the same inputs and
judges every quantity they compute with one tolerance policy. Only `parity.reference` imports torch."""
