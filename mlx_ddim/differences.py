"""Every deliberate difference from diffusers 0.42.1, with its reason: the one table.

README's "Differences from diffusers" is this table, rendered by `python -m mlx_ddim.differences` (the gate fails
when the two disagree), and the parity gate's API-surface check accepts a difference between the port and the
reference only where an entry here names it under `surface` (the keys are those of `parity/surface.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DIFFERENCES", "Difference", "markdown", "surface_reasons"]


@dataclass(frozen=True)
class Difference:
    topic: str
    diffusers: str
    port: str
    why: str
    surface: tuple[str, ...] = ()  # the API-surface gaps this entry accounts for


SCHEDULERS = ("DDIMScheduler", "DDPMScheduler", "FlowMatchEulerDiscreteScheduler")
KARRAS_SCHEDULERS = ("DDIMScheduler", "DDPMScheduler")  # those whose `_compatibles` are the 15 Karras schedulers


def _for_each_class(*suffixes: str, schedulers: tuple[str, ...] = SCHEDULERS) -> tuple[str, ...]:
    """The API-surface keys of a gap that every scheduler of the package (or of `schedulers`) has."""
    return tuple(f"{scheduler}{suffix}" for scheduler in schedulers for suffix in suffixes)


DIFFERENCES = (
    Difference(
        "Random noise",
        "`generator` is a `torch.Generator`.",
        "`generator` is an MLX PRNG key (`mx.random.key(seed)`); noise drawn from it matches diffusers' in "
        "distribution, not in value. `variance_noise` gives both the same values.",
        "MLX has no torch generator, and its random bits differ from torch's.",
    ),
    Difference(
        "DDPM's `variance_noise`",
        "`DDPMScheduler.step(model_output, timestep, sample, generator=None, return_dict=True)` draws its noise.",
        "`step` also takes `variance_noise=None` (last, so positional calls are unchanged): the unit-normal noise "
        "of step 6, of the split model output's shape, used instead of drawing (as DDIM's `step` allows).",
        "MLX keys cannot reproduce torch's draws; with it a caller (and the parity gate) feeds both schedulers the "
        "same noise, and replays a denoising loop exactly.",
        ("DDPMScheduler.step",),
    ),
    Difference(
        "Flow matching's `variance_noise`",
        "`FlowMatchEulerDiscreteScheduler.step(..., generator=None, per_token_timesteps=None, return_dict=True)` "
        "draws the noise of `stochastic_sampling` (float32, of the sample's shape).",
        "`step` also takes `variance_noise=None` (last, so positional calls are unchanged): that unit-normal noise, "
        "of the sample's shape (upcast to float32 as the reference draws it), used instead of drawing.",
        "As DDPM's: MLX keys cannot reproduce torch's draws, and with it both schedulers get the same noise.",
        ("FlowMatchEulerDiscreteScheduler.step",),
    ),
    Difference(
        "Flow matching's integer timesteps",
        "`FlowMatchEulerDiscreteScheduler.step` refuses a Python `int` (or `bool`), an `IntTensor` and a "
        "`LongTensor` (integer indices, e.g. from `enumerate`); a numpy integer, or an integer tensor of another "
        "width, passes and is matched against the schedule as a float.",
        "The same `ValueError` for every integer: Python and numpy integers, and integer numpy arrays and "
        "`mx.array`s of any width. Float timesteps of any dtype are matched as in diffusers.",
        "The check means to refuse indices; which integer types slip past it is an accident of torch's legacy "
        "tensor types, and MLX has none of them.",
    ),
    Difference(
        "Flow matching where diffusers crashes",
        "`FlowMatchEulerDiscreteScheduler`: `num_train_timesteps=0`, and `shift_terminal` or Karras, exponential or "
        "beta sigmas on an empty schedule, fail on `[-1]` of an empty array (`IndexError`); `set_timesteps()` "
        "without `num_inference_steps`, `sigmas` or `timesteps` on `len(None)` (`TypeError`); `step` or "
        "`index_for_timestep` at a timestep not in the schedule on an empty `nonzero()`, and `step` after the last "
        "sigma, are `IndexError`s; `scale_noise` with a Python-number timestep is an `AttributeError` (`.to`), "
        "with a 0-d one a `TypeError` (an `IndexError` once a begin index is set), with `noise=None` a "
        "`TypeError`; custom `sigmas` or `timesteps` in a bfloat16 tensor are a `TypeError` (numpy has no "
        "bfloat16).",
        "The same exception classes, each with a message that names the problem; a bfloat16 `mx.array` of sigmas "
        "or timesteps is upcast (exactly). Other invalid inputs (negative or float step counts) raise numpy's own "
        "errors, as in diffusers, and zero steps give an empty schedule, as in diffusers.",
        "Code that catches the reference's exceptions still catches them, and the message says what went wrong.",
    ),
    Difference(
        "The hub",
        "`from_pretrained`/`load_config` download from the Hugging Face hub; `push_to_hub` and "
        "`save_config(push_to_hub=True)` upload.",
        "Local folders and files only: anything else is a `FileNotFoundError` (an `OSError`, as diffusers raises) "
        "saying so; the hub's keyword arguments are accepted and ignored; `push_to_hub=True` is a `ValueError`; "
        "there is no `push_to_hub` method.",
        "A scheduler config is one small JSON file (`huggingface-cli download` fetches it); the port depends on "
        "mlx and numpy alone and never reaches the network.",
        _for_each_class(".push_to_hub", "._upload_folder"),
    ),
    Difference(
        "Devices",
        "`set_timesteps(n, device)` moves `timesteps` to a torch device; flow matching's `scale_noise` has an MPS "
        "branch.",
        "`device` is accepted and ignored; there is no MPS branch.",
        "MLX arrays live in unified memory; the default device runs them.",
    ),
    Difference(
        "Invalid arguments",
        "DDIM and DDPM: zero, negative or non-integer `num_inference_steps` divide by zero or yield an empty or "
        "float schedule; `num_train_timesteps < 1` fails later; dynamic thresholding of a 2-D sample is a "
        "`TypeError` inside torch. DDPM: `set_timesteps()` with neither argument and a learned `variance_type` "
        "without a doubled-channel model output are `TypeError`s; empty custom timesteps an `IndexError`; float "
        "custom timesteps are truncated; an unknown `variance_type` silently acts as `fixed_small`.",
        "Each is a `ValueError` that names the problem (a `variance_type` of `None`, which DPMSolver configs hold, "
        "is accepted and acts as `fixed_small`, as in diffusers).",
        "Where the reference crashes or misbehaves, the user gets a clear error instead.",
    ),
    Difference(
        "Out-of-range timesteps",
        "Indexing `alphas_cumprod` past its end is an `IndexError` from torch.",
        "The same `IndexError` for host timesteps. `step` never reads an `mx.array` timestep back to the host: when "
        "the schedule itself holds an out-of-range timestep (1000 steps with `steps_offset=1`) it checks once, to "
        "raise; a stray out-of-range array timestep gives NaN outputs rather than a wrong number.",
        "MLX does not bounds-check indexing, and a check per step would synchronise the denoising loop.",
    ),
    Difference(
        "DDPM timesteps outside the schedule",
        "Once a schedule is set, `step` and `previous_timestep` at a timestep not in it raise an `IndexError` "
        "from an empty `nonzero()`.",
        "The same `IndexError` for a host timestep, with a message that names it. At an `mx.array` timestep not in "
        "the schedule, `previous_timestep` returns `num_train_timesteps` (past the end of `alphas_cumprod`) and "
        "`step` gives a NaN `prev_sample`.",
        "`step` never reads an `mx.array` timestep back (see the row above): it finds the timestep in the "
        "schedule on the device.",
    ),
    Difference(
        "Square roots",
        "torch 2.13's float32 `sqrt` on x86-64 is one ULP off on about 20% of inputs.",
        "Correctly rounded square roots: quantities behind a square root can differ by a few ULP (within the "
        "gate's tolerance policy).",
        "Reproducing a rounding error of one torch build would tie the port to it.",
    ),
    Difference(
        "Compatible schedulers",
        "`compatibles` returns the torch classes named in `_compatibles` (DDIM's and DDPM's 15, in arbitrary order).",
        "`_compatibles` holds the same 15 names; `compatibles` returns this package's classes of those names "
        "(today `DDIMScheduler` and `DDPMScheduler`), in `_compatibles` order.",
        "The compatible classes diffusers returns are torch schedulers; the port can only offer its own.",
        _for_each_class(".config[compatibles]", schedulers=KARRAS_SCHEDULERS),
    ),
    Difference(
        "Other classes' config keys",
        "Loading a config whose `_class_name` is any diffusers class drops that class's own keys silently.",
        "Only the keys of the compatible schedulers are dropped silently (recorded from diffusers, checked by the "
        "gate); keys of any other class are dropped with diffusers' warning.",
        "The port cannot import the torch classes to read their signatures; the warning is only a log line.",
    ),
    Difference(
        "Frozen config",
        "`scheduler.config` is a `FrozenDict` whose freeze check never fires (it tests an unmangled name): item "
        "and attribute assignment, `popitem` and `clear` change it, and the scheduler silently ignores the change.",
        "Those raise `TypeError` saying to use `from_config(config, key=value)`; `del`, `pop`, `update` and "
        "`setdefault` raise diffusers' own `Exception`.",
        "A change that the scheduler's arrays do not follow is a silent no-op; a clear error is better.",
        _for_each_class(
            ".config[config[key] = value]",
            ".config[config.key = value]",
            ".config[config.popitem]",
            ".config[config.clear]",
        ),
    ),
    Difference(
        "Torch pytrees",
        "Each `BaseOutput` subclass registers itself as a torch pytree node (`__init_subclass__`).",
        "No registration.",
        "There is no torch here; MLX's tree utilities take the output as the dict it is.",
        _for_each_class("Output.__init_subclass__"),
    ),
    Difference(
        "Logging and writes",
        "Config warnings go to the logger `diffusers.configuration_utils`, flow matching's `timesteps`-without-"
        "`sigmas` warning to `diffusers.schedulers.scheduling_flow_match_euler_discrete`; `to_json_file` writes in "
        "place.",
        "They go to the logger `mlx_ddim`; `to_json_file` (and so `save_config`) writes through a temporary file.",
        "The port's own logger can be silenced on its own; an interrupted save leaves the previous file whole.",
    ),
)


def surface_reasons() -> dict[str, str]:
    """API-surface key -> the topic of the entry that accounts for it."""
    reasons = {}
    for difference in DIFFERENCES:
        for key in difference.surface:
            reasons[key] = difference.topic
    return reasons


def markdown() -> str:
    """The table as README prints it."""
    lines = ["| topic | diffusers | mlx_ddim | why |", "| --- | --- | --- | --- |"]
    lines += [f"| {d.topic} | {d.diffusers} | {d.port} | {d.why} |" for d in DIFFERENCES]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
