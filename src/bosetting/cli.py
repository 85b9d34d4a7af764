"""The ``bosetting`` command line (Typer). A door: commands call services and engines, hold no rules."""

from __future__ import annotations

import importlib
import pkgutil

import typer

import bosetting.commands

app = typer.Typer(
    name="bosetting",
    help="Bosetting: bosettingsmodellen fra vedtak til bosatt. Run any command with --help.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_commands() -> None:
    for module_info in sorted(
        pkgutil.iter_modules(bosetting.commands.__path__), key=lambda m: m.name
    ):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bosetting.commands.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_commands()


def main() -> None:
    """Entry point of the ``bosetting`` script."""
    app()


if __name__ == "__main__":
    main()
