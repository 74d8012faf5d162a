"""What the entries share, as diffusers' schedulers share it ("Copied from" in the reference): the torch-side array
conversions, a pair of schedulers built from one config, the schedule and add_noise/get_velocity formulas in
float64 and their judgement, the config round trip, and the error-parity mechanism. It names no scheduler: each
entry passes its own reference class, oracle and policy in. Not an entry (parity.entries.ENTRIES does not list it).
"""
