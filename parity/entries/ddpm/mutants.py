"""The DDPM mutant catalog: realistic porting bugs of the DDPM port, each anchored to its function and text (the
runner, the anchors and the generic sampling are the engine's: parity/mutants.py), and the DDPM gate's test files
in the order that kills a mutant fastest. Run: `PARITY_ENTRY=ddpm python -m parity.mutants`."""

from __future__ import annotations

from parity.mutants import Mutant

__all__ = ["CATALOG", "GENERIC_SOURCES", "TEST_ORDER"]

PORT = "mlx_ddim/scheduling_ddpm.py"
# Fast, targeted files first, so a mutant dies in seconds; the properties last.
TEST_ORDER = [
    "parity/tests/ddpm/test_schedule.py",
    "parity/tests/test_schedule_arrays.py",
    "parity/tests/ddpm/test_timesteps.py",
    "parity/tests/ddpm/test_errors.py",
    "parity/tests/ddpm/test_step.py",
    "parity/tests/test_noise.py",
    "parity/tests/ddpm/test_generator.py",
    "parity/tests/ddpm/test_config.py",
    "parity/tests/test_surface.py",
    "parity/tests/ddpm/test_trajectory.py",
    "parity/tests/test_fixtures.py",
    "parity/tests/test_properties.py",
]

GENERIC_SOURCES = ("mlx_ddim/scheduling_ddpm.py",)

CATALOG = [
    Mutant(
        "x0-coefficient-without-root",
        PORT,
        "DDPMScheduler.step",
        "pred_original_sample_coeff = (mx.sqrt(alpha_prod_t_prev) * current_beta_t) / beta_prod_t",
        "pred_original_sample_coeff = (alpha_prod_t_prev * current_beta_t) / beta_prod_t",
        "eq. 7's x_0 coefficient with abar_prev where the paper has its square root",
    ),
    Mutant(
        "sample-coefficient-without-root",
        PORT,
        "DDPMScheduler.step",
        "current_sample_coeff = mx.sqrt(current_alpha_t) * beta_prod_t_prev / beta_prod_t",
        "current_sample_coeff = current_alpha_t * beta_prod_t_prev / beta_prod_t",
        "eq. 7's x_t coefficient with alpha_t where the paper has its square root",
    ),
    Mutant(
        "posterior-variance-inverted",
        PORT,
        "DDPMScheduler._get_variance",
        "variance = (1 - alpha_prod_t_prev) / (1 - alpha_prod_t) * current_beta_t",
        "variance = (1 - alpha_prod_t) / (1 - alpha_prod_t_prev) * current_beta_t",
        "beta~_t's ratio of (1 - abar) terms written upside down",
    ),
    Mutant(
        "posterior-variance-unclamped",
        PORT,
        "DDPMScheduler._get_variance",
        "        variance = mx.maximum(variance, 1e-20)\n",
        "",
        "the reference's clamp at 1e-20 dropped as a 'training hack' (the last step's variance is then 0)",
    ),
    Mutant(
        "fixed-small-log-returns-variance",
        PORT,
        "DDPMScheduler._get_variance",
        "            variance = log(variance)\n            variance = exp(0.5 * variance)\n",
        "            variance = variance\n",
        "fixed_small_log read as a variance, while the reference returns exp(log(v) / 2), a standard deviation",
    ),
    Mutant(
        "fixed-large-as-posterior",
        PORT,
        "DDPMScheduler._get_variance",
        "            variance = current_beta_t\n",
        "            variance = variance\n",
        "fixed_large given the posterior variance beta~_t instead of beta_t (DDPM sec. 3.2's two choices mixed up)",
    ),
    Mutant(
        "learned-range-frac-swapped",
        PORT,
        "DDPMScheduler._get_variance",
        "variance = times(frac, max_log) + times(1 - frac, min_log)",
        "variance = times(frac, min_log) + times(1 - frac, max_log)",
        "learned_range's interpolation weights on the wrong logs (v = 1 must mean beta_t)",
    ),
    Mutant(
        "learned-range-exp-without-half",
        PORT,
        "DDPMScheduler.step",
        "variance = mx.exp(0.5 * variance) * variance_noise",
        "variance = mx.exp(variance) * variance_noise",
        "the log variance exponentiated as a log standard deviation",
    ),
    Mutant(
        "learned-halves-swapped",
        PORT,
        "DDPMScheduler.step",
        "model_output, predicted_variance = mx.split(model_output, [sample.shape[1]], axis=1)",
        "predicted_variance, model_output = mx.split(model_output, [sample.shape[1]], axis=1)",
        "the doubled-channel model output split with the variance first",
    ),
    Mutant(
        "noise-at-timestep-zero",
        PORT,
        "DDPMScheduler.step",
        "        if isinstance(t, mx.array) or t > 0:\n",
        "        if True:\n",
        "noise added at the final step too (the reference adds none at t = 0)",
    ),
    Mutant(
        "previous-timestep-always-t-minus-1",
        PORT,
        "DDPMScheduler.previous_timestep",
        "        if self.custom_timesteps or self.num_inference_steps:\n",
        "        if False:\n",
        "the training chain's t - 1 used after set_timesteps too (DDPM's posterior needs the scheduled previous t)",
    ),
    Mutant(
        "custom-timesteps-flag-not-set",
        PORT,
        "DDPMScheduler.set_timesteps",
        "            self.custom_timesteps = True\n",
        "",
        "custom timesteps used but custom_timesteps left False",
    ),
    Mutant(
        "v-prediction-sign",
        PORT,
        "DDPMScheduler.step",
        "pred_original_sample = scale(mx.sqrt(alpha_prod_t), sample) - scale(mx.sqrt(beta_prod_t), model_output)",
        "pred_original_sample = scale(mx.sqrt(alpha_prod_t), sample) + scale(mx.sqrt(beta_prod_t), model_output)",
        "the v-prediction sign flipped (x_0 = sqrt(abar) x_t - sqrt(1 - abar) v)",
    ),
    Mutant(
        "clip-range-ignored",
        PORT,
        "DDPMScheduler.step",
        "pred_original_sample, -self.config.clip_sample_range, self.config.clip_sample_range",
        "pred_original_sample, -1.0, 1.0",
        "clip_sample_range hard-coded to its default (DeepFloyd IF ships 1.5)",
    ),
    Mutant(
        "generator-ignored",
        PORT,
        "DDPMScheduler._variance_noise",
        "dtype=model_output.dtype, key=generator)",
        "dtype=model_output.dtype)",
        "the generator accepted but the global PRNG used",
    ),
    Mutant(
        "sigmoid-without-range",
        "mlx_ddim/shared.py",
        "float32_schedule",
        "betas = sigmoid * np.float32(beta_end - beta_start) + np.float32(beta_start)",
        "betas = sigmoid",
        "GeoDiff's sigmoid betas not scaled into [beta_start, beta_end]",
    ),
]
