"""Typed environment helpers (12-factor settings). A bad value fails loudly, naming the variable."""

from __future__ import annotations

import os
import re
import secrets
from datetime import date
from pathlib import Path


class SettingError(RuntimeError):
    """A configuration variable has a value we cannot use."""


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingError(f"{name}: expected a boolean (true/false), got {value!r}")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise SettingError(f"{name}: expected an integer, got {value!r}") from exc
    if minimum is not None and number < minimum:
        raise SettingError(f"{name}: expected an integer of at least {minimum}, got {value!r}")
    return number


_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1024**2, "mb": 1024**2}
_SIZE_UNITS |= {"mib": 1024**2, "g": 1024**3, "gb": 1024**3, "gib": 1024**3}


def env_bytes(name: str, default: int, minimum: int | None = None) -> int:
    """A size in bytes: ``10485760``, ``10MB``, ``10 MiB``, ``512kB`` (k, M, G are powers of 1024)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    match = re.fullmatch(r"\s*(\d+)\s*([A-Za-z]*)\s*", value)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _SIZE_UNITS:
        raise SettingError(
            f"{name}: expected a size in bytes (e.g. 10485760 or 10MB), got {value!r}"
        )
    number = int(match.group(1)) * _SIZE_UNITS[unit]
    if minimum is not None and number < minimum:
        raise SettingError(f"{name}: expected a size of at least {minimum} bytes, got {value!r}")
    return number


def env_date(name: str) -> date | None:
    """A date (YYYY-MM-DD) from the environment, or None when unset."""
    value = os.environ.get(name)
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise SettingError(f"{name}: expected a date (YYYY-MM-DD), got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def var_dir() -> Path:
    """The folder for the embedded database, secret key, media and collected static files."""
    path = Path(env_str("BOSETTING_VAR_DIR") or Path.cwd() / "var").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(var: Path) -> str:
    """SECRET_KEY from the environment, else a generated one kept in ``var/secret_key``."""
    from_env = env_str("SECRET_KEY")
    if from_env:
        return from_env
    key_file = var / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def env_optional_bool(name: str) -> bool | None:
    """A boolean from the environment, or None when unset (the caller decides what unset means)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return None
    return env_bool(name, False)
