"""The flow-matching mutant catalog: realistic porting bugs of the FlowMatchEulerDiscreteScheduler port, each
anchored to its function and text (the runner, the anchors and the generic sampling are the engine's:
parity/mutants.py), and the flow-matching gate's test files in the order that kills a mutant fastest.
Run: `PARITY_ENTRY=flow_match python -m parity.mutants`."""

from __future__ import annotations

from parity.mutants import Mutant

__all__ = ["CATALOG", "GENERIC_SOURCES", "TEST_ORDER"]

PORT = "mlx_ddim/scheduling_flow_match_euler_discrete.py"
S = "FlowMatchEulerDiscreteScheduler."  # the class whose methods the anchors name
# The conformance rows first (every parameter, path, dtype and branch, in seconds), the properties last.
TEST_ORDER = [
    "parity/tests/flow_match/test_rows.py",
    "parity/tests/test_surface.py",
    "parity/tests/test_fixtures.py",
    "parity/tests/test_properties.py",
]

GENERIC_SOURCES = (PORT,)

SHIFT = "            sigmas = self.shift * sigmas / (1 + (self.shift - 1) * sigmas)\n"
DEFAULT_LINSPACE = (
    "                timesteps = np.linspace(\n"
    "                    self._sigma_to_t(self.sigma_max),\n"
    "                    self._sigma_to_t(self.sigma_min),\n"
    "                    num_inference_steps,\n"
    "                )\n"
)

CATALOG = [
    Mutant("shift-applied-twice", PORT, S + "set_timesteps", SHIFT, SHIFT + SHIFT,
           "the static shift applied to sigmas that are already shifted (as a pipeline that pre-shifts its sigmas)"),
    Mutant("init-sigmas-unshifted", PORT, S + "__init__",
           "            if not use_dynamic_shifting:\n", "            if False:\n",
           "the reference's double shift 'fixed': __init__'s sigma_max/sigma_min left unshifted"),
    Mutant("static-shift-skipped-for-sigmas", PORT, S + "set_timesteps",
           "        else:\n" + SHIFT, "        elif timesteps is not None:\n" + SHIFT,
           "custom sigmas taken as already shifted: the static shift skipped when only sigmas are passed"),
    Mutant("set-shift-ignored", PORT, S + "set_timesteps", SHIFT, SHIFT.replace("self.shift", "self.config.shift"),
           "the shift read from the config, so set_shift (FLUX-Kontext, Sana-Sprint) has no effect"),
    Mutant("mu-as-exponent", PORT, S + "set_timesteps",
           "sigmas = self.time_shift(mu, 1.0, sigmas)", "sigmas = self.time_shift(1.0, mu, sigmas)",
           "time_shift(mu, sigma, t) called with mu and sigma swapped: mu ends up as the exponent"),
    Mutant("seq-len-bound-of-another-model", PORT, S + "__init__",
           "        base_image_seq_len: int = 256,\n", "        base_image_seq_len: int = 1024,\n",
           "the port's share of a mu from the wrong sequence length: pipelines compute mu from the scheduler's "
           "config, and a port defaulting LTX's base_image_seq_len gives every FLUX-style call a wrong mu"),
    Mutant("linear-time-shift-for-exponential", PORT, S + "time_shift",
           "            return self._time_shift_exponential(mu, sigma, t)",
           "            return self._time_shift_linear(mu, sigma, t)",
           "time_shift_type's two branches mixed up: mu used where the exponential shift has exp(mu)"),
    Mutant("terminal-stretch-discarded", PORT, S + "set_timesteps",
           "            sigmas = self.stretch_shift_to_terminal(sigmas)\n",
           "            self.stretch_shift_to_terminal(sigmas)\n",
           "the shift_terminal stretch called as if in place: its result dropped, so the schedule ends unstretched"),
    Mutant("karras-range-swapped", PORT, S + "_convert_to_karras",
           "sigma_min, sigma_max = self._sigma_range(in_sigmas)", "sigma_max, sigma_min = self._sigma_range(in_sigmas)",
           "Karras sigmas between sigma_min and sigma_max read the wrong way round: an ascending schedule"),
    Mutant("exponential-spaced-linearly", PORT, S + "_convert_to_exponential",
           "np.exp(np.linspace(math.log(sigma_max), math.log(sigma_min), num_inference_steps))",
           "np.linspace(sigma_max, sigma_min, num_inference_steps)",
           "exponential sigmas spaced evenly in sigma instead of in log sigma"),
    Mutant("invert-appends-zero", PORT, S + "set_timesteps",
           "sigmas = np.concatenate([sigmas, np.ones(1, np.float32)])",
           "sigmas = np.concatenate([sigmas, np.zeros(1, np.float32)])",
           "the terminal sigma 0 appended under invert_sigmas too (Mochi's inverted schedule ends at 1)"),
    Mutant("float32-mx-linspace", PORT, S + "set_timesteps", DEFAULT_LINSPACE,
           DEFAULT_LINSPACE.replace("np.linspace(", "np.array(mx.linspace(").replace("  )\n", "  ))\n"),
           "the default timesteps from mx.linspace in float32, where the reference's numpy linspace is float64"),
    Mutant("timesteps-not-scaled", PORT, S + "set_timesteps",
           "            else:\n                timesteps = sigmas * num_train_timesteps\n",
           "            else:\n                timesteps = sigmas.copy()\n",
           "timesteps left as sigmas in [0, 1] (k-diffusion's convention), not multiplied by num_train_timesteps"),
    Mutant("first-index-always", PORT, S + "index_for_timestep",
           "        pos = 1 if len(indices) > 1 else 0\n", "        pos = 0\n",
           "index_for_timestep's second-index rule dropped: a repeated first timestep steps twice from its sigma"),
    Mutant("begin-index-ignored-in-step", PORT, S + "_init_step_index",
           "        if self.begin_index is None:\n", "        if True:\n",
           "the first step's index always looked up (an older scheduler's _init_step_index): set_begin_index ignored"),
    Mutant("step-index-not-advanced", PORT, S + "step", "        self._step_index += 1\n", "",
           "the step index not advanced: every step of a loop uses the first step's sigmas"),
    Mutant("no-float32-upcast", PORT, S + "step", "        sample = sample.astype(mx.float32)\n", "",
           "the sample not upcast: a half-precision Euler update rounds the sample before the sum"),
    Mutant("cast-back-dropped", PORT, S + "step",
           "            prev_sample = prev_sample.astype(model_output.dtype)\n", "            pass\n",
           "prev_sample left in the upcast float32 instead of cast back to the model output's dtype"),
    Mutant("euler-dt-sign", PORT, S + "step", "            dt = sigma_next - sigma\n",
           "            dt = sigma - sigma_next\n", "dt as a positive step size, for a velocity of the other sign convention"),
    Mutant("stochastic-noise-at-sigma", PORT, S + "step",
           "_times(1.0 - next_sigma, x0) + _times(next_sigma, noise)",
           "_times(1.0 - next_sigma, x0) + _times(current_sigma, noise)",
           "stochastic sampling re-noises x_0 to the current sigma instead of the next one"),
    Mutant("per-token-lower-or-equal", PORT, S + "step",
           "lower_mask = sigmas < per_token_sigmas[None] - 1e-6", "lower_mask = sigmas <= per_token_sigmas[None]",
           "per-token next sigma as 'at or below the token's sigma', without the reference's strict 1e-6 margin: a "
           "token at a scheduled timestep gets its own sigma as the next one and does not move"),
    Mutant("scale-noise-weights-swapped", PORT, S + "scale_noise",
           "sample = sigma * noise + (1.0 - sigma) * sample", "sample = (1.0 - sigma) * noise + sigma * sample",
           "the forward process with sigma and 1 - sigma swapped (sigma as the signal's share)"),
]  # fmt: skip
