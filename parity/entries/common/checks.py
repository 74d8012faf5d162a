"""Case runners' parts that diffusers' schedulers share: add_noise/get_velocity on both sides, the config round
trip, the step output's mapping protocol, the fixture case, and error parity (which exception each side raises)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from parity import port
from parity.adapter import Adapted, Unsupported
from parity.compare import ParityError, _report, assert_same
from parity.record import Measurement, active

from . import pairs, torch_arrays
from .judge import Schedule, judge_noise, port_arrays, port_output
from .pairs import Pair

__all__ = [
    "as_timestep",
    "check_noise",
    "check_output",
    "check_step_output",
    "compare_exposed",
    "compare_raised",
    "config_round_trip",
    "drawn_noise",
    "noise_route",
    "normalized",
    "reference_or_raised",
    "reference_side",
    "run_config_case",
    "run_fixture",
    "run_fixture_case",
    "run_noise_case",
    "schedule_step_counts",
    "scheduled_index",
    "schedules",
    "shared_invalid_action",
    "step_schedules",
]


def as_timestep(kind: str, scheduler, index: int):
    """The index-th timestep of a port object as a Python int, a numpy integer or an element of its timesteps (the
    gate's own tests; the checks ask the adapter: `Adapted.timestep`)."""
    value = scheduler.timesteps[index]
    if kind == "element":
        return value
    return int(value.item()) if kind == "int" else np.int64(value.item())


def check_noise(
    pair: Pair,
    schedules: tuple[Schedule, Schedule],
    method: str,
    dtype: str,
    a: np.ndarray,
    b: np.ndarray,
    timesteps,
    replay: str,
    timesteps_as: str = "mx.array",
) -> None:
    """add_noise or get_velocity on both sides, the timesteps given to the port as diffusers' API implies (an
    `mx.array` where the reference takes a tensor), or as `timesteps_as="numpy"` (an extension of this project's
    port: its own conformance row)."""
    import mlx.core as mx

    values = np.asarray(timesteps, np.int64)
    ref = getattr(pair.torch, method)(
        torch_arrays.to_torch(a, dtype), torch_arrays.to_torch(b, dtype), torch_arrays.timesteps_tensor(values)
    )
    given = mx.array(values) if timesteps_as == "mx.array" else values
    (port_a, port_b), dtype_inputs = port.to_mlx_and_read_back((a, b), dtype)
    got = pair.adapted.call(method, port_a, port_b, given)
    reference_schedule, port_schedule = schedules
    judge_noise(
        method,
        pair.config,
        reference_schedule=reference_schedule,
        port_schedule=port_schedule,
        inputs=dtype_inputs,
        timesteps=values,
        reference_output=torch_arrays.to_numpy(ref),
        **port_output(got),
        dtype=dtype,
        case=pair.describe(method=method, dtype=dtype, shape=list(a.shape), timesteps=values.tolist()),
        replay=replay,
    )


def compare_exposed(pair: Pair, names: tuple[str, ...], facts: dict) -> None:
    """Each attribute of `names` the port exposes equals the reference's (len() too, where the port has it); one it
    lacks is left to the API rows (the surface check reports it), so a numeric row never waits on it."""
    for name in names:
        try:
            value = pair.adapted.attribute(name)
        except Unsupported:
            continue
        assert_same(name, getattr(pair.torch, name), value, **facts)
    if hasattr(type(pair.adapted.instance), "__len__"):
        assert_same("len", len(pair.torch), len(pair.adapted.instance), **facts)


def normalized(config) -> dict:
    """A config as comparable data: `_use_default_values` is a set in diffusers (its order is arbitrary)."""
    out = {k: (np.asarray(v).tolist() if isinstance(v, np.ndarray) else v) for k, v in dict(config).items()}
    if "_use_default_values" in out:
        out["_use_default_values"] = sorted(out["_use_default_values"])
    return out


def config_round_trip(config: dict, ref_class: type, port_class: type, case: dict, replay: str) -> None:
    """A config through from_config on both sides; then each side saves it (`save_pretrained`): the two files are
    the same, and each side loads the other's as its own."""
    for method in ("from_config", "save_pretrained", "from_pretrained"):
        if not callable(getattr(port_class, method, None)):
            raise Unsupported(method, f"{port_class.__name__} has no {method}: config files are not ported")
    ref, got = ref_class.from_config(dict(config)), port_class.from_config(dict(config))
    facts = {"case": case, "replay": replay}
    assert_same("config from from_config", normalized(ref.config), normalized(got.config), **facts)
    with tempfile.TemporaryDirectory() as folder:
        ref_dir, port_dir = Path(folder) / "reference", Path(folder) / "port"
        ref.save_pretrained(ref_dir)
        got.save_pretrained(port_dir)
        files = [json.loads((d / ref_class.config_name).read_text()) for d in (ref_dir, port_dir)]
        assert_same("saved config file", *files, **facts)
        expected = normalized(ref_class.from_pretrained(ref_dir).config)
        loaded = normalized(ref_class.from_pretrained(port_dir).config)
        assert_same("the port's file, loaded by diffusers", expected, loaded, **facts)
        loaded = normalized(port_class.from_pretrained(ref_dir).config)
        assert_same("diffusers' file, loaded by the port", expected, loaded, **facts)
        assert_same(
            "no temporary file left", ["scheduler_config.json"], sorted(p.name for p in port_dir.iterdir()), **facts
        )


def check_output(
    step: Callable[..., Any], expected_class: str, names: tuple[str, ...], case: dict, replay: str
) -> None:
    """`step`'s output as diffusers' users read it: the output class's name (the reference's, `expected_class`),
    its fields by attribute, by key and by position, equal to what `return_dict=False` returns. `step(**kwargs)`
    runs the port's step on fixed inputs."""
    output = step()
    assert_same("step output class", expected_class, type(output).__name__, case=case, replay=replay)
    numbers = step(return_dict=False)
    for position, name in enumerate(names):
        for how, value in (("attribute", getattr(output, name)), ("key", output[name]), ("position", output[position])):
            assert_same(
                f"step output {name} by {how}",
                port.to_numpy(numbers[position]),
                port.to_numpy(value),
                case=case,
                replay=replay,
            )


def run_fixture(case: dict, replay_fixture: Callable[[dict, dict, str], int]) -> None:
    """A recorded fixture (fixtures/<entry>/<name>) replayed against the port by the entry's `replay_fixture`."""
    from parity import fixtures

    manifest, arrays = fixtures.load(fixtures.entry_folder() / case["fixture"])
    replay_fixture(manifest, arrays, case["fixture"])


def run_fixture_case(case: dict, replay: str) -> None:
    """A recorded fixture (fixtures/<entry>/<name>) replayed against the port by the current entry's
    `fixtures.replay`, torch-free (make fixtures-check): every entry's "fixture" runner."""
    from parity.entries import current

    run_fixture(case, current().fixtures.replay)


def run_config_case(case: dict, replay: str) -> None:
    """A config a real model ships (the current entry's `shipped.SHIPPED[case["shipped"]]`) through from_config
    and save_pretrained, both ways with diffusers (config_round_trip): every entry's "config" runner."""
    from parity.entries import current

    entry = current()
    config = entry.part("shipped").SHIPPED[case["shipped"]]
    config_round_trip(config, entry.reference_class(), port.scheduler_class(), case, replay)


def compare_raised(
    label: str, actions: dict[str, Callable[[], Any]], expected: Callable[[type | None], type], case: dict, replay: str
) -> None:
    """Run `actions["reference"]` and `actions["port"]`; the port must raise `expected(reference's exception type,
    None if it raised nothing)`, with a message. Records the judgement; raises ParityError with both sides'
    outcomes otherwise."""
    raised: dict[str, type | None] = {}
    messages: dict[str, str] = {}
    for side, action in actions.items():
        try:
            action()
            raised[side] = None
        except Unsupported:  # the port cannot be asked: the row is blocked, not judged
            raise
        except Exception as error:  # the types themselves are what is compared
            raised[side], messages[side] = type(error), str(error)
    wanted = expected(raised["reference"])
    ok = raised["port"] is wanted and bool(messages.get("port"))
    active().add(Measurement(f"error: {label}", "exact", ok))
    if not ok:
        raise ParityError(
            _report(
                f"error parity ({label})",
                "the port does not raise the exception the policy expects",
                {k: v for k, v in case.items() if k != "check"},
                replay,
                reference_raised=getattr(raised["reference"], "__name__", None),
                reference_message=messages.get("reference"),
                port_raised=getattr(raised["port"], "__name__", None),
                port_message=messages.get("port"),
                expected=wanted.__name__,
            )
        )


def reference_or_raised(
    label: str, actions: dict[str, Callable[[], Any]], case: dict, replay: str, error: type = IndexError
) -> Any:
    """The result of `actions["reference"]`; where that raises `error`, the port's action must raise it too
    (compare_raised), and None is returned: the case has nothing more to judge."""
    try:
        return actions["reference"]()
    except error:
        compare_raised(label, actions, lambda raised: raised, case, replay)
        return None


def noise_route(pair: Pair, noise_from: str) -> str:
    """How a step's noise reaches the port: `noise_from`, or for "either" `variance_noise` (this project's extension)
    where the port's step takes it, else `generator` (diffusers' API)."""
    if noise_from != "either":
        return noise_from
    return "variance_noise" if pair.adapted.accepts("step", "variance_noise") else "generator"


def drawn_noise(pair: Pair, shape: tuple[int, ...], dtype: str, seed: int) -> tuple[Any, np.ndarray]:
    """(mx.random.key(seed), what the port draws from it for a step on a sample of `shape`), the draw as numpy: the
    adapter says how the port draws (Adapted.noise), and the reference is fed the same values."""
    import mlx.core as mx

    key = mx.random.key(seed)
    return key, port.to_numpy(pair.adapted.noise(tuple(shape), port.MLX_DTYPES[dtype], key))


def reference_side(reference_class: type) -> tuple[Callable, Callable, Callable]:
    """What an invalid-input action (`act(build, to_array, to_timesteps)`) gets on the reference's side: the
    reference built from a config, wrapped as the checks call a port (parity.adapter.Adapted), torch arrays and
    timesteps."""

    def build(config: dict) -> Adapted:
        return Adapted(reference_class(**config), {})

    return build, lambda a: torch_arrays.to_torch(a, "float32"), torch_arrays.timesteps_tensor


def run_invalid(
    case: dict, replay: str, act: Callable, reference_class: type, expected: Callable[[type], type]
) -> None:
    """An invalid input on both sides: `act(build, to_array, to_timesteps)` does it, where `build(config)` gives a
    scheduler as the checks call it (parity.adapter: the reference wrapped as diffusers' API, the port through the
    active adapter); the port must raise what `expected(the reference's exception type)` names (compare_raised)."""
    import mlx.core as mx

    port_side = (port.adapter().build, mx.array, mx.array)
    compare_raised(
        case["invalid"], {"reference": lambda: act(*reference_side(reference_class)), "port": lambda: act(*port_side)},
        expected, case,
        replay,
    )  # fmt: skip


def check_schedule_arrays(pair: Pair, replay: str, names: tuple[str, ...], judge_schedule: Callable, build) -> None:
    """The schedule arrays `names` of both sides judged by the entry's `judge_schedule` (dtype, parity, accuracy
    against float64); under zero-SNR rescaling, with the betas before the rescale (`build(config)` is the entry's
    reference scheduler) for the conditioning."""
    exposed = pair.adapted.exposed(names)
    unscaled = None
    if pair.config.get("rescale_betas_zero_snr", False):
        unscaled = torch_arrays.to_numpy(build({**pair.config, "rescale_betas_zero_snr": False}).betas)
    judge_schedule(
        pair.config,
        reference_arrays={name: torch_arrays.to_numpy(getattr(pair.torch, name)) for name in exposed},
        **port_arrays(exposed),
        betas_before_rescale=unscaled,
        case=pair.describe(),
        replay=replay,
    )


def schedules(pair: Pair, last: str) -> tuple[Schedule, Schedule]:
    """The reference's and the port's alphas_cumprod, each with the value `last` names (DDIM's final_alpha_cumprod,
    DDPM's `one`: what a step to before the first timestep uses), as numpy values (Unsupported where the port
    exposes neither)."""
    exposed = pair.adapted.attribute("alphas_cumprod"), pair.adapted.attribute(last)
    return (
        Schedule(
            torch_arrays.to_numpy(pair.torch.alphas_cumprod), float(torch_arrays.to_numpy(getattr(pair.torch, last)))
        ),
        Schedule(port.to_numpy(exposed[0]), float(port.to_numpy(exposed[1]))),
    )


def step_schedules(pair: Pair, last: str) -> tuple[Schedule, Schedule]:
    """The schedules a step is judged with: both sides' (schedules), or the reference's twice for a port that
    exposes none. A step row needs only `step`: the port's schedule only widens the scale where it differs from the
    reference's (zero-SNR rescaling), and the schedule rows judge it."""
    try:
        return schedules(pair, last)
    except Unsupported:
        reference_schedule = Schedule(
            torch_arrays.to_numpy(pair.torch.alphas_cumprod), float(torch_arrays.to_numpy(getattr(pair.torch, last)))
        )
        return reference_schedule, reference_schedule


def run_noise_case(case: dict, replay: str, pair: Pair, schedules: tuple[Schedule, Schedule]) -> None:
    """A drawn add_noise / get_velocity case on `pair` (built from its config), judged with `schedules`
    (check_noise)."""
    a, b = pairs.inputs(tuple(case["shape"]), case["seed"], count=2)
    kinds = {"timesteps_as": case["timesteps_as"]} if "timesteps_as" in case else {}
    check_noise(pair, schedules, case["method"], case["dtype"], a, b, case["timesteps"], replay, **kinds)


def schedule_step_counts(num_train_timesteps: int) -> list[int]:
    """The step counts a schedule case sets: one, all, a third, a seventh and 50 of `num_train_timesteps`."""
    n = num_train_timesteps
    return sorted({1, n, max(1, n // 3), max(1, n // 7), min(n, 50)})


def shared_invalid_action(case: dict) -> Callable | None:
    """`act(build, array, timesteps)` of an invalid input that the DDPM-family schedulers (DDIM, DDPM) share (see
    run_invalid): an unknown beta schedule (the constructor rejects it) or timestep spacing (set_timesteps does),
    add_noise past the schedule, an invalid step count; None for an invalid input of the entry's own."""
    kind, value, config = case["invalid"], case["value"], dict(case["config"])
    x = np.ones((1, 2, 4, 4), np.float32)

    def act(build, array, timesteps):
        if kind == "beta_schedule":
            return build({**config, kind: value})
        if kind == "timestep_spacing":
            return build({**config, kind: value}).set_timesteps(1)
        if kind == "add_noise_timestep":
            return build(config).call("add_noise", array(x), array(x), timesteps(np.array([value])))
        scheduler = build(config)
        scheduler.set_timesteps(value)  # num_inference_steps
        return scheduler.attribute("timesteps")

    return act if kind in ("beta_schedule", "timestep_spacing", "add_noise_timestep", "num_inference_steps") else None


def check_step_output(pair: Pair, sample, model_output, case: dict, replay: str, **step_kwargs: Any) -> None:
    """`step`'s output (prev_sample, pred_original_sample) at the fourth of ten timesteps, on the port's arrays
    `sample` and `model_output` with `step_kwargs`, as diffusers' users read it (check_output); the expected class
    is the one the reference's step returns on the same inputs."""
    pair.set_timesteps(10)
    t = int(torch_arrays.to_numpy(pair.torch.timesteps)[3])
    torch_inputs = (torch_arrays.to_torch(port.to_numpy(a), "float32") for a in (model_output, sample))
    expected_class = type(pair.torch.step(next(torch_inputs), t, next(torch_inputs))).__name__

    def step(**kwargs):
        return pair.adapted.call("step", model_output, t, sample, **step_kwargs, **kwargs)

    check_output(step, expected_class, ("prev_sample", "pred_original_sample"), case, replay)


def scheduled_index(pair: Pair, step_index: int, past_label: str) -> int | None:
    """A drawn step's index into the schedule (`step_index` modulo its length), or None where its timestep is past
    alphas_cumprod (steps_offset can schedule one): error parity's, recorded as such under `past_label`."""
    index = step_index % len(pair.torch.timesteps)
    size = len(pair.torch.alphas_cumprod)
    t = int(torch_arrays.to_numpy(pair.torch.timesteps)[index])
    if not -size <= t < size:
        active().add(Measurement(past_label, "exact", True))
        return None
    return index
