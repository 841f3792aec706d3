#!/usr/bin/env python3
"""Render the roles' variables (meta/argument_specs.yml, entry point `main`)
and the app settings (group_vars/all/app.yml) as Markdown tables in README.md.

    scripts/role-docs.py           rewrite the generated part of README.md
    scripts/role-docs.py --check   fail if README.md is out of date, or if a
                                   variable is missing from defaults, specs or
                                   the app settings' types
"""
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- variables:start -->", "<!-- variables:end -->"
ROLE_ORDER = ["app_accounts", "app_source", "app_release", "python_venv", "uwsgi", "gunicorn", "runtime_config",
              "release_hooks", "app_service", "health_check", "nginx_site"]
HOST_WIDE = {"apps", "app_pip_index_url", "app_pip_ca_bundle"}


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def app_settings():
    """The app settings with the comment block above each as its description.
    A setting without a comment of its own shares the one above it."""
    rows, comment, last = [], [], ""
    defaults = yaml.safe_load((ROOT / "group_vars/all/app.yml").read_text())
    for line in (ROOT / "group_vars/all/app.yml").read_text().splitlines():
        if line.startswith("#"):
            comment.append(line[1:].strip())
        elif re.match(r"^apps?_?\w*:", line):
            name = line.split(":", 1)[0]
            shown = yaml.safe_dump(defaults[name], default_flow_style=True, width=1000).strip().removesuffix("...").strip()
            last = " ".join(comment) or last
            key = f"`{name}`" if name in HOST_WIDE else f"`{name.removeprefix('app_')}` (`{name}`)"
            rows.append(f"| {key} | `{cell(shown)}` | {cell(last)} |")
            comment = []
        elif not line.strip():
            comment = []
    head = ["| Setting of an app (shared default) | Default | Meaning |", "|---|---|---|"]
    return "\n".join(["### App settings (`group_vars/all/app.yml`)", "",
                      "Each entry of `apps` may set any setting below by its short name; the",
                      "`app_` variable is the default for the apps that do not. `apps` and the",
                      "pip settings are host-wide.", ""] + head + rows)


def role_table(role):
    spec = yaml.safe_load((ROOT / "roles" / role / "meta/argument_specs.yml").read_text())
    main = spec["argument_specs"]["main"]
    defaults = yaml.safe_load((ROOT / "roles" / role / "defaults/main.yml").read_text()) or {}
    lines = [f"#### `{role}`: {main['short_description']}", "",
             "| Variable | Type | Default | Description |", "|---|---|---|---|"]
    for name, opt in main["options"].items():
        kind = opt["type"] + (f" of {opt['elements']}" if "elements" in opt else "")
        if "choices" in opt:
            kind += " (" + ", ".join(map(str, opt["choices"])) + ")"
        if opt.get("required"):
            default = "**required**"
        else:
            value = defaults.get(name, opt.get("default"))
            default = "`" + cell(yaml.safe_dump(value, default_flow_style=True, width=1000).strip().removesuffix("...").strip()) + "`"
        lines.append(f"| `{name}` | {cell(kind)} | {default} | {cell(opt['description'])} |")
    return "\n".join(lines)


def render():
    parts = [app_settings(), "", "### Role variables", ""]
    for role in ROLE_ORDER:
        parts += [role_table(role), ""]
    return "\n".join(parts).rstrip() + "\n"


def spec_gaps():
    """Every role input in defaults/main.yml and in both spec entry points, and
    every app setting typed in playbooks/vars/app_spec.yml."""
    gaps = []
    for role in ROLE_ORDER:
        defaults = set(yaml.safe_load((ROOT / "roles" / role / "defaults/main.yml").read_text()) or {})
        specs = yaml.safe_load((ROOT / "roles" / role / "meta/argument_specs.yml").read_text())["argument_specs"]
        for entry in ("main", "validate"):
            options = set(specs[entry]["options"])
            gaps += [f"{role}: {name} is in defaults/main.yml but not in argument_specs {entry}" for name in sorted(defaults - options)]
            gaps += [f"{role}: {name} is in argument_specs {entry} but not in defaults/main.yml" for name in sorted(options - defaults)]
    settings = set(yaml.safe_load((ROOT / "group_vars/all/app.yml").read_text()))
    spec = yaml.safe_load((ROOT / "playbooks/vars/app_spec.yml").read_text())
    typed = {f"app_{name}" for name in spec["app_options"] if name != "name"} | set(spec["app_host_argument_spec"])
    gaps += [f"{name} is in group_vars/all/app.yml but has no type in playbooks/vars/app_spec.yml" for name in sorted(settings - typed)]
    gaps += [f"{name} is typed in playbooks/vars/app_spec.yml but not in group_vars/all/app.yml" for name in sorted(typed - settings)]
    return gaps


def main():
    gaps = spec_gaps()
    if gaps:
        sys.exit("\n".join(gaps))
    text = README.read_text()
    if START not in text or END not in text:
        sys.exit(f"{README}: markers {START} / {END} not found")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    new = f"{before}{START}\n{render()}{END}{after}"
    if "--check" in sys.argv:
        if new != text:
            sys.exit("README.md variable tables are out of date: run scripts/role-docs.py")
        print("README.md variable tables are up to date")
        return
    README.write_text(new)


if __name__ == "__main__":
    main()
