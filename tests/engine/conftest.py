"""A real local Ray cluster (2 worker CPUs) for the whole test session, and the check that no Ray
process outlives it.  Ray processes are recognised by an environment mark they inherit from
whoever started them (workers get it through the engine's runtime_env too), so the check never
looks at anybody else's processes."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

MARK = "CHAINATLAS_RAY_TEST_MARK"


def _marked(mark: str) -> list[int]:
    """Live processes (not zombies) of this user whose environment carries ``mark``."""
    found = []
    needle = f"{MARK}={mark}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # gone meanwhile, or not ours
            continue
        if state != "Z":
            found.append(int(entry.name))
    return found


def assert_all_gone(mark: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    left = _marked(mark)
    while left and time.monotonic() < deadline:
        time.sleep(0.5)
        left = _marked(mark)
    for pid in left:  # ours (they carry our mark): do not leave them running, but fail
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"Ray processes left behind: {left}"


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[dict[str, str]]:
    """A real local Ray cluster with 2 worker CPUs for the whole session, shut down at its end."""
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'chainatlas[ray]')")
    if not Path("/proc/self/environ").exists():
        pytest.skip("needs /proc to check that no Ray process is left behind")
    mark = uuid.uuid4().hex
    temp = tempfile.mkdtemp(prefix="ca-ray-", dir="/tmp")  # short: Ray's socket paths must fit 107 bytes
    saved = {k: os.environ.get(k) for k in (MARK, "RAY_USAGE_STATS_ENABLED")}
    os.environ[MARK] = mark
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    try:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, _temp_dir=temp,
                 object_store_memory=200 * 1024 * 1024, logging_level="ERROR")
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    try:
        assert ray.cluster_resources().get("CPU") == 2
        yield {"address": ray.get_runtime_context().gcs_address, "temp": temp, "mark": mark}
    finally:
        ray.shutdown()
        assert_all_gone(mark)
        shutil.rmtree(temp, ignore_errors=True)


