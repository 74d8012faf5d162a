"""The DDIM mutant catalog: realistic porting bugs of the port, each anchored to its function and text (the runner,
the anchors and the generic sampling are the engine's: parity/mutants.py), the generic mutants shown equivalent,
and the gate's test files in the order that kills a mutant fastest."""

from __future__ import annotations

from parity.mutants import Mutant

__all__ = ["CATALOG", "EQUIVALENT", "GENERIC_SOURCES", "TEST_ORDER"]

PORT = "mlx_ddim/scheduling_ddim.py"
# Fast, targeted files first, so a mutant dies in seconds; the properties last.
TEST_ORDER = [
    "parity/tests/test_float32_arith.py",
    "parity/tests/ddim/test_schedule.py",
    "parity/tests/test_schedule_arrays.py",
    "parity/tests/ddim/test_timesteps.py",
    "parity/tests/ddim/test_errors.py",
    "parity/tests/ddim/test_step.py",
    "parity/tests/test_noise.py",
    "parity/tests/ddim/test_generator.py",
    "parity/tests/ddim/test_config.py",
    "parity/tests/test_surface.py",
    "parity/tests/ddim/test_trajectory.py",
    "parity/tests/test_fixtures.py",
    "parity/tests/test_properties.py",
    "parity/tests/ddim/test_port_only.py",
]


GENERIC_SOURCES = (
    "mlx_ddim/scheduling_ddim.py",
    "mlx_ddim/shared.py",
    "mlx_ddim/torch_scalars.py",
    "mlx_ddim/quantile.py",
    "mlx_ddim/torch_float32.py",
)
# Generic mutants shown to be equivalent (no observable change), by name (file:scope token#occurrence -> new): the
# source line that holds the token, and the reason. A survivor not listed here means the suite must be strengthened.
# A key that names no current site, or a site on another line (a token of the same text added before it in its
# scope), is a stale anchor: `make mutants` refuses to run (check_equivalent).
EQUIVALENT = {
    "quantile.py:_fma_float32 >#0 -> >=": (
        "away_from_zero = (error > 0) == (total > 0)",
        "`error >= 0` differs from `error > 0` only where the error is 0, and `inexact` already requires a "
        "nonzero error, so the nudge direction is never used there",
    ),
    "quantile.py:_fma_float32 >#1 -> >=": (
        "away_from_zero = (error > 0) == (total > 0)",
        "`total >= 0` differs from `total > 0` only where the float64 sum is 0, which (with gradual underflow) "
        "happens only when it is exact: a zero error, so `inexact` is false",
    ),
    "shared.py:betas_for_alpha_bar_host.alpha_bar_fn *#1 -> /": (
        "lmb = -0.5 * math.copysign(1, 0.5 - t) * math.log(1 - 2 * math.fabs(0.5 - t) + 1e-6)",
        "copysign(1, x) is +1 or -1, and multiplying or dividing by it is the same",
    ),
    "torch_float32.py:fma_float32 >#0 -> >=": (
        "towards = np.where(error > 0, np.inf, -np.inf)",
        "`error >= 0` differs only where the error is 0, where `inexact` is false",
    ),
    "torch_float32.py:linspace_float32 0#1 -> 1": (
        "return np.zeros(0, np.float32)",
        "unreachable: num_train_timesteps >= 1 is checked before any linspace",
    ),
    "scheduling_ddim.py:DDIMScheduler._set_timesteps_host >=#0 -> >": (
        "self._timesteps_in_range = bool(np.all((timesteps >= -size) & (timesteps < size)))",
        "only a schedule holding exactly -size (a steps_offset of -N) changes: its array timesteps are read "
        "back and looked up on the host, the same values at the cost of one synchronisation",
    ),
}


CATALOG = [
    Mutant(
        "prev-timestep-from-spacing-ratio",
        PORT,
        "DDIMScheduler.step",
        "prev_timestep = timestep - self.config.num_train_timesteps // self.num_inference_steps",
        "prev_timestep = timestep - round(self.config.num_train_timesteps / self.num_inference_steps)",
        "a port that 'fixes' the reference's quirk: the previous timestep from the spacing's own (rounded) ratio",
    ),
    Mutant(
        "true-division-leading-ratio",
        "mlx_ddim/shared.py",
        "spaced_timesteps",
        "        step_ratio = num_train_timesteps // num_inference_steps\n        # creates",
        "        step_ratio = num_train_timesteps / num_inference_steps\n        # creates",
        "`/` for `//` when translating the leading spacing",
    ),
    Mutant(
        "steps-offset-dropped",
        "mlx_ddim/shared.py",
        "spaced_timesteps",
        "        timesteps += steps_offset\n",
        "",
        "steps_offset looks like a no-op at its default 0 and is easy to lose",
    ),
    Mutant(
        "steps-offset-on-trailing",
        "mlx_ddim/shared.py",
        "spaced_timesteps",
        "        timesteps -= 1\n",
        "        timesteps -= 1\n        timesteps += steps_offset\n",
        "applying the offset to every spacing, as some other schedulers do",
    ),
    Mutant(
        "final-alpha-swapped",
        PORT,
        "DDIMScheduler.__init__",
        "np.float32(1.0) if set_alpha_to_one else alphas_cumprod[0]",
        "alphas_cumprod[0] if set_alpha_to_one else np.float32(1.0)",
        "set_alpha_to_one read the wrong way round",
    ),
    Mutant(
        "variance-ratio-inverted",
        PORT,
        "DDIMScheduler._get_variance",
        "variance = (beta_prod_t_prev / beta_prod_t) * (1 - alpha_prod_t / alpha_prod_t_prev)",
        "variance = (beta_prod_t / beta_prod_t_prev) * (1 - alpha_prod_t / alpha_prod_t_prev)",
        "formula (16)'s ratio of (1 - alpha) terms written upside down",
    ),
    Mutant(
        "eta-on-variance",
        PORT,
        "DDIMScheduler.step",
        "std_dev_t = eta * mx.sqrt(variance)",
        "std_dev_t = mx.sqrt(eta * variance)",
        "eta applied to the variance instead of the standard deviation",
    ),
    Mutant(
        "direction-without-std",
        PORT,
        "DDIMScheduler.step",
        "mx.sqrt(1 - alpha_prod_t_prev - mx.square(std_dev_t))",
        "mx.sqrt(1 - alpha_prod_t_prev)",
        "the direction term of formula (12) without `- sigma_t**2`, right only for eta = 0",
    ),
    Mutant(
        "epsilon-formula-swapped-roots",
        PORT,
        "DDIMScheduler.step",
        "divide(sample - scale(mx.sqrt(beta_prod_t), model_output), mx.sqrt(alpha_prod_t))",
        "divide(sample - scale(mx.sqrt(alpha_prod_t), model_output), mx.sqrt(beta_prod_t))",
        "x0 from epsilon with the two square roots swapped",
    ),
    Mutant(
        "sample-formula-wrong-root",
        PORT,
        "DDIMScheduler.step",
        "            pred_original_sample = model_output\n"
        "            pred_epsilon = divide(sample - scale(mx.sqrt(alpha_prod_t), pred_original_sample),"
        " mx.sqrt(beta_prod_t))",
        "            pred_original_sample = model_output\n"
        "            pred_epsilon = divide(sample - scale(mx.sqrt(alpha_prod_t), pred_original_sample),"
        " mx.sqrt(alpha_prod_t))",
        "epsilon from a predicted sample divided by the wrong root",
    ),
    Mutant(
        "v-prediction-sign",
        PORT,
        "DDIMScheduler.step",
        "scale(mx.sqrt(alpha_prod_t), sample) - scale(mx.sqrt(beta_prod_t), model_output)",
        "scale(mx.sqrt(alpha_prod_t), sample) + scale(mx.sqrt(beta_prod_t), model_output)",
        "the v-prediction sign flipped (v = alpha * eps - sigma * x0)",
    ),
    Mutant(
        "clip-after-threshold",
        PORT,
        "DDIMScheduler.step",
        "        elif self.config.clip_sample:\n",
        "        if self.config.clip_sample:\n",
        "clipping applied on top of thresholding (the reference: thresholding wins)",
    ),
    Mutant(
        "clip-range-ignored",
        PORT,
        "DDIMScheduler.step",
        "pred_original_sample, -self.config.clip_sample_range, self.config.clip_sample_range",
        "pred_original_sample, -1.0, 1.0",
        "clip_sample_range hard-coded to its default",
    ),
    Mutant(
        "clipped-model-output-ignored",
        PORT,
        "DDIMScheduler.step",
        "        if use_clipped_model_output:\n",
        "        if False:\n",
        "use_clipped_model_output accepted but not honoured",
    ),
    Mutant(
        "quantile-nearest-rank",
        "mlx_ddim/quantile.py",
        "quantile_rows",
        "    values = _fma_float32(mx.broadcast_to(coefficient, low.shape), high - low, base)",
        "    values = mx.sort(x, axis=1)[:, round(float(rank))]",
        "np.percentile-style nearest rank instead of torch's linear interpolation",
    ),
    Mutant(
        "quantile-lerp-without-fma",
        "mlx_ddim/quantile.py",
        "quantile_rows",
        "    values = _fma_float32(mx.broadcast_to(coefficient, low.shape), high - low, base)",
        "    values = base + coefficient * (high - low)",
        "the textbook lerp: torch's is one fused multiply-add",
    ),
    Mutant(
        "threshold-keeps-float32",
        "mlx_ddim/shared.py",
        "threshold_sample",
        "    return sample.astype(dtype)\n",
        "    return sample\n",
        "thresholding computes in float32 and forgets to restore the sample's dtype",
    ),
    Mutant(
        "add-noise-wrong-axis",
        "mlx_ddim/shared.py",
        "_roots_at",
        "    shape = sqrt_alpha_prod.shape + (1,) * max(ndim - 1, 0)",
        "    shape = (1,) * max(ndim - 1, 0) + sqrt_alpha_prod.shape",
        "per-sample coefficients broadcast along the last axis instead of the batch axis",
    ),
    Mutant(
        "zero-snr-first-alpha-lost",
        "mlx_ddim/shared.py",
        "rescale_zero_terminal_snr_host",
        "        alphas = np.concatenate([alphas_bar[0:1], alphas])",
        "        alphas = np.concatenate([np.ones(1, np.float32), alphas])",
        "the rescale's revert-cumprod step without re-inserting the first alpha",
    ),
    Mutant(
        "cumprod-float16",
        "mlx_ddim/torch_float32.py",
        "cumprod_float32",
        "    return np.cumprod(np.asarray(values, np.float32).astype(np.float64)).astype(np.float32)",
        "    return np.cumprod(np.asarray(values, np.float16)).astype(np.float32)",
        "the schedule built in the latents' half precision",
    ),
    Mutant(
        "cumprod-float32-accumulation",
        "mlx_ddim/torch_float32.py",
        "cumprod_float32",
        "    return np.cumprod(np.asarray(values, np.float32).astype(np.float64)).astype(np.float32)",
        "    return np.cumprod(np.asarray(values, np.float32))",
        "a plain float32 cumprod (torch accumulates in float64)",
    ),
    Mutant(
        "naive-linspace",
        "mlx_ddim/torch_float32.py",
        "linspace_float32",
        "    return np.where(index < steps // 2, from_start, from_end).astype(np.float32)",
        "    return np.linspace(start32, end32, steps, dtype=np.float32)",
        "np.linspace (or mx.linspace) for torch.linspace",
    ),
    Mutant(
        "linspace-timesteps-floored",
        "mlx_ddim/shared.py",
        "spaced_timesteps",
        "np.linspace(0, num_train_timesteps - 1, num_inference_steps).round()[::-1]",
        "np.linspace(0, num_train_timesteps - 1, num_inference_steps)[::-1]",
        "linspace timesteps truncated by astype(int) instead of rounded",
    ),
    Mutant(
        "leading-not-reversed",
        "mlx_ddim/shared.py",
        "spaced_timesteps",
        "(np.arange(0, num_inference_steps) * step_ratio).round()[::-1].copy()",
        "(np.arange(0, num_inference_steps) * step_ratio).round().copy()",
        "leading timesteps left ascending",
    ),
    Mutant(
        "half-promoted-to-float32",
        "mlx_ddim/torch_scalars.py",
        "_on_the_right",
        "        return operation(x, _cast(coefficient, mx.float32)).astype(x.dtype)",
        "        return operation(x, _cast(coefficient, mx.float32))",
        "MLX promotes bf16 / float32-scalar to float32, and the port forgets to cast back",
    ),
    Mutant(
        "coefficient-not-cast",
        "mlx_ddim/torch_scalars.py",
        "scale",
        "    return _cast(coefficient, x.dtype) * x",
        "    return _cast(coefficient, mx.float32) * x",
        "a float32 coefficient times a half array: MLX promotes where torch keeps the array's dtype",
    ),
    Mutant(
        "generator-ignored",
        PORT,
        "DDIMScheduler.step",
        "dtype=model_output.dtype, key=generator)",
        "dtype=model_output.dtype)",
        "the generator accepted but the global PRNG used",
    ),
    Mutant(
        "add-noise-no-bounds-check",
        "mlx_ddim/shared.py",
        "_roots_at",
        "    if mx.any(out_of_range).item():",
        "    if False:",
        "MLX does not bounds-check gathers: an out-of-range timestep reads garbage",
    ),
    Mutant(
        "array-timestep-never-checked",
        "mlx_ddim/shared.py",
        "checked_timestep",
        "        if trust_arrays:\n",
        "        if True:\n",
        "an mx.array timestep past alphas_cumprod gathered without the bounds check",
    ),
    Mutant(
        "partition-neighbour-unordered",
        "mlx_ddim/quantile.py",
        "quantile_rows",
        "    high = mx.min(partitioned[:, below + 1 :], axis=1) if above > below else low",
        "    high = partitioned[:, above]",
        "after mx.partition only the k-th place is sorted: its neighbour is not the next order statistic",
    ),
    Mutant(
        "padded-lookup-without-negative-half",
        "mlx_ddim/shared.py",
        "padded",
        "np.concatenate([values, np.full(1, np.nan, np.float32), values])",
        "np.concatenate([values, np.full(1, np.nan, np.float32)])",
        "alphas_cumprod padded with a NaN but not repeated: a negative timestep, which torch counts back from the"
        " end, reads one row late (past the NaN), and one before -size a real value",
    ),
    Mutant(
        "device-lookup-clamped-in-range",
        "mlx_ddim/shared.py",
        "index_padded",
        "        return padded_values[mx.clip(index, -size - 1, size)]",
        "        return padded_values[mx.clip(index, -size, size - 1)]",
        "an mx.array timestep clamped into the valid range as its bounds check: a stray one silently steps at an end",
    ),
    Mutant(
        "direction-ignores-eta",
        PORT,
        "DDIMScheduler.step",
        "mx.sqrt(1 - alpha_prod_t_prev - mx.square(std_dev_t))",
        "mx.sqrt(1 - alpha_prod_t_prev - variance)",
        "the direction term of formula (12) with the variance of formula (16) where sigma_t**2 = eta**2 * variance:"
        " right only for eta = 1",
    ),
    Mutant(
        "step-count-set-once",
        PORT,
        "DDIMScheduler.set_timesteps",
        "        self.num_inference_steps = num_inference_steps\n",
        "        if self.num_inference_steps is None:\n            self.num_inference_steps = num_inference_steps\n",
        "set_timesteps guarded against re-initialising: a new step count keeps the old ratio in step's prev_timestep",
    ),
    Mutant(
        "clip-bounds-not-cast",
        "mlx_ddim/torch_scalars.py",
        "clamp",
        "    return mx.clip(x, mx.array(low, mx.float32).astype(x.dtype), mx.array(high, mx.float32).astype(x.dtype))",
        "    return mx.clip(x, mx.array(low, mx.float32), mx.array(high, mx.float32))",
        "float32 clip bounds promote a half-precision x_0 to float32",
    ),
    Mutant(
        "clip-drops-nan",
        "mlx_ddim/torch_scalars.py",
        "clamp",
        "    return mx.clip(x, mx.array(low, mx.float32).astype(x.dtype), mx.array(high, mx.float32).astype(x.dtype))",
        "    low, high = mx.array(low, mx.float32).astype(x.dtype), mx.array(high, mx.float32).astype(x.dtype)\n"
        "    return mx.where(x > low, mx.minimum(x, high), low)",
        "clamp rewritten as a select with the comparison written the NaN-unsafe way: a NaN x_0 becomes the lower bound",
    ),
]
