"""The install path clients/python/README.md gives for Debian, in a fresh
venv and without a network: a venv over Debian's own packages (numpy,
nacl), then pip with no index, no build isolation and no dependencies."""

import os
import shutil
import subprocess
import sys

import pytest

from scoracle_live import HERE, live  # noqa: F401

SYSTEM_PY = "/usr/bin/python3"


@pytest.mark.skipif(not os.path.exists(SYSTEM_PY), reason="no Debian python")
def test_debian_install_in_a_fresh_venv(tmp_path, live):  # noqa: F811
    src = tmp_path / "src"
    shutil.copytree(HERE.parent, src,
                    ignore=shutil.ignore_patterns("tests", "build",
                                                  "*.egg-info",
                                                  "__pycache__"))
    venv = tmp_path / "venv"
    subprocess.run([SYSTEM_PY, "-m", "venv", "--system-site-packages",
                    str(venv)], check=True)
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
               HOME=str(tmp_path), SCORACLE_URL=live.base_url,
               SCORACLE_CONFIG=str(tmp_path / "config.ini"))
    env.pop("PYTHONPATH", None)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--no-index",
                    "--no-build-isolation", "--no-deps", str(src)],
                   check=True, env=env, capture_output=True, timeout=300)
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import scoracle, numpy; c = scoracle.Client(); "
         "print(scoracle.__file__); print(c.healthz()['status'])"],
        check=True, env=env, capture_output=True, text=True, cwd=tmp_path)
    where, status = out.stdout.split()
    assert where.startswith(str(venv)) and status == "ok"
    out = subprocess.run([str(venv / "bin" / "scoracle"), "-f", "json",
                          "info"], env=env, capture_output=True,
                         text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert sys.version_info >= (3, 9)
