"""Adapters for ports of other shapes, kept with the harness as worked examples of the protocol (parity/adapter.py):
`mflux` drives mflux's own schedulers the way mflux's models do (README "mflux's schedulers, verified")."""
