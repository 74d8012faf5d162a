"""What the DDPM-family entries' fixtures (DDIM's, DDPM's) share: the schedule part of a recording, the tolerance
entries a manifest names, a promoted fixture's name, and the judging of a replayed schedule. Each entry's
`fixtures` module says what else its fixtures hold (the trajectory, its noise) and how a port replays them.

Importing this module never imports torch: recording (`recorded_schedule`) imports it when called.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import numpy as np

from parity.tolerances import tolerance

from .judge import Schedule, port_arrays

__all__ = [
    "promoted_name",
    "recorded_schedule",
    "recorded_step",
    "replay_context",
    "replay_schedule",
    "replayed_schedules",
    "tolerances",
]


def recorded_schedule(scheduler, config: dict[str, Any], names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The schedule part of a fixture, from the reference `scheduler` (built from `config`, its schedule set): the
    arrays `names` (a 0-dim value among them: final_alpha_cumprod, one), its timesteps, and under zero-SNR rescaling
    the betas before the rescale (the same config built without it)."""
    from .torch_arrays import to_numpy

    arrays = {name: to_numpy(getattr(scheduler, name)) for name in names}
    arrays["timesteps"] = to_numpy(scheduler.timesteps)
    if scheduler.config.rescale_betas_zero_snr:
        plain = type(scheduler).from_config(dict(config), rescale_betas_zero_snr=False)
        arrays["betas_before_rescale"] = to_numpy(plain.betas)
    return arrays


def tolerances(spec: dict[str, Any], schedule_quantity: str) -> dict[str, Any]:
    """The policy entries that judge a fixture of `spec`, as its manifest names them: its schedule's
    (`schedule_quantity`), the step's and the noise's."""
    zero_snr = spec["config"].get("rescale_betas_zero_snr", False)
    keys = [schedule_quantity, "step", "noise_zero_snr" if zero_snr else "noise"]
    return {key: asdict(tolerance(key, "float32" if key.startswith("schedule") else spec["dtype"])) for key in keys}


def promoted_name(case: dict[str, Any]) -> str:
    """The name of the fixture a parity failure's replay case (check "step") becomes; another check is refused."""
    if case.get("check") != "step":
        raise SystemExit("promote takes a step case (the JSON of a `python -m parity.replay` line)")
    return "promoted-" + hashlib.sha256(json.dumps(case, sort_keys=True).encode()).hexdigest()[:12]


def replay_schedule(
    exposed: dict[str, Any], arrays: dict[str, np.ndarray], config: dict[str, Any], judge_schedule: Callable, *,
    case: dict[str, Any], replay: str,
) -> int:  # fmt: skip
    """The port's schedule arrays `exposed` (name -> its array: those it has, one it lacks is the API rows' gap)
    judged against a fixture's recorded `arrays` by the entry's `judge_schedule`; returns the number judged."""
    judge_schedule(
        config,
        reference_arrays={name: arrays[name] for name in exposed},
        **port_arrays(exposed),
        betas_before_rescale=arrays.get("betas_before_rescale"),
        case=case,
        replay=replay,
    )
    return len(exposed)


def replayed_schedules(arrays: dict[str, np.ndarray], exposed: dict[str, Any], last: str) -> tuple[Schedule, Schedule]:
    """The schedules a replayed step is judged with: the recorded alphas_cumprod and `last` (final_alpha_cumprod,
    one), and the port's where it exposes both (else the recorded ones again: judged given the port's own schedule
    where it exposes it)."""
    from parity import port

    reference_schedule = Schedule(arrays["alphas_cumprod"], float(np.ravel(arrays[last])[0]))
    if "alphas_cumprod" in exposed and last in exposed:
        return reference_schedule, Schedule(
            port.to_numpy(exposed["alphas_cumprod"]), float(port.to_numpy(exposed[last]))
        )
    return reference_schedule, reference_schedule


def replay_context(manifest: dict[str, Any], name: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    """What a replay of the fixture `name` reads and reports: its spec (the manifest's case), the case a failure
    names and the line that reruns it."""
    spec = manifest["case"]
    return spec, {"fixture": name, "config": spec["config"]}, f"python -m parity.fixtures check --only {name}"


def recorded_step(arrays: dict[str, np.ndarray], position: int, dtype: str) -> tuple[tuple, tuple]:
    """The recorded inputs of a fixture's step at `position` (sample, model_output, noise, rounded to the case's
    dtype), as numpy values and as the port's arrays of `dtype`."""
    from parity import port

    step_inputs = tuple(arrays[k][position] for k in ("sample", "model_output", "noise"))
    return step_inputs, tuple(port.to_mlx(a, dtype) for a in step_inputs)
