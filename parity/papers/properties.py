"""The six claims of the DDPM and DDIM papers (and of the two papers diffusers' schedulers also follow) as
executable properties. Each property is a function of a `Side` (parity.papers.sides) that returns its measured
`Figure`s, judged against parity.papers.bounds; `PROPERTIES` holds each one's claim, equation and conditions, the
text of its section in reports/papers.md. The float64 side of every figure is parity.papers.formulas.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import bounds
from . import formulas as eq
from .findings import EPS32, Figure, conditioning, error_in_eps
from .sides import Side

__all__ = ["PROPERTIES", "Property"]

# The timesteps the issue names, and the final step (t = 0), where the chain hands back x_0.
TIMESTEPS = (999, 500, 100, 10, 1, 0)
SHAPE = (2, 4, 16, 16)  # unit-normal inputs of a small latent batch: 2,048 elements per figure
KINDS = ("ddim", "ddpm")


@dataclass(frozen=True)
class Property:
    number: int
    title: str
    claim: str
    equation: str
    conditions: str
    measure: Callable[[Side], list[Figure]]
    needs: tuple[str, ...] = ()  # the scheduler kinds it cannot run without (else: those the side has)


def _unit_normal(seed: int, shape=SHAPE) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def _alphas_cumprod(side: Side, scheduler) -> np.ndarray:
    return side.numpy(scheduler.alphas_cumprod)


# 1. DDIM with eta = 1 over the full schedule is DDPM with fixed_small variance


@dataclass(frozen=True)
class _Condition:
    name: str
    config: dict
    use_clipped_model_output: bool
    agrees: bool  # whether the two steps agree under this condition
    timesteps: tuple[int, ...] = TIMESTEPS


ETA_ONE_CONDITIONS = (
    _Condition("no clipping (clip_sample=False)", {"clip_sample": False}, False, True),
    _Condition("clipping with use_clipped_model_output=True", {"clip_sample": True}, True, True),
    _Condition(
        "clipping without use_clipped_model_output", {"clip_sample": True}, False, False, (999, 500, 100, 10, 1)
    ),
    _Condition(
        "no clipping, set_alpha_to_one=False, final step",
        {"clip_sample": False, "set_alpha_to_one": False},
        False,
        False,
        (0,),
    ),
)


def _eta_one_exact(x, eps, z, abar_t, abar_prev_ddim, abar_prev_ddpm, clip, use_clipped):
    """The float64 DDIM step (eq. 12 with sigma of eq. 16 at eta = 1) and DDPM step (eq. 6, 7 with beta_tilde),
    from the model's eps at x_t, x_0 by eq. 15 (clipped to [-1, 1] where the scheduler clips)."""

    def x0_of(a):
        x0 = eq.x0_from_eps(x, eps, a)
        return np.clip(x0, -1.0, 1.0) if clip else x0

    def ddim(a, a_prev):
        x0 = x0_of(a)
        e = (x - np.sqrt(a) * x0) / np.sqrt(1.0 - a) if use_clipped else eps  # eq. 4 solved for eps
        return eq.ddim_step(x0, e, a_prev, eq.ddim_sigma(a, a_prev, 1.0), z)

    def ddpm(a, a_prev):
        mean, variance = eq.ddpm_posterior(x0_of(a), x, a, a_prev)
        return mean + np.sqrt(variance) * z  # at the final step beta_tilde = 0: no noise

    return ddim, ddpm, (abar_t, abar_prev_ddim), (abar_t, abar_prev_ddpm)


def eta_one_is_ddpm(side: Side) -> list[Figure]:
    figures = []
    for condition in ETA_ONE_CONDITIONS:
        ddim = side.scheduler("ddim", **condition.config)
        ddim.set_timesteps(ddim.config.num_train_timesteps)  # the full training schedule: t, t - 1, ..., 0
        ddpm_config = {k: v for k, v in condition.config.items() if k != "set_alpha_to_one"}
        ddpm = side.scheduler("ddpm", variance_type="fixed_small", **ddpm_config)
        abar = _alphas_cumprod(side, ddim)
        final = 1.0 if condition.config.get("set_alpha_to_one", True) else abar[0]
        for t in condition.timesteps:
            x, eps = _unit_normal(2 * t), _unit_normal(2 * t + 1)
            ddpm_prev, _, z = side.ddpm_step(ddpm, eps, t, x, seed=t)
            ddim_prev, _ = side.ddim_step(
                ddim, eps, t, x, eta=1.0, use_clipped_model_output=condition.use_clipped_model_output,
                variance_noise=z.astype(np.float32),
            )  # fmt: skip
            ddim_f, ddpm_f, ddim_at, ddpm_at = _eta_one_exact(
                x.astype(np.float64), eps.astype(np.float64), z, abar[t], abar[t - 1] if t > 0 else final,
                abar[t - 1] if t > 0 else 1.0, condition.config["clip_sample"], condition.use_clipped_model_output,
            )  # fmt: skip
            scale = conditioning(ddpm_f, *ddpm_at)
            if condition.agrees:
                scale = max(scale, conditioning(ddim_f, *ddim_at))
            where = f"{condition.name}, t={t}"
            difference = float(np.max(np.abs(ddim_prev - ddpm_prev)))
            if condition.agrees:
                figures += [
                    Figure(side.name, f"{where}: float64 eq. 12 - eq. 7", error_in_eps(ddim_f(*ddim_at), ddpm_f(*ddpm_at), scale), bounds.FLOAT64_IDENTITY, "eps*S"),
                    Figure(side.name, f"{where}: DDIM step - eq. 12", error_in_eps(ddim_prev, ddim_f(*ddim_at), scale), bounds.DDIM_STEP, "eps*S"),
                    Figure(side.name, f"{where}: DDPM step - eq. 7", error_in_eps(ddpm_prev, ddpm_f(*ddpm_at), scale), bounds.DDPM_STEP, "eps*S"),
                    Figure(side.name, f"{where}: DDIM step - DDPM step", difference / (EPS32 * scale), bounds.DDIM_STEP + bounds.DDPM_STEP, "eps*S", detail={"absolute": difference, "S": scale}),
                    Figure(side.name, f"{where}: max abs(DDIM step - DDPM step)", difference, None, "absolute"),
                ]  # fmt: skip
            else:
                figures.append(
                    Figure(side.name, f"{where}: max abs(DDIM step - DDPM step) (must differ)", difference / (EPS32 * scale), bounds.DDIM_STEP + bounds.DDPM_STEP, "eps*S", at_least=True, detail={"absolute": difference})
                )  # fmt: skip
    return figures


# 2. DDIM with eta = 0 is deterministic


def eta_zero_is_deterministic(side: Side) -> list[Figure]:
    ddim = side.scheduler("ddim")
    ddim.set_timesteps(50)
    abar = _alphas_cumprod(side, ddim)
    figures = []
    for t in (981, 501, 21, 1):  # the first, a middle, the last but one and the last step of 50 (leading)
        x, eps = _unit_normal(3 * t), _unit_normal(3 * t + 1)
        prev_t = t - ddim.config.num_train_timesteps // ddim.num_inference_steps
        a_prev = abar[prev_t] if prev_t >= 0 else 1.0

        x64, eps64 = x.astype(np.float64), eps.astype(np.float64)

        def exact(a, a_prev, x=x64, eps=eps64):
            x0 = np.clip(eq.x0_from_eps(x, eps, a), -1.0, 1.0)
            return eq.ddim_step(x0, eps, a_prev, eq.ddim_sigma(a, a_prev, 0.0), np.zeros_like(x))

        scale = conditioning(exact, abar[t], a_prev)
        before = side.random_state()
        plain, _ = side.ddim_step(ddim, eps, t, x, eta=0.0)
        unread_global = side.random_state() == before
        generator = side.generator(1)
        before = side.random_state(generator)
        seeded, _ = side.ddim_step(ddim, eps, t, x, eta=0.0, generator=generator)
        unread = side.random_state(generator) == before
        other, _ = side.ddim_step(ddim, eps, t, x, eta=0.0, generator=side.generator(2))
        nan_noise, _ = side.ddim_step(ddim, eps, t, x, eta=0.0, variance_noise=np.full(SHAPE, np.nan, np.float32))
        where = f"t={t}"
        figures += [
            Figure(side.name, f"{where}: step - eq. 12 with sigma_t = 0", error_in_eps(plain, exact(abar[t], a_prev), scale), bounds.DDIM_STEP, "eps*S"),
            Figure(side.name, f"{where}: random state changed by a step without generator", float(not unread_global), 0, "(0: no)"),
            Figure(side.name, f"{where}: generator or global state changed by a step with generator", float(not unread), 0, "(0: no)"),
            Figure(side.name, f"{where}: elements differing between generator seeds 1, 2 and none", float(np.sum((seeded != plain) | (other != plain))), 0, "elements"),
            Figure(side.name, f"{where}: elements differing with NaN variance_noise", float(np.sum(~(nan_noise == plain))), 0, "elements"),
        ]  # fmt: skip
    return figures


# 3. add_noise is the forward process, DDPM eq. 4

MOMENT_DRAWS = 1 << 16  # draws per timestep


def add_noise_is_forward_process(side: Side) -> list[Figure]:
    figures = []
    for kind in side.kinds():
        scheduler = side.scheduler(kind)
        abar = eq.alphas_cumprod(side.numpy(scheduler.betas))  # float64 abar_t from the scheduler's betas
        every = np.arange(len(abar))
        ones, zeros = np.ones((len(abar), 1), np.float32), np.zeros((len(abar), 1), np.float32)
        coefficients = {
            "sqrt(abar_t)": (side.numpy(scheduler.add_noise(side.array(ones), side.array(zeros), side.timesteps(every)))[:, 0], np.sqrt),
            "sqrt(1 - abar_t)": (side.numpy(scheduler.add_noise(side.array(zeros), side.array(ones), side.timesteps(every)))[:, 0], lambda a: np.sqrt(1.0 - a)),
        }  # fmt: skip
        for name, (measured, of) in coefficients.items():
            errors = [error_in_eps(measured[t], of(abar[t]), conditioning(of, abar[t])) for t in every]
            worst = int(np.nanargmax(errors)) if not np.isnan(errors).all() else 0
            figures.append(Figure(side.name, f"{kind}: coefficient {name}, every t, - float64", max(errors), bounds.ADD_NOISE_COEFFICIENT, "eps*S", detail={"worst_t": worst}))  # fmt: skip

        x0_value = 0.5
        chosen = np.array(TIMESTEPS)
        noise = np.random.default_rng(4).standard_normal((len(chosen), MOMENT_DRAWS)).astype(np.float32)
        x0 = np.full(noise.shape, x0_value, np.float32)
        noisy = side.numpy(scheduler.add_noise(side.array(x0), side.array(noise), side.timesteps(chosen)))
        for row, t in enumerate(chosen):
            coefficient, variance = eq.forward_moments(abar[t])
            mean_z = (noisy[row].mean() - coefficient * x0_value) / np.sqrt(variance / MOMENT_DRAWS)
            variance_z = (noisy[row].var(ddof=1) - variance) / (variance * np.sqrt(2.0 / (MOMENT_DRAWS - 1)))
            figures += [
                Figure(side.name, f"{kind}: t={t}, mean of {MOMENT_DRAWS} draws - sqrt(abar_t) x_0", abs(float(mean_z)), bounds.MOMENT_Z, "standard errors"),
                Figure(side.name, f"{kind}: t={t}, variance of {MOMENT_DRAWS} draws - (1 - abar_t)", abs(float(variance_z)), bounds.MOMENT_Z, "standard errors"),
            ]  # fmt: skip
    return figures


# 4. Zero terminal SNR, Lin et al. Algorithm 1

ZERO_SNR_SCHEDULES = (
    {"beta_schedule": "linear"},  # the DDPM paper's
    {"beta_schedule": "scaled_linear", "beta_start": 0.00085, "beta_end": 0.012},  # Stable Diffusion's
)


def zero_terminal_snr(side: Side) -> list[Figure]:
    figures = []
    for kind in side.kinds():
        for schedule in ZERO_SNR_SCHEDULES:
            plain = side.scheduler(kind, **schedule)
            rescaled = side.scheduler(kind, rescale_betas_zero_snr=True, **schedule)
            betas = side.numpy(plain.betas)
            root = np.sqrt(_alphas_cumprod(side, rescaled))
            exact_root = np.sqrt(eq.alphas_cumprod(eq.zero_terminal_snr(betas)))
            first = np.sqrt(eq.alphas_cumprod(betas)[0])
            where = f"{kind}, {schedule['beta_schedule']}"
            figures += [
                Figure(side.name, f"{where}: last alphas_cumprod", float(_alphas_cumprod(side, rescaled)[-1]), 0.0, "(exactly 0)"),
                Figure(side.name, f"{where}: first sqrt(alphas_cumprod) - its value before rescaling (float64)", abs(root[0] - first) / EPS32, bounds.ZERO_SNR_FIRST, "eps"),
                Figure(side.name, f"{where}: sqrt(alphas_cumprod), every t, - Algorithm 1 in float64", float(np.max(np.abs(root - exact_root))) / EPS32, bounds.ZERO_SNR_SCHEDULE, "eps"),
            ]  # fmt: skip
    return figures


# 5. v-prediction, Salimans and Ho

V_SCHEDULES = (
    ("v_prediction", {}),
    ("v_prediction, zero SNR", {"rescale_betas_zero_snr": True}),  # abar_999 = 0: x_0 = -v there
)


def v_prediction_is_consistent(side: Side) -> list[Figure]:
    figures = []
    for kind in side.kinds():
        for label, schedule in V_SCHEDULES:
            config = {"prediction_type": "v_prediction", "clip_sample": False, **schedule}
            scheduler = side.scheduler(kind, **config)
            if kind == "ddim":
                scheduler.set_timesteps(scheduler.config.num_train_timesteps)
            abar = _alphas_cumprod(side, scheduler)
            for t in TIMESTEPS:
                x0, eps = _unit_normal(5 * t), _unit_normal(5 * t + 1)
                x0_64, eps_64 = x0.astype(np.float64), eps.astype(np.float64)
                step_t = side.timesteps(np.full(SHAPE[0], t))
                v = side.numpy(scheduler.get_velocity(side.array(x0), side.array(eps), step_t))
                x_t = side.numpy(scheduler.add_noise(side.array(x0), side.array(eps), step_t))
                a_prev = abar[t - 1] if t > 0 else 1.0

                def velocity(a, x0=x0_64, eps=eps_64):
                    return eq.velocity(x0, eps, a)

                if kind == "ddim":
                    prev, x0_pred = side.ddim_step(scheduler, v.astype(np.float32), t, x_t.astype(np.float32), eta=0.0)

                    def prev_exact(a, a_prev, x0=x0_64, eps=eps_64):
                        return eq.ddim_step(x0, eps, a_prev, 0.0, np.zeros_like(x0))

                    prev_what = "DDIM step (eta 0) - eq. 12 from the true x_0, eps"
                else:
                    prev, x0_pred, z = side.ddpm_step(
                        scheduler, v.astype(np.float32), t, x_t.astype(np.float32), seed=t
                    )

                    def prev_exact(a, a_prev, x0=x0_64, eps=eps_64, z=z):
                        mean, variance = eq.ddpm_posterior(x0, eq.forward_sample(x0, eps, a), a, a_prev)
                        return mean + np.sqrt(variance) * z  # beta_tilde = 0 at the final step

                    prev_what = "DDPM step - eq. 7 from the true x_0"
                # x_t and v reach the step rounded to float32: their magnitudes join the scale of what follows
                inputs = float(np.max(np.abs(x_t)) + np.max(np.abs(v)))
                x0_scale = inputs + float(np.max(np.abs(x0_64)))
                where = f"{kind}, {label}, t={t}"
                figures += [
                    Figure(side.name, f"{where}: get_velocity - v (float64)", error_in_eps(v, velocity(abar[t]), conditioning(velocity, abar[t])), bounds.VELOCITY, "eps*S"),
                    Figure(side.name, f"{where}: step's pred_original_sample from v - x_0", error_in_eps(x0_pred, x0_64, x0_scale), bounds.X0_FROM_V, "eps*S"),
                    Figure(side.name, f"{where}: {prev_what}", error_in_eps(prev, prev_exact(abar[t], a_prev), conditioning(prev_exact, abar[t], a_prev) + inputs), bounds.DDIM_STEP if kind == "ddim" else bounds.DDPM_STEP, "eps*S"),
                ]  # fmt: skip
    return figures


# 6. The DDPM paper's defaults

PAPER_DEFAULTS = {
    "num_train_timesteps": eq.DDPM_T,
    "beta_start": eq.DDPM_BETA_START,
    "beta_end": eq.DDPM_BETA_END,
    "beta_schedule": "linear",
}


def paper_defaults(side: Side) -> list[Figure]:
    figures = []
    paper_betas = eq.ddpm_linear_betas()
    for kind in side.kinds():
        cls = side.ddim if kind == "ddim" else side.ddpm
        parameters = inspect.signature(cls.__init__).parameters
        signature = {name: parameters[name].default for name in PAPER_DEFAULTS if name in parameters}
        scheduler = side.scheduler(kind)
        config = {name: scheduler.config.get(name) for name in PAPER_DEFAULTS}
        betas = side.numpy(scheduler.betas).astype(np.float32)
        rounded = paper_betas.astype(np.float32)  # the float64 linspace, correctly rounded to float32
        if betas.shape == rounded.shape:
            ulps = np.abs(betas.view(np.int32).astype(np.int64) - rounded.view(np.int32).astype(np.int64))
        else:  # not T betas: every one counts as wrong
            ulps = np.full(rounded.shape, np.iinfo(np.int32).max, np.int64)
        figures += [
            Figure(side.name, f"{kind}: constructor defaults that are not the paper's", float(sum(signature.get(k, None) != v for k, v in PAPER_DEFAULTS.items())), 0, "of 4", detail={"defaults": signature}),
            Figure(side.name, f"{kind}: config of a default scheduler not the paper's", float(sum(config[k] != v for k, v in PAPER_DEFAULTS.items())), 0, "of 4", detail={"config": config}),
            Figure(side.name, f"{kind}: len(scheduler) - T", float(abs(len(scheduler) - eq.DDPM_T)), 0, ""),
            Figure(side.name, f"{kind}: betas - float64 linspace rounded to float32, worst", float(ulps.max()), bounds.DEFAULT_BETAS_ULP, "ULP", detail={"betas": len(betas), "one_ulp_off": int(np.sum(ulps == 1))}),
        ]  # fmt: skip
    return figures


PROPERTIES = {
    p.number: p
    for p in (
        Property(
            1,
            "DDIM with eta = 1 is DDPM",
            "Over the full training schedule, a DDIM step with eta = 1 is the DDPM step with the `fixed_small` "
            "variance, given the same model output, sample and noise.",
            "DDIM eq. 16 at eta = 1: sigma_t^2 = (1 - abar_{t-1}) / (1 - abar_t) * (1 - abar_t / abar_{t-1}) = "
            "beta_tilde_t (DDPM eq. 7); with it the mean of DDIM eq. 12, sqrt(abar_{t-1}) x_0 + "
            "sqrt(1 - abar_{t-1} - sigma_t^2) eps, is DDPM's mu_tilde(x_t, x_0) (eq. 7) whenever "
            "x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps (eq. 4), since 1 - abar_{t-1} - beta_tilde_t = "
            "alpha_t (1 - abar_{t-1})^2 / (1 - abar_t).",
            "DDIM `set_timesteps(num_train_timesteps)` with `steps_offset=0` (any spacing: the timesteps are "
            "999, ..., 0 and the previous of t is t - 1), DDPM without `set_timesteps` (or with the same "
            "schedule), `variance_type='fixed_small'`, the same prediction type (measured: epsilon), and noise: the reference's DDPM "
            "step draws `torch.randn(shape, generator=g)`, so DDIM gets the same values as `variance_noise`. "
            "The x_0 and eps the step uses must satisfy eq. 4: without clipping they do; with `clip_sample=True` "
            "DDIM needs `use_clipped_model_output=True` (eps re-derived from the clipped x_0, "
            "as DDPM's mean implicitly does), else the steps differ by O(1). The final step (t = 0) agrees only "
            "with `set_alpha_to_one=True` (abar_{-1} = 1, DDPM's `one`): both return the clipped x_0 exactly and "
            "add no noise (DDIM draws it and multiplies it by sigma_0 = 0; DDPM draws none at t = 0); with "
            "`set_alpha_to_one=False` DDIM re-noises to abar_0.",
            eta_one_is_ddpm,
            KINDS,
        ),
        Property(
            2,
            "DDIM with eta = 0 is deterministic",
            "With eta = 0 the DDIM step has sigma_t = 0: it is a function of the model output and the sample "
            "alone, and reads no random state.",
            "DDIM eq. 12 with sigma_t = eta * sqrt(eq. 16) = 0: x_{t-1} = sqrt(abar_{t-1}) x_0 + "
            "sqrt(1 - abar_{t-1}) eps.",
            "Default config, 50 leading steps. Torch: neither the given `torch.Generator`'s state nor the global "
            "RNG state changes. MLX: a key is an immutable value, so what is shown is that the global PRNG state "
            "(`mx.random.state`, which a draw without a key splits) does not change and that the output is "
            "bitwise the same with keys 1, 2 or none; on both sides a NaN `variance_noise` leaves no trace (a "
            "noise term multiplied by sigma_t = 0 would turn the output NaN).",
            eta_zero_is_deterministic,
            ("ddim",),
        ),
        Property(
            3,
            "add_noise is the forward process q(x_t | x_0)",
            "`add_noise(x_0, eps, t)` draws from DDPM's forward process at t: its coefficients are sqrt(abar_t) "
            "and sqrt(1 - abar_t) with abar_t from the betas, and over many draws its mean and variance are eq. 4's.",
            "DDPM eq. 4: q(x_t | x_0) = N(sqrt(abar_t) x_0, (1 - abar_t) I), abar_t = prod_{s<=t} (1 - beta_s).",
            f"Default config, both classes. Coefficients: add_noise of x_0 = 1, eps = 0 (and x_0 = 0, eps = 1) at "
            f"every t, against float64 abar_t computed from the scheduler's float32 betas. Moments: x_0 = 0.5, "
            f"{MOMENT_DRAWS} unit-normal draws per t (numpy, seed 4) for t in {TIMESTEPS}; the sample mean has "
            f"standard error sqrt((1 - abar_t) / n), the sample variance (1 - abar_t) sqrt(2 / (n - 1)); a correct "
            f"forward process is within {bounds.MOMENT_Z} standard errors but with probability 7e-6 per figure.",
            add_noise_is_forward_process,
        ),
        Property(
            4,
            "Zero terminal SNR (Lin et al. Algorithm 1)",
            "`rescale_betas_zero_snr=True` makes the last abar exactly 0 (SNR = abar / (1 - abar) = 0 at t = T) "
            "and keeps the first sqrt(abar).",
            "Lin et al. Algorithm 1: sqrt(abar) <- (sqrt(abar) - sqrt(abar_T)) * sqrt(abar_1) / "
            "(sqrt(abar_1) - sqrt(abar_T)), then back to betas.",
            "Both classes, the DDPM paper's linear betas and Stable Diffusion's scaled_linear (0.00085 to 0.012). "
            "The float64 reference is Algorithm 1 applied to the scheduler's own float32 betas, upcast.",
            zero_terminal_snr,
        ),
        Property(
            5,
            "v-prediction converts consistently",
            "v, eps and x_0 convert into one another: `get_velocity(x_0, eps, t)` is v, a step given that v at "
            "x_t = `add_noise(x_0, eps, t)` predicts x_0 back, and its x_{t-1} is the one the true x_0 and eps give.",
            "Salimans and Ho: v = sqrt(abar_t) eps - sqrt(1 - abar_t) x_0; x_0 = sqrt(abar_t) x_t - "
            "sqrt(1 - abar_t) v; eps = sqrt(1 - abar_t) x_t + sqrt(abar_t) v; then DDIM eq. 12 (eta = 0) or DDPM "
            "eq. 7 (with the step's noise).",
            f"Both classes with `prediction_type='v_prediction'`, `clip_sample=False`, DDIM over the full schedule, "
            f"at t in {TIMESTEPS}; the default linear betas, and the same rescaled to zero terminal SNR (where "
            f"abar_999 = 0 and only v can give x_0).",
            v_prediction_is_consistent,
        ),
        Property(
            6,
            "The DDPM paper's defaults",
            "The constructors' defaults are the DDPM paper's: T = 1000, betas linear from 1e-4 to 0.02.",
            "DDPM section 4: beta_t increasing linearly from beta_1 = 1e-4 to beta_T = 0.02, T = 1000.",
            "Both classes: `__init__`'s signature defaults, the config of a scheduler built without arguments, "
            "`len()`, and its betas against `np.linspace(1e-4, 0.02, 1000)` in float64 rounded to float32.",
            paper_defaults,
        ),
    )
}
