# Sourced by scripts/demo and scripts/test: a virtual environment in .venv with the
# project installed (editable) and its dev tools. Re-runs are quick: pip skips what is there.
set -euo pipefail
PYTHON=${PYTHON:-python3}
"$PYTHON" - <<'PY' || { echo "aktiva needs Python 3.11 or newer (set PYTHON=...)" >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(cat pyproject.toml | cksum | cut -d' ' -f1)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
