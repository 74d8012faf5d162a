"""The DDPM and DDIM papers' claims (and those of zero terminal SNR and v-prediction) as executable properties,
run on diffusers' schedulers in torch and on the MLX ports.

`formulas` holds the papers' equations in float64, `properties` the six properties (each a function of a side,
returning measured figures), `bounds` their bounds with the measurements behind them, `findings` what a figure is,
`sides` and `reference` the sides they run on, `record` the figures into the run's recorder and reports/papers.md.
The gate runs them in parity/tests/test_papers.py; parity/meta_tests/test_papers.py shows each can fail.
"""
