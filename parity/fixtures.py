"""Recorded reference runs that a reviewer replays with only mlx, numpy and safetensors installed.

    python -m parity.fixtures record [NAME ...]      record (needs torch and diffusers): make fixtures
    python -m parity.fixtures check [--dir DIR]      replay every fixture against the port: make fixtures-check
    python -m parity.fixtures diff [--against REV]   what re-recording changed, array by array, against git REV
    python -m parity.fixtures promote '<case>'       turn a parity failure's replay case into a fixture

A fixture is a folder `fixtures/<name>/` holding `manifest.json` and `arrays-<sha256 prefix>.safetensors`. The
manifest carries the config, how the inputs were made, the reference's versions, the date, the array file's
sha256 and size, and the tolerance policy entries that judge it. The arrays are the reference's schedule, its
timesteps, a trajectory (every step's inputs and outputs) and add_noise / get_velocity outputs; half-precision
values are stored as float32 (exactly), with the dtype in the manifest.

Writing is atomic and content-addressed: the array file is named by its hash and written (temporary file, then
rename) before the manifest that names it, so an interrupted recording leaves the previous fixture intact, and
re-recording identical data changes no file. The check reports on every fixture even when some are broken.
Only `record` and `promote` import torch; `check` and `diff` must not (tested in test_fixtures.py).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from .compare import ParityError, assert_close, assert_same, ulp_distance
from .judge import Schedule, coefficient_gap, judge_step, zero_snr_conditioning
from .shipped import SD15, SD21, SDXL
from .tolerances import tolerance

__all__ = ["CANONICAL", "FixtureError", "check", "diff", "promote", "record"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
FORMAT = 1
SCHEDULE_ARRAYS = ("betas", "alphas", "alphas_cumprod", "final_alpha_cumprod")
TRAJECTORY_ARRAYS = ("sample", "model_output", "noise", "prev_sample", "pred_original_sample")

_SMALL = [1, 2, 4, 4]


def _spec(config: dict, steps: int, **case: Any) -> dict[str, Any]:
    return {
        "config": config,
        "num_inference_steps": steps,
        "dtype": case.get("dtype", "float32"),
        "eta": case.get("eta", 0.0),
        "use_clipped_model_output": case.get("use_clipped_model_output", False),
        "shape": case.get("shape", [1, 4, 8, 8]),
        "seed": case.get("seed", 0),
    }


# The canonical cases: the configs that real models ship, loaded through from_config, and the rare paths.
CANONICAL: dict[str, dict[str, Any]] = {
    "sd15": _spec(SD15, 50),
    "sd21-v-prediction": _spec(SD21, 50),
    "sdxl": _spec(SDXL, 50),
    "zero-snr-trailing-v": _spec(
        {"rescale_betas_zero_snr": True, "timestep_spacing": "trailing", "prediction_type": "v_prediction"}, 30
    ),
    "pixel-dynamic-thresholding": _spec(
        {"thresholding": True, "sample_max_value": 1.5, "dynamic_thresholding_ratio": 0.95}, 50, shape=[2, 3, 8, 8]
    ),
    "squaredcos-cap-v2": _spec({"beta_schedule": "squaredcos_cap_v2"}, 50),
    "prediction-sample": _spec({"prediction_type": "sample", "clip_sample_range": 2.0}, 25),
    "linspace-spacing": _spec({"timestep_spacing": "linspace", "clip_sample": False}, 25),
    "trained-betas": _spec(
        {"num_train_timesteps": 100, "trained_betas": np.linspace(1e-4, 0.05, 100).round(8).tolist()}, 20
    ),
    "eta-1-variance-noise": _spec({}, 20, eta=1.0, use_clipped_model_output=True),
    "float16-sd15": _spec(SD15, 30, dtype="float16"),
    "bfloat16-zero-snr": _spec(
        {"rescale_betas_zero_snr": True, "timestep_spacing": "trailing", "prediction_type": "v_prediction"},
        30,
        dtype="bfloat16",
    ),
    "steps-1": _spec({}, 1),
    "steps-7": _spec({"steps_offset": 1}, 7),
    "steps-37": _spec({"timestep_spacing": "trailing"}, 37),
    "steps-999": _spec({"clip_sample": False}, 999, shape=_SMALL),
    "steps-1000": _spec({"timestep_spacing": "trailing"}, 1000, shape=_SMALL),
}


class FixtureError(Exception):
    """A fixture that cannot be read: missing, truncated, tampered with or malformed. Names the file."""


# ---------------------------------------------------------------------------------------------------- recording


def _versions() -> dict[str, str]:
    import diffusers
    import mlx.core as mx
    import safetensors
    import torch

    return {
        "diffusers": diffusers.__version__,
        "torch": torch.__version__,
        "numpy": np.__version__,
        "mlx": mx.__version__,
        "safetensors": safetensors.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _reference_arrays(spec: dict[str, Any], step_indices: list[int] | None, inputs_for=None) -> dict[str, np.ndarray]:
    """Run the reference and collect every array of a fixture. Free-running unless `inputs_for` gives a step's
    (sample, model_output, noise)."""
    from . import reference

    dtype = spec["dtype"]
    scheduler = reference.TorchDDIMScheduler.from_config(dict(spec["config"]))
    scheduler.set_timesteps(spec["num_inference_steps"])
    arrays = {name: reference.to_numpy(getattr(scheduler, name)) for name in SCHEDULE_ARRAYS}
    arrays["final_alpha_cumprod"] = arrays["final_alpha_cumprod"].reshape(())
    arrays["timesteps"] = reference.to_numpy(scheduler.timesteps)
    if scheduler.config.rescale_betas_zero_snr:
        plain = reference.TorchDDIMScheduler.from_config(dict(spec["config"]), rescale_betas_zero_snr=False)
        arrays["betas_before_rescale"] = reference.to_numpy(plain.betas)
    rng = np.random.default_rng(spec["seed"])
    shape = tuple(spec["shape"])
    indices = list(range(len(arrays["timesteps"]))) if step_indices is None else step_indices
    trajectory: dict[str, list[np.ndarray]] = {name: [] for name in TRAJECTORY_ARRAYS}
    sample = reference.to_torch(rng.standard_normal(shape).astype(np.float32), dtype)
    for index in indices:
        if inputs_for is not None:
            sample, model_output, noise = (reference.to_torch(a, dtype) for a in inputs_for(index))
        else:
            model_output = reference.to_torch(rng.standard_normal(shape).astype(np.float32), dtype)
            noise = reference.to_torch(rng.standard_normal(shape).astype(np.float32), dtype)
        out = scheduler.step(
            model_output,
            scheduler.timesteps[index],
            sample,
            eta=spec["eta"],
            use_clipped_model_output=spec["use_clipped_model_output"],
            variance_noise=noise,
        )
        for name, value in zip(TRAJECTORY_ARRAYS, (sample, model_output, noise, *out.to_tuple()), strict=True):
            trajectory[name].append(reference.to_numpy(value))
        sample = out.prev_sample  # free-running: the reference's own output is the next input
    arrays.update({name: np.stack(values) for name, values in trajectory.items()})
    arrays["step_indices"] = np.array(indices, np.int64)
    # add_noise and get_velocity at per-sample timesteps spanning the schedule
    n = len(arrays["alphas_cumprod"])
    noise_timesteps = np.array([0, n // 3, n - 1, int(arrays["timesteps"][0]) % n], np.int64)
    original = rng.standard_normal((4, *shape[1:])).astype(np.float32)
    noise = rng.standard_normal((4, *shape[1:])).astype(np.float32)
    original_d, noise_d = reference.to_torch(original, dtype), reference.to_torch(noise, dtype)
    t = reference.timesteps_tensor(noise_timesteps)
    arrays.update(
        noise_original=reference.to_numpy(original_d),
        noise_noise=reference.to_numpy(noise_d),
        noise_timesteps=noise_timesteps,
        add_noise=reference.to_numpy(scheduler.add_noise(original_d, noise_d, t)),
        get_velocity=reference.to_numpy(scheduler.get_velocity(original_d, noise_d, t)),
    )
    return arrays


def _atomic_write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_fixture(folder: Path, spec: dict[str, Any], arrays: dict[str, np.ndarray], source: str) -> str:
    """Write one fixture atomically; returns "recorded", or "unchanged" when identical data was already there."""
    from safetensors.numpy import save

    data = save({name: np.ascontiguousarray(value) for name, value in sorted(arrays.items())})
    digest = hashlib.sha256(data).hexdigest()
    array_file = f"arrays-{digest[:16]}.safetensors"
    manifest_path = folder / "manifest.json"
    if manifest_path.is_file():
        try:
            old = json.loads(manifest_path.read_text(encoding="utf-8"))
            same_case = old.get("case") == _jsonable(spec) and old.get("array_file") == array_file
            if same_case and (folder / array_file).is_file():
                return "unchanged"
        except (OSError, json.JSONDecodeError):
            pass  # a broken fixture is simply re-recorded
    folder.mkdir(parents=True, exist_ok=True)
    _atomic_write(folder / array_file, data)
    manifest = {
        "format": FORMAT,
        "name": folder.name,
        "source": source,
        "case": _jsonable(spec),
        "loaded_with": "DDIMScheduler.from_config(case.config)",
        "inputs": "sample_0, model outputs and variance noise: numpy default_rng(case.seed) standard normals, "
        "rounded to case.dtype; each later sample is the reference's own prev_sample (free-running)"
        if source == "canonical"
        else "the promoted case's inputs (parity.cases.inputs), one step",
        "array_file": array_file,
        "sha256": digest,
        "bytes": len(data),
        "arrays": {name: {"shape": list(v.shape), "dtype": str(v.dtype)} for name, v in sorted(arrays.items())},
        "versions": _versions(),
        "recorded": datetime.date.today().isoformat(),
        "tolerances": _tolerances_for(spec),
    }
    _atomic_write(manifest_path, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    for stale in folder.glob("arrays-*.safetensors"):
        if stale.name != array_file:
            stale.unlink()
    return "recorded"


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=lambda v: v.tolist() if hasattr(v, "tolist") else str(v)))


def _tolerances_for(spec: dict[str, Any]) -> dict[str, Any]:
    zero_snr = spec["config"].get("rescale_betas_zero_snr", False)
    keys = ["schedule_zero_snr" if zero_snr else "schedule", "step", "noise_zero_snr" if zero_snr else "noise"]
    return {key: asdict(tolerance(key, "float32" if key.startswith("schedule") else spec["dtype"])) for key in keys}


def record(names: list[str] | None = None, directory: Path = FIXTURES) -> int:
    for name in names or list(CANONICAL):
        if name not in CANONICAL:
            raise SystemExit(f"unknown fixture {name!r}; known: {', '.join(CANONICAL)}")
        status = _write_fixture(
            directory / name, CANONICAL[name], _reference_arrays(CANONICAL[name], None), "canonical"
        )
        print(f"{status:10} {directory / name}")
    return 0


def promote(case: dict[str, Any], directory: Path = FIXTURES) -> int:
    """Record a parity failure's replay case (check "step") as a fixture, so that bug is checked forever."""
    from .cases import inputs

    if case.get("check") != "step":
        raise SystemExit("promote takes a step case (the JSON of a `python -m parity.replay` line)")
    spec = _spec(
        case["config"],
        case["num_inference_steps"],
        dtype=case["dtype"],
        eta=case["eta"],
        use_clipped_model_output=case["use_clipped_model_output"],
        shape=case["shape"],
        seed=case["seed"],
    )
    from . import reference

    scheduler = reference.TorchDDIMScheduler.from_config(dict(case["config"]))
    scheduler.set_timesteps(case["num_inference_steps"])
    index = case["step_index"] % len(scheduler.timesteps)
    arrays = _reference_arrays(
        spec, [index], inputs_for=lambda _: inputs(tuple(case["shape"]), case["seed"], magnitude=1.5)
    )
    name = "promoted-" + hashlib.sha256(json.dumps(case, sort_keys=True).encode()).hexdigest()[:12]
    status = _write_fixture(directory / name, spec, arrays, "promoted")
    print(f"{status:10} {directory / name}")
    return 0


# ---------------------------------------------------------------------------------------------------- reading


def load(folder: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """A fixture's manifest and arrays, verified; FixtureError (naming the file) if anything is wrong."""
    manifest_path = folder / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FixtureError(f"{manifest_path}: missing") from None
    except (OSError, UnicodeDecodeError) as error:
        raise FixtureError(f"{manifest_path}: unreadable ({error})") from None
    except json.JSONDecodeError as error:
        raise FixtureError(f"{manifest_path}: not valid JSON ({error})") from None
    missing = {"format", "case", "array_file", "sha256", "bytes"} - set(manifest)
    if missing:
        raise FixtureError(f"{manifest_path}: malformed manifest, missing {sorted(missing)}")
    if manifest["format"] != FORMAT:
        raise FixtureError(f"{manifest_path}: format {manifest['format']}, this checker reads format {FORMAT}")
    array_path = folder / manifest["array_file"]
    try:
        data = array_path.read_bytes()
    except FileNotFoundError:
        raise FixtureError(f"{array_path}: missing (named by {manifest_path})") from None
    except OSError as error:
        raise FixtureError(f"{array_path}: unreadable ({error})") from None
    if len(data) != manifest["bytes"]:
        raise FixtureError(
            f"{array_path}: truncated or extended: {len(data)} bytes, the manifest says {manifest['bytes']}"
        )
    digest = hashlib.sha256(data).hexdigest()
    if digest != manifest["sha256"]:
        raise FixtureError(
            f"{array_path}: sha256 mismatch (tampered?): {digest}, the manifest says {manifest['sha256']}"
        )
    return manifest, _arrays(data, array_path)


def _arrays(data: bytes, path: Path | str) -> dict[str, np.ndarray]:
    from safetensors.numpy import load as load_bytes

    try:
        return load_bytes(data)
    except Exception as error:  # safetensors raises its own error types
        raise FixtureError(f"{path}: not a readable safetensors file ({error})") from None


def replay(manifest: dict[str, Any], arrays: dict[str, np.ndarray], name: str) -> int:
    """Judge the port under test (mlx_ddim unless PARITY_PORT names another) against one recorded fixture; raises
    ParityError on a disagreement. Returns the checks made."""
    import mlx.core as mx

    from . import port

    spec = manifest["case"]
    dtype = spec["dtype"]
    replay_line = f"python -m parity.fixtures check --only {name}"
    scheduler = port.scheduler_class().from_config(dict(spec["config"]))
    scheduler.set_timesteps(spec["num_inference_steps"])
    config = dict(scheduler.config)
    case = {"fixture": name, "config": spec["config"]}
    checks = 0
    assert_same("timesteps", arrays["timesteps"], port.to_numpy(scheduler.timesteps), case=case, replay=replay_line)
    zero_snr = config["rescale_betas_zero_snr"]
    scales = dict.fromkeys(SCHEDULE_ARRAYS)
    if zero_snr:
        cumprod_scale, beta_scale = zero_snr_conditioning(arrays["betas_before_rescale"])
        scales.update(
            betas=beta_scale, alphas=beta_scale, alphas_cumprod=cumprod_scale, final_alpha_cumprod=cumprod_scale
        )
    for array_name, scale in scales.items():
        assert_close(
            array_name,
            arrays[array_name],
            port.to_numpy(getattr(scheduler, array_name)).reshape(arrays[array_name].shape),
            dtype="float32",
            tolerance=tolerance("schedule_zero_snr" if zero_snr else "schedule", "float32"),
            scale=scale,
            case=case,
            replay=replay_line,
        )
        checks += 1
    reference_schedule = Schedule(arrays["alphas_cumprod"], float(np.ravel(arrays["final_alpha_cumprod"])[0]))
    port_schedule = Schedule(
        port.to_numpy(scheduler.alphas_cumprod), float(port.to_numpy(scheduler.final_alpha_cumprod))
    )
    names = ("prev_sample", "pred_original_sample")
    for position, index in enumerate(arrays["step_indices"]):
        step_inputs = tuple(arrays[k][position] for k in ("sample", "model_output", "noise"))
        sample, model_output, noise = (port.to_mlx(a, dtype) for a in step_inputs)
        out = scheduler.step(
            model_output,
            scheduler.timesteps[int(index)],
            sample,
            eta=spec["eta"],
            use_clipped_model_output=spec["use_clipped_model_output"],
            variance_noise=noise,
        )
        judge_step(
            config,
            spec["num_inference_steps"],
            int(arrays["timesteps"][index]),
            reference_schedule=reference_schedule,
            port_schedule=port_schedule,
            inputs=step_inputs,
            dtype_inputs=step_inputs,
            reference_outputs=tuple(arrays[n][position] for n in names),
            port_outputs=tuple(port.to_numpy(getattr(out, n)) for n in names),
            port_dtypes=tuple(port.dtype_name(getattr(out, n)) for n in names),
            dtype=dtype,
            eta=spec["eta"],
            use_clipped=spec["use_clipped_model_output"],
            case={**case, "step_index": int(index)},
            replay=replay_line,
        )
        checks += 2
    original, noise = arrays["noise_original"], arrays["noise_noise"]
    timesteps = arrays["noise_timesteps"]
    scale = max(np.abs(original).max(), np.abs(noise).max()) * coefficient_gap(
        reference_schedule, port_schedule, timesteps
    )
    for method in ("add_noise", "get_velocity"):
        got = getattr(scheduler, method)(port.to_mlx(original, dtype), port.to_mlx(noise, dtype), mx.array(timesteps))
        assert_close(
            method,
            arrays[method],
            port.to_numpy(got),
            dtype=dtype,
            port_dtype=port.dtype_name(got),
            tolerance=tolerance("noise_zero_snr" if zero_snr else "noise", dtype),
            scale=scale,
            case=case,
            replay=replay_line,
        )
        checks += 1
    return checks


def check(directory: Path = FIXTURES, only: list[str] | None = None) -> int:
    """Replay every fixture under `directory`; report on each; non-zero exit status if any failed."""
    folders = sorted(p for p in directory.iterdir() if p.is_dir()) if directory.is_dir() else []
    if only:
        folders = [f for f in folders if f.name in only]
    if not folders:
        print(f"no fixtures under {directory}", file=sys.stderr)
        return 1
    failures = 0
    for folder in folders:
        try:
            manifest, arrays = load(folder)
            checks = replay(manifest, arrays, folder.name)
            print(f"ok      {folder.name} ({checks} comparisons)")
        except (FixtureError, ParityError) as error:
            failures += 1
            print(f"FAILED  {folder.name}: {error}")
        except Exception:  # a crash in one fixture must not hide the others
            failures += 1
            print(f"FAILED  {folder.name}: crashed\n{traceback.format_exc()}")
    print(f"\n{len(folders) - failures} passed, {failures} failed")
    return 1 if failures else 0


# ---------------------------------------------------------------------------------------------------- diffing


def _git_bytes(revision: str, path: Path) -> bytes | None:
    relative = path.resolve().relative_to(ROOT).as_posix()
    done = subprocess.run(["git", "show", f"{revision}:{relative}"], cwd=ROOT, capture_output=True)
    return done.stdout if done.returncode == 0 else None


def diff(directory: Path = FIXTURES, against: str = "HEAD") -> int:
    """Per fixture and array: what changed between git `against` and the working tree, and by how much."""
    changed = 0
    for folder in sorted(p for p in directory.iterdir() if p.is_dir()):
        old_manifest = _git_bytes(against, folder / "manifest.json")
        if old_manifest is None:
            print(f"{folder.name}: new (not in {against})")
            continue
        old = json.loads(old_manifest)
        new, new_arrays = load(folder)
        if old["sha256"] == new["sha256"]:
            print(f"{folder.name}: unchanged")
            continue
        changed += 1
        old_arrays = _arrays(_git_bytes(against, folder / old["array_file"]) or b"", f"{against}:{folder.name}")
        versions = {k: (old["versions"].get(k), v) for k, v in new["versions"].items() if old["versions"].get(k) != v}
        print(f"{folder.name}: changed; versions {versions}")
        dtype = new["case"]["dtype"]
        for name in sorted(set(old_arrays) | set(new_arrays)):
            a, b = old_arrays.get(name), new_arrays.get(name)
            if a is None or b is None or a.shape != b.shape:
                print(f"  {name:24} shape {None if a is None else a.shape} -> {None if b is None else b.shape}")
            elif not np.array_equal(a, b, equal_nan=True):
                exact_dtype = dtype if name in TRAJECTORY_ARRAYS or name in ("add_noise", "get_velocity") else "float32"
                differing = int(np.sum(a != b))
                if a.dtype.kind == "f":
                    worst = float(np.nanmax(np.abs(a.astype(np.float64) - b)))
                    ulps = int(np.max(ulp_distance(a, b, exact_dtype)))
                    print(f"  {name:24} {differing} of {a.size} differ; max abs {worst:.3g}; max {ulps} ULP")
                else:
                    print(f"  {name:24} {differing} of {a.size} differ")
    print(f"\n{changed} fixture(s) changed against {against}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m parity.fixtures", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record", help="record fixtures from the torch reference")
    recording.add_argument("names", nargs="*")
    checking = commands.add_parser("check", help="replay every fixture against the port under test (no torch needed)")
    checking.add_argument("--dir", type=Path, default=FIXTURES)
    checking.add_argument("--only", action="append")
    diffing = commands.add_parser("diff", help="what re-recording changed, against a git revision")
    diffing.add_argument("--against", default="HEAD")
    promoting = commands.add_parser("promote", help="record a failing replay case as a fixture")
    promoting.add_argument("case", help="the JSON of a `python -m parity.replay '<case>'` line")
    args = parser.parse_args(argv)
    if args.command == "record":
        return record(args.names)
    if args.command == "check":
        return check(args.dir, args.only)
    if args.command == "diff":
        return diff(against=args.against)
    return promote(json.loads(args.case))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
