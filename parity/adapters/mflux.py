"""mflux's own schedulers, judged through the harness: two adapters (worked examples of parity/adapter.py for ports
built from their pipeline's config object and stepped by loop index), the rows only they can express, and the
report `make conformance-mflux` writes (README "mflux's schedulers, verified").

mflux 0.24.0 (parity/requirements-mflux.txt, installed without its dependencies: its scheduler modules and `Config`
import with mlx, numpy, tqdm and platformdirs) ships `FlowMatchEulerDiscreteScheduler` and `LinearScheduler`
(`mflux.models.common.schedulers`). Each is built from mflux's `Config` (width, height, num_inference_steps and a
`ModelConfig`, whose sigma fields say how the schedule is shifted), exposes `sigmas` and `timesteps`, and steps by
loop index, `step(noise, timestep_index, latents)`. How mflux's models build and step them (mflux 0.24.0's source):

- `Config.scheduler` builds the scheduler its `scheduler=` names ("linear" unless the model says otherwise) from the
  Config, then calls `set_image_seq_len((height // 16) * (width // 16))` when the scheduler has it and the model
  config `requires_sigma_shift`: FlowMatchEulerDiscreteScheduler's FLUX.2 path (`get_timesteps_and_sigmas`, FLUX.2's
  empirical mu). FLUX.2 klein takes it, and so does Z-Image (models/z_image/variants/z_image.py: a model with
  guidance gets "flow_match_euler_discrete").
- FIBO's edit model then calls `set_mu(_compute_linear_mu(image_seq_len))` (models/fibo/variants/edit/fibo_edit.py:
  the set_mu path); FIBO's text-to-image model keeps the schedule the Config built (`requires_sigma_shift` False):
  timesteps linear from 1000 to 1, the exponential time shift at mu = 1, the terminal stretch to 0.02.
- LinearScheduler: sigmas linspace(1, 1/n, n); when `requires_sigma_shift`, the exponential time shift with mu
  linear in width * height / 256 between the ModelConfig's bounds, then the stretch to `sigma_shift_terminal` if it
  has one. FLUX.1-dev (and schnell, unshifted), Qwen-Image, Z-Image-Turbo take it; Krea 2 takes its subclass
  Krea2FlowScheduler (registered as "euler" and "er_sde") and steps with Krea2Sampler's steppers.
- Every model's loop: `for t in config.time_steps: latents = config.scheduler.step(noise=noise, timestep=t,
  latents=latents)`, t the loop index.

The reference is diffusers' FlowMatchEulerDiscreteScheduler from the model's own scheduler_config.json (REFERENCES:
the flow-matching entry's SHIPPED, each with its public source, or, for a model SHIPPED lacks, a public copy named
here), set as the model's diffusers pipeline sets it: the set_timesteps arguments of the entry's SCHEDULES
(pipelines.py, checked against diffusers 0.42.1's pipelines), and the two calls it has no need of written here
(PIPELINES: Krea 2's, and mflux's Config-built default in diffusers' terms). Each row judges a whole schedule (sigmas,
and timesteps where mflux's are diffusers' kind) or a whole loop in float32 or bfloat16 (mflux's default), both sides
fed the same model outputs and each step started from the reference's latents; a loop row gives the worst step of the
loop. The flow-matching entry's tolerance policy is exact, so a row that fails says by how many ULP, where and why.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from parity.adapter import Adapted, Unsupported
from parity.compare import ParityError
from parity.conformance import API, BLOCKED, CRASH, FAIL, Feature
from parity.entries.flow_match.pipelines import SCHEDULES, calculate_shift
from parity.entries.flow_match.shipped import SHIPPED

__all__ = [
    "MFLUX_VERSION",
    "PIPELINES",
    "REFERENCES",
    "ROWS",
    "FlowMatchAdapter",
    "LinearAdapter",
    "MfluxAdapted",
    "main",
    "run_mflux_case",
]

MFLUX_VERSION = "0.24.0"
ENTRY = "flow_match"
FLOW_MATCH = "mflux.models.common.schedulers:FlowMatchEulerDiscreteScheduler"
LINEAR = "mflux.models.common.schedulers:LinearScheduler"


# ----------------------------------------------------------------------------------- the diffusers side: configs


@dataclass(frozen=True)
class Reference:
    """A model's diffusers side: its scheduler_config.json, the diffusers pipeline call that sets it (a key of
    PIPELINES) and that pipeline's own config beyond the scheduler's. The config is the flow-matching entry's
    `SHIPPED[shipped]` (its public source in its shipped/SOURCES.md) or, for a model SHIPPED lacks, `config`, its
    source here."""

    name: str
    pipeline: str
    shipped: str = ""
    config: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    options: dict[str, Any] = field(default_factory=dict)

    def scheduler_config(self) -> dict[str, Any]:
        return dict(SHIPPED[self.shipped] if self.shipped else self.config)


_KREA2_SOURCE = (
    "mflux-community/mflux#465 (the PR that fixed mflux's Krea 2 schedule) names "
    "https://huggingface.co/krea/Krea-2-Raw/blob/main/scheduler/scheduler_config.json and quotes these values; "
    "diffusers 0.42.1's Krea2Pipeline docstring (pipelines/krea2/pipeline_krea2.py, its `scheduler` argument) "
    "states the same for Krea 2's scheduler config. Keys neither states keep diffusers' defaults."
)
_KREA2 = {
    "use_dynamic_shifting": True,
    "time_shift_type": "exponential",
    "base_shift": 0.5,
    "max_shift": 1.15,
    "base_image_seq_len": 256,
    "max_image_seq_len": 6400,
}

REFERENCES: dict[str, Reference] = {
    "FLUX.1-dev": Reference("black-forest-labs/FLUX.1-dev", "flux", "flux1-dev"),
    "FLUX.1-schnell": Reference("black-forest-labs/FLUX.1-schnell", "flux", "flux1-schnell"),
    # mflux's qwen-image model is Qwen/Qwen-Image-2512; SHIPPED's is Qwen/Qwen-Image's
    "Qwen-Image": Reference("Qwen/Qwen-Image", "qwen", "qwen-image"),
    "Krea-2-Raw": Reference("krea/Krea-2-Raw", "krea2", config=_KREA2, source=_KREA2_SOURCE),
    "Krea-2-Turbo": Reference(
        "krea/Krea-2-Turbo",
        "krea2",
        config=_KREA2,
        source=_KREA2_SOURCE + " Its pipeline flag is_distilled: diffusers' Krea2Pipeline docstring ('the few-step "
        "distilled (TDM/turbo) checkpoint uses a fixed timestep-shift mu=1.15', registered to the pipeline's config)",
        options={"is_distilled": True},
    ),
    "Z-Image": Reference(
        "Tongyi-MAI/Z-Image",
        "z_image",
        config={"_class_name": "FlowMatchEulerDiscreteScheduler", "use_dynamic_shifting": False, "shift": 6.0},
        source="a public engineering note quoting the file fetched from "
        "https://huggingface.co/Tongyi-MAI/Z-Image/blob/main/scheduler/scheduler_config.json (search index); another "
        "public note quotes it with _diffusers_version 0.37.0.dev0 and num_train_timesteps 1000 (the default)",
    ),
    "Z-Image-Turbo": Reference("Tongyi-MAI/Z-Image-Turbo", "z_image", "z-image-turbo"),
    "FLUX.2-klein-4B": Reference(
        "black-forest-labs/FLUX.2-klein-4B",
        "flux2",
        config={"num_train_timesteps": 1000, "use_dynamic_shifting": True, "time_shift_type": "exponential"},
        source="a public audit note on https://huggingface.co/black-forest-labs/FLUX.2-klein-4B/blob/main/scheduler/"
        "scheduler_config.json (search index): FlowMatchEulerDiscreteScheduler 'with dynamic shifting enabled, 1000 "
        "training timesteps, exponential shift type, and no Karras, beta, or exponential-sigma alternative'; keys it "
        "does not state keep diffusers' defaults. Not SHIPPED's flux2-dev: mflux 0.24.0 runs its FLUX.2 path with "
        "its FLUX.2 klein models only (flux2-klein-4b, -9b and their base and kv variants; no FLUX.2-dev), so the "
        "config is klein's own. The two differ in `shift` alone (klein's 1.0, the default; FLUX.2-dev's 3.0), which "
        "diffusers does not read under dynamic shifting: the rows' schedules are the same from either",
    ),
    # mflux's own paths in diffusers' terms: no model file, the values are mflux's (its source, named in each)
    "set_mu": Reference(
        "FluxPipeline's call, dynamic shifting at diffusers' defaults",
        "flux",
        config={"use_dynamic_shifting": True},
        source="mflux's set_mu takes mu from _compute_linear_mu, calculate_shift at its defaults (256, 4096, 0.5, "
        "1.15), and shifts linspace(1, 1/n, n) exponentially: FluxPipeline's call on a scheduler with dynamic shifting",
    ),
    "Config-built default": Reference(
        "set_timesteps(n, mu=1.0), dynamic shifting, shift_terminal 0.02",
        "steps_mu1",
        config={"use_dynamic_shifting": True, "shift_terminal": 0.02},
        source="mflux's FlowMatchEulerDiscreteScheduler.__init__ (shift_terminal = 0.02, _time_shift_exponential(1.0,"
        " ...) over timesteps linear from 1000 to 1): diffusers' num_inference_steps path with mu = 1 and that stretch",
    ),
}


# -------------------------------------------------------------------------------- the diffusers side: pipelines


# Mirrors diffusers 0.42.1 pipelines/krea2/pipeline_krea2.py Krea2Pipeline.__call__, step 5 (prepare_latents: each
# latent side // vae_scale_factor 8, packed into patch_size 2 squares)
def krea2(config: dict, height: int, width: int, steps: int, is_distilled: bool = False) -> dict[str, Any]:
    sigmas = np.linspace(1.0, 1 / steps, steps)
    if is_distilled:
        return {"sigmas": sigmas, "mu": 1.15}
    mu = calculate_shift(
        (height // 8 // 2) * (width // 8 // 2),
        config.get("base_image_seq_len", 256),
        config.get("max_image_seq_len", 6400),
        config.get("base_shift", 0.5),
        config.get("max_shift", 1.15),
    )
    return {"sigmas": sigmas, "mu": mu}


def steps_mu1(config: dict, height: int, width: int, steps: int) -> dict[str, Any]:
    """mflux's Config-built default in diffusers' terms (no pipeline's call): set_timesteps(num_inference_steps=n,
    mu=1.0)."""
    return {"num_inference_steps": steps, "mu": 1.0}


# The set_timesteps arguments a Reference's `pipeline` names: diffusers 0.42.1's pipelines as the flow-matching entry
# mirrors them (pipelines.py: flux, flux2, z_image, qwen...), and the two calls it has no need of
PIPELINES = {**SCHEDULES, "krea2": krea2, "steps_mu1": steps_mu1}


# ------------------------------------------------------------------------------------------------- mflux's side


def _mflux_file(relative: str, name: str) -> Any:
    """A class of an mflux module loaded from its file, without its package's __init__ (Krea 2's imports its model,
    which needs transformers; the scheduler and sampler modules need only mlx)."""
    import mflux

    path = Path(mflux.__file__).parent / relative
    module_name = "parity_mflux_" + path.stem
    module = sys.modules.get(module_name)
    if module is None:
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return getattr(module, name)


def mflux_scheduler_name(cls: type, registered: str) -> str:
    """What a model passes as `scheduler=` for `cls`: mflux's registry name for its own class, else the dotted path
    mflux imports a scheduler of one's own from (Config's `try_import_external_scheduler`)."""
    from mflux.models.common.schedulers import SCHEDULER_REGISTRY

    return registered if SCHEDULER_REGISTRY.get(registered) is cls else f"{cls.__module__}.{cls.__qualname__}"


def _model_config(requires_sigma_shift: bool, **sigma: Any) -> Any:
    """A ModelConfig of one's own (as a user configures a model for mflux): only its sigma fields matter here."""
    from mflux.models.common.config.model_config import ModelConfig

    return ModelConfig(priority=0, aliases=[], model_name="parity", base_model=None, controlnet_model=None,
                       custom_transformer_model=None, num_train_steps=1000, max_sequence_length=None,
                       supports_guidance=None, requires_sigma_shift=requires_sigma_shift, **sigma)  # fmt: skip


class MfluxAdapted(Adapted):
    """An mflux scheduler as the engine calls it. mflux builds the schedule with the scheduler, from its Config: the
    port exists once a schedule is set (`pipeline` for mflux's own calls, `set_timesteps` for the diffusers calls
    that mflux's API can express); `timestep(i)` is the loop index mflux's models step with."""

    def __init__(self, port_class: type, config: dict[str, Any], reference_defaults: Any, kind: str) -> None:
        super().__init__(None, reference_defaults)
        self.port_class, self.config, self.kind = port_class, config, kind
        self.stepper = None  # Krea 2 steps with Krea2Sampler's stepper, not the scheduler's step
        self.pass_sigmas = False  # FLUX.2 klein passes sigmas=config.scheduler.sigmas to step

    # ---- mflux's own calls

    def pipeline(self, path: str, model: str, height: int, width: int, steps: int, seed: int = 0) -> None:
        """Build the scheduler as mflux's model `model` (a key of mflux's AVAILABLE_MODELS) does on `path`."""
        from mflux.models.common.config.config import Config
        from mflux.models.common.config.model_config import AVAILABLE_MODELS
        from mflux.models.common.schedulers import FlowMatchEulerDiscreteScheduler, register_contrib

        model_config = AVAILABLE_MODELS[model]
        if path == "krea2":  # models/krea2: Krea2FlowScheduler registered as "euler", Krea2Sampler's Euler stepper
            from mflux.models.common.schedulers import LinearScheduler

            cls = self.port_class
            if cls is LinearScheduler:
                cls = _mflux_file("models/krea2/model/krea2_scheduler/krea2_flow_scheduler.py", "Krea2FlowScheduler")
                register_contrib(cls, "euler")
            config = Config(model_config=model_config, num_inference_steps=steps, height=height, width=width,
                            scheduler=mflux_scheduler_name(cls, "euler"))  # fmt: skip
            self.instance = config.scheduler
            sampler = _mflux_file("models/krea2/model/krea2_sampler.py", "Krea2Sampler")
            self.stepper = sampler.make_stepper("euler", self.instance.sigmas, seed)
            return
        registered = "linear" if path == "linear" else "flow_match_euler_discrete"
        config = Config(model_config=model_config, num_inference_steps=steps, height=height, width=width,
                        scheduler=mflux_scheduler_name(self.port_class, registered))  # fmt: skip
        self.instance = config.scheduler  # Config.scheduler calls set_image_seq_len where the model says so
        self.pass_sigmas = path == "flux2" and model.startswith("flux2")
        if path == "set_mu":  # models/fibo/variants/edit/fibo_edit.py, lines 67-69
            if hasattr(self.instance, "set_mu"):
                self.instance.set_mu(FlowMatchEulerDiscreteScheduler._compute_linear_mu(config.image_seq_len))

    # ---- diffusers' calls, where mflux's API can express them

    def set_timesteps(self, num_inference_steps: int | None = None, **kwargs: Any) -> None:
        """A diffusers call mflux can make: FluxPipeline's (sigmas linspace(1, 1/n, n) and mu, under exponential
        dynamic shifting: FlowMatchEulerDiscreteScheduler's set_mu; LinearScheduler with mu as both of its
        ModelConfig's shift bounds), an unshifted linspace (LinearScheduler without requires_sigma_shift), and
        FlowMatchEulerDiscreteScheduler's Config-built schedule (n steps, mu 1, shift_terminal 0.02)."""
        from mflux.models.common.config.config import Config

        sigmas, mu = kwargs.pop("sigmas", None), kwargs.pop("mu", None)
        if kwargs:
            raise Unsupported(f"set_timesteps({', '.join(kwargs)}=...)", "mflux builds its schedule from its Config")
        c = self.config
        dynamic = c["use_dynamic_shifting"] and c["time_shift_type"] == "exponential"
        if sigmas is not None:
            n = len(sigmas)
            if num_inference_steps not in (None, n) or not np.array_equal(
                np.asarray(sigmas, np.float64), np.linspace(1.0, 1 / n, n)
            ):
                raise Unsupported("set_timesteps(sigmas=...)", "mflux's sigmas are linspace(1, 1/n, n)")
        elif num_inference_steps is not None:
            n = num_inference_steps
        else:
            raise Unsupported("set_timesteps()", "mflux needs a step count")
        terminal = c["shift_terminal"]
        if self.kind == "flow_match":
            if not dynamic or mu is None:
                raise Unsupported("set_timesteps without exponential dynamic shifting", "mflux shifts by mu")
            if sigmas is None and (mu != 1.0 or terminal != 0.02):
                raise Unsupported("set_timesteps(num_inference_steps=...)", "mflux's own: mu 1, shift_terminal 0.02")
            if sigmas is not None and terminal:
                raise Unsupported("constructor parameter shift_terminal", "set_mu has no terminal stretch")
            config = Config(model_config=_model_config(False), num_inference_steps=n,
                            scheduler=self._name("flow_match_euler_discrete"))  # fmt: skip
            self.instance = config.scheduler
            if sigmas is not None:
                self.instance.set_mu(float(mu))
            return
        if sigmas is None:
            raise Unsupported(
                "set_timesteps(num_inference_steps=...)", "LinearScheduler's sigmas are linspace(1, 1/n, n)"
            )
        if dynamic and mu is not None:  # mu as both bounds: the seq-length line is flat at mu
            model = _model_config(True, sigma_base_shift=float(mu), sigma_max_shift=float(mu),
                                  sigma_shift_terminal=terminal)  # fmt: skip
        elif not c["use_dynamic_shifting"] and c["shift"] == 1.0 and not terminal:
            model = _model_config(False)
        else:
            raise Unsupported("constructor parameter shift", "LinearScheduler's shift is mu's, from its ModelConfig")
        self.instance = Config(model_config=model, num_inference_steps=n, scheduler=self._name("linear")).scheduler

    def _name(self, registered: str) -> str:
        return mflux_scheduler_name(self.port_class, registered)

    def step(self, model_output: Any, timestep: Any, sample: Any, **kwargs: Any) -> tuple:
        if kwargs:
            raise Unsupported(f"step({', '.join(kwargs)}=...)", "mflux steps deterministically by loop index")
        if self.instance is None:
            raise Unsupported("step before a schedule", "mflux builds its schedule from its Config")
        if not isinstance(timestep, (int, np.integer)):
            raise Unsupported("step(timestep=<a diffusers timestep>)", "mflux steps by loop index")
        index = int(timestep)
        if self.stepper is not None:  # models/krea2/variants/txt2img/krea2.py's loop
            sigmas = self.instance.sigmas
            return (self.stepper.step(index, sample, model_output, sample - sigmas[index] * model_output),)
        if self.pass_sigmas:  # models/flux2/variants/txt2img/flux2_klein.py's loop
            return (
                self.instance.step(noise=model_output, timestep=index, latents=sample, sigmas=self.instance.sigmas),
            )
        return (self.instance.step(noise=model_output, timestep=index, latents=sample),)

    def timestep(self, index: int, kind: str) -> Any:
        if kind != "element":
            raise Unsupported(f"step(timestep=<{kind}>)", "mflux steps by loop index")
        return index

    def attribute(self, name: str) -> Any:
        if self.instance is None:
            raise Unsupported(name, "mflux builds its schedule from its Config: there is none before set_timesteps")
        if name == "sigmas" or (name == "timesteps" and self.kind == "flow_match"):
            return getattr(self.instance, name)
        raise Unsupported(name, f"mflux's {type(self.instance).__name__} exposes sigmas"
                          + (" and timesteps" if self.kind == "flow_match" else " (its timesteps are loop indices)"))  # fmt: skip

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        raise Unsupported(name, f"mflux's {self.port_class.__name__} has no {name}")


class _Adapter:
    """The factory parity.port makes: `factory(port_class, reference_defaults)`."""

    kind = ""
    capabilities: frozenset[str] = frozenset()

    def __init__(self, port_class: type, reference_defaults: Any) -> None:
        self.port_class, self.reference_defaults = port_class, reference_defaults
        self.runners = {"mflux": run_mflux_case}

    def build(self, config: dict[str, Any]) -> MfluxAdapted:
        """The port for a reference config: what mflux cannot hold (a training-step count other than 1000, inverted,
        Karras, exponential or beta sigmas, stochastic sampling) blocks the build; the rest waits for the schedule."""
        full = {**self.reference_defaults["__init__"], **config}
        for key, value in full.items():
            if key in ("num_train_timesteps",) and value != 1000:
                raise Unsupported(f"constructor parameter {key}", "mflux trains on 1000 timesteps")
            if key in ("invert_sigmas", "stochastic_sampling", "use_karras_sigmas", "use_exponential_sigmas",
                       "use_beta_sigmas") and value:  # fmt: skip
                raise Unsupported(f"constructor parameter {key}", "mflux's schedulers have no such option")
            if key == "time_shift_type" and value != "exponential":
                raise Unsupported(f"constructor parameter {key}", "mflux's time shift is the exponential one")
        return MfluxAdapted(self.port_class, full, self.reference_defaults, self.kind)

    def load(self, config: dict[str, Any]) -> MfluxAdapted:
        keywords = self.reference_defaults["__init__"]
        return self.build({key: value for key, value in config.items() if key in keywords})

    def pipeline(self, case: dict[str, Any]) -> MfluxAdapted:
        """The port as mflux's model builds it for a row of ROWS."""
        adapted = MfluxAdapted(self.port_class, dict(self.reference_defaults["__init__"]), self.reference_defaults,
                               self.kind)  # fmt: skip
        adapted.pipeline(case["path"], case["model"], case["height"], case["width"], case["steps"], case["seed"])
        return adapted

    def features(self) -> list[Feature]:
        return [feature for feature in ROWS if feature.cases[0]["scheduler"] == self.kind]


class FlowMatchAdapter(_Adapter):
    """`PORT=mflux.models.common.schedulers:FlowMatchEulerDiscreteScheduler ADAPTER=parity.adapters.mflux:FlowMatchAdapter
    PARITY_ENTRY=flow_match`."""

    kind = "flow_match"
    capabilities = frozenset({"set_timesteps", "step", "sigmas", "timesteps"})


class LinearAdapter(_Adapter):
    """`PORT=mflux.models.common.schedulers:LinearScheduler ADAPTER=parity.adapters.mflux:LinearAdapter
    PARITY_ENTRY=flow_match`."""

    kind = "linear"
    capabilities = frozenset({"set_timesteps", "step", "sigmas"})


# ------------------------------------------------------------------------------------------------------ the rows


def run_mflux_case(case: dict[str, Any], replay: str) -> None:
    """One row: the reference from the model's scheduler_config.json, set as its diffusers pipeline sets it; the
    port as mflux's model builds it (through the active adapter's `pipeline`); then the whole schedule, or a whole
    loop, judged by the flow-matching entry's judge and policy."""
    from parity import port
    from parity.entries.common.judge import port_arrays
    from parity.entries.flow_match import judge, reference

    model = REFERENCES[case["reference"]]
    torch_side = reference.TorchFlowMatchScheduler.from_config(model.scheduler_config())
    config = dict(torch_side.config)
    args = PIPELINES[model.pipeline](config, case["height"], case["width"], case["steps"], **model.options)
    torch_side.set_timesteps(**args)
    adapted = port.adapter().pipeline(case)
    if case["what"] == "schedule":
        exposed = adapted.exposed(judge.SCHEDULE_ARRAYS)
        judge.judge_schedule(
            config, args,
            reference_arrays={name: reference.to_numpy(getattr(torch_side, name)) for name in exposed},
            **port_arrays(exposed), set_shift=None, case=case, replay=replay,
        )  # fmt: skip
        return
    _judge_loop(torch_side, adapted, config, case, replay)


_RANK = ("ulp", "eps_of_scale")  # a loop's worst step: the most ULP, then the largest error over its scale


def _judge_loop(torch_side: Any, adapted: MfluxAdapted, config: dict, case: dict, replay: str) -> None:
    """Every step of the loop, the same model outputs on both sides, each step from the reference's latents (so a
    row measures each step with its own sigmas, not the drift a free-running loop adds up from them): the row fails
    with its worst step (most ULP, then the largest error over its scale), naming how many steps are off and the
    largest error over a step's scale among them (the judge's scale: |sample| + (|sigma| + |sigma_next|)
    |model_output|), which the report grades."""
    from parity import port
    from parity.entries.common.judge import port_output
    from parity.entries.flow_match import judge, reference

    dtype, shape = case["dtype"], tuple(case["shape"])
    rng = np.random.default_rng(case["seed"])
    start = rng.standard_normal(shape).astype(np.float32)
    ours = reference.to_torch(start, dtype)
    sigmas = reference.to_numpy(torch_side.sigmas)
    failures = []
    steps = len(torch_side.timesteps)
    for index, t in enumerate(torch_side.timesteps):
        output = rng.standard_normal(shape).astype(np.float32)
        model_output = reference.to_torch(output, dtype)
        got_reference = torch_side.step(model_output, t, ours, return_dict=False)[0]
        theirs = port.to_mlx(reference.to_numpy(ours), dtype)  # exact: the reference's latents, in the dtype
        got_port = adapted.step(port.to_mlx(output, dtype), adapted.timestep(index, "element"), theirs)[0]
        try:
            judge.judge_step(
                config, sigmas[index], sigmas[index + 1],
                inputs=(reference.to_numpy(ours), reference.to_numpy(model_output), None), per_token=None,
                reference_output=reference.to_numpy(got_reference), **port_output(got_port),
                dtype=reference.dtype_name(got_reference), case={**case, "step": index}, replay=replay,
            )  # fmt: skip
        except ParityError as failure:
            failures.append((index, failure))
        ours = got_reference
    if not failures:
        return
    index, worst = max(failures, key=lambda f: (not f[1].numbers, *(f[1].numbers.get(k, 0) for k in _RANK)))
    # a step that failed without a measure of its error (NaN moved, another dtype) leaves the loop unmeasured
    largest = max(f.numbers.get("eps_of_scale", math.inf) for _, f in failures)
    numbers = {key: value for key, value in worst.numbers.items() if key != "eps_of_scale"}
    if numbers and math.isfinite(largest):
        numbers["eps_of_scale"] = largest
    measured = f" (largest error {largest:.3g} {dtype} eps of a step's scale)" if math.isfinite(largest) else ""
    raise ParityError(
        f"{len(failures)} of {steps} steps out of tolerance{measured}, the worst at step {index}: {worst}",
        quantity=worst.quantity,
        numbers={**numbers, "step": index} if numbers else {},
    )


def _rows() -> list[Feature]:
    """The rows: each mflux path and model, a resolution and step count its model runs at, its whole schedule and
    whole loops in float32 and bfloat16 (mflux's default dtype)."""
    plan = [
        # (scheduler, path, family, mflux model, reference, settings, loop dtypes)
        ("flow_match", "flux2", "FLUX.2 path", "flux2-klein-4b", "FLUX.2-klein-4B",
         [(1024, 1024, 4), (768, 1360, 28), (1440, 1440, 50)], ("float32", "bfloat16")),
        ("flow_match", "flux2", "FLUX.2 path", "z-image", "Z-Image", [(1024, 1024, 50)], ("float32",)),
        ("flow_match", "set_mu", "set_mu path", "fibo-edit", "set_mu", [(1024, 1024, 28), (768, 512, 50)],
         ("float32", "bfloat16")),
        ("flow_match", "default", "Config-built default path", "fibo", "Config-built default",
         [(1024, 1024, 28), (1024, 1024, 50), (1024, 1024, 1)], ("float32", "bfloat16")),
        ("linear", "linear", "linear sigmas", "dev", "FLUX.1-dev", [(1024, 1024, 28), (768, 1360, 25)],
         ("float32", "bfloat16")),
        ("linear", "linear", "linear sigmas", "schnell", "FLUX.1-schnell", [(1024, 1024, 4)], ("float32",)),
        ("linear", "linear", "linear sigmas", "qwen-image", "Qwen-Image", [(1328, 1328, 50), (1024, 1024, 30)],
         ("float32", "bfloat16")),
        ("linear", "krea2", "Krea 2 (Krea2FlowScheduler, Euler stepper)", "krea-2-raw", "Krea-2-Raw",
         [(1024, 1024, 28)], ("float32",)),
        ("linear", "krea2", "Krea 2 (Krea2FlowScheduler, Euler stepper)", "krea-2", "Krea-2-Turbo",
         [(1024, 1024, 8)], ("float32",)),
        ("linear", "linear", "linear sigmas", "z-image-turbo", "Z-Image-Turbo", [(1024, 1024, 9)], ("float32",)),
    ]  # fmt: skip
    rows = []
    for scheduler, path, family, model, reference_name, settings, dtypes in plan:
        for height, width, steps in settings:
            base = {"check": "mflux", "scheduler": scheduler, "path": path, "model": model,
                    "reference": reference_name, "height": height, "width": width, "steps": steps, "seed": 7}  # fmt: skip
            label = f"{model} vs {reference_name}, {height}x{width}, {steps} steps"
            arrays = "sigmas, timesteps" if scheduler == "flow_match" else "sigmas"
            rows.append(Feature(f"mflux {family}", f"{label}: {arrays}", ({**base, "what": "schedule"},),
                                ("sigmas",), topic=f"schedule (mflux {family})"))  # fmt: skip
            for dtype in dtypes if steps > 1 else ():  # diffusers' 1-step schedule here is NaN: no loop to run
                loop = {**base, "what": "loop", "dtype": dtype, "shape": [1, 16, 8]}
                rows.append(Feature(f"mflux {family}", f"{label}: a whole loop, {dtype}", (loop,), ("step",),
                                    topic=f"step (mflux {family})"))  # fmt: skip
    return rows


ROWS = _rows()


# ----------------------------------------------------------------------------------------------------- the report

PORTS = {
    "mflux FlowMatchEulerDiscreteScheduler": (FLOW_MATCH, "parity.adapters.mflux:FlowMatchAdapter"),
    "mflux LinearScheduler": (LINEAR, "parity.adapters.mflux:LinearAdapter"),
}


def harness_failures(rows: list) -> list:
    """Rows that say the harness failed, not mflux: a crash anywhere but the API surface (an adapter raised), and an
    adapter row (mflux's own) that is blocked or graded API (its numbers were masked)."""
    own = {f"{feature.family}/{feature.name}" for feature in ROWS}
    bad = []
    for row in rows:
        if row.kind == "api":
            continue
        if row.status == FAIL and row.severity == CRASH:
            bad.append(row)
        elif f"{row.family}/{row.feature}" in own and (row.status == BLOCKED or row.severity == API):
            bad.append(row)
    return bad


def report(reports: Path, ports: dict[str, tuple[str, str]] | None = None) -> tuple[dict, list]:
    """Each port's conformance rows (the flow-matching entry's and its adapter's own), written as
    conformance-mflux.md, .json and .xml (JUnit) under `reports`; returns the sections and the harness failures."""
    from parity import conformance, port
    from parity.entries import using

    sections, texts, bad = {}, [], []
    saved = {key: os.environ.get(key) for key in (port.ENVIRONMENT, port.ADAPTER_ENVIRONMENT, "PARITY_ENTRY")}
    try:
        for name, (spec, adapter) in (ports or PORTS).items():
            os.environ.update({port.ENVIRONMENT: spec, port.ADAPTER_ENVIRONMENT: adapter, "PARITY_ENTRY": ENTRY})
            with using(ENTRY) as entry:
                rows = conformance.report_rows()
                texts.append(conformance.markdown(rows, spec, entry.REFERENCE).replace(
                    "## Conformance of", f"## {name}: conformance of", 1))  # fmt: skip
                sections[name] = {"port": spec, "adapter": adapter, "reference": entry.REFERENCE,
                                  "rows": [{"id": r.id, **asdict(r)} for r in rows]}  # fmt: skip
                bad += harness_failures(rows)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    head = [
        f"# mflux {MFLUX_VERSION}'s schedulers: conformance",
        "",
        "mflux's FlowMatchEulerDiscreteScheduler and LinearScheduler, each through its adapter "
        "(parity/adapters/mflux.py), against diffusers' FlowMatchEulerDiscreteScheduler: first mflux's own paths, "
        "each model's schedule and whole loops held against its scheduler_config.json as its diffusers pipeline "
        "sets it; then each scheduler's whole report, the flow-matching entry's rows included (most blocked: "
        "mflux's API reaches few of diffusers' calls). The policy is exact: a row fails on any difference, graded "
        f"rounding-level (within {conformance.ROUNDING_LEVEL} ULP, or every error within "
        f"{conformance.ROUNDING_LEVEL} eps of its computation's scale) or wrong (beyond both, or NaN where the other "
        "has none); a loop row gives its worst step (most ULP) and the largest error over a step's scale among its "
        "failing steps. Each failing row has the line that replays it.",
        "",
        "## mflux's own paths",
        "",
        "| scheduler | row | status | how far (worst element) | replay |",
        "| --- | --- | --- | --- | --- |",
    ]
    own = {f"{feature.family}/{feature.name}" for feature in ROWS}
    for name, section in sections.items():
        for row in conformance.section_rows(section):
            if f"{row.family}/{row.feature}" in own:
                how = conformance._far(row) if row.numbers else row.detail
                if "step" in row.numbers:
                    over = " (the largest of the loop's failing steps)" if "eps_of_scale" in row.numbers else ""
                    how += f"{over}; values and ULP at step {row.numbers['step']}"
                status = f"{row.status} ({row.severity})" if row.severity else row.status
                head.append(f"| {name.removeprefix('mflux ')} | {row.family.removeprefix('mflux ')}: {row.feature} | "
                            f"{status} | {conformance._cell(how, 400)} | {conformance._code(row.replay)} |")  # fmt: skip
    conformance._write(reports / "conformance-mflux.md", "\n".join(head) + "\n\n" + "\n".join(texts) + "\n")
    conformance._write(reports / "conformance-mflux.json", json.dumps(sections, indent=2, default=str) + "\n")
    conformance._write(reports / "conformance-mflux.xml", conformance.junit(sections))
    return sections, bad


def main(argv: list[str] | None = None) -> int:
    """`make conformance-mflux`: 0 when the report is written, 1 when the harness itself failed (a crash, an mflux
    row masked by an API reason); mflux's differences are findings, never the exit status."""
    parser = argparse.ArgumentParser(prog="python -m parity.adapters.mflux", description=main.__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, default=Path("reports"))
    arguments = parser.parse_args(argv)
    try:
        sections, bad = report(arguments.reports)
    except Exception as error:  # the harness broke: no report
        print(f"conformance-mflux: the harness failed: {type(error).__name__}: {error}", file=sys.stderr)
        raise
    from parity.conformance import section_rows, summary

    for name, section in sections.items():
        print(f"## {name}\n\n" + "\n".join(summary(section_rows(section))) + "\n")
    print(f"written: {arguments.reports / 'conformance-mflux.md'}, .json, .xml")
    for row in bad:
        print(f"harness failure: {row.entry}/{row.family}/{row.feature}: {row.status} {row.severity}: {row.detail}",
              file=sys.stderr)  # fmt: skip
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
