"""Prints a dpkg status file of a minimal Debian, for scripts/bundle.sh: this machine's packages of
priority "required" or marked essential, and everything they depend on. apt-get resolving against it
(-o Dir::State::status=…) downloads every package the system needs that such a machine lacks, however
much of it is installed here already."""

from __future__ import annotations

import re
import sys


def installed_packages(text: str) -> tuple[dict[str, tuple[str, dict[str, str]]], dict[str, str]]:
    """Name → (stanza, fields) of the installed packages, and virtual name → a package providing it."""
    installed: dict[str, tuple[str, dict[str, str]]] = {}
    provides: dict[str, str] = {}
    for stanza in filter(str.strip, text.split("\n\n")):
        fields = dict(re.findall(r"^([\w-]+): ?(.*)$", stanza, re.M))
        if fields.get("Status") != "install ok installed":
            continue
        installed[fields["Package"]] = (stanza.strip(), fields)
        for item in filter(str.strip, fields.get("Provides", "").split(",")):
            provides.setdefault(item.split()[0].split(":")[0], fields["Package"])
    return installed, provides


def base_system(installed: dict[str, tuple[str, dict[str, str]]], provides: dict[str, str]) -> set[str]:
    wanted = [
        name
        for name, (_, fields) in installed.items()
        if fields.get("Priority") == "required" or fields.get("Essential") == "yes"
    ]
    base: set[str] = set()
    while wanted:
        name = wanted.pop()
        if name in base:
            continue
        base.add(name)
        fields = installed[name][1]
        for clause in ",".join(fields.get(key, "") for key in ("Pre-Depends", "Depends")).split(","):
            for alternative in clause.split("|"):  # the first alternative installed here satisfies it
                dep = alternative.split("(")[0].strip().split(":")[0]
                dep = dep if dep in installed else provides.get(dep, "")
                if dep:
                    wanted.append(dep)
                    break
    return base


def main() -> None:
    with open("/var/lib/dpkg/status", encoding="utf-8") as handle:
        installed, provides = installed_packages(handle.read())
    for name in sorted(base_system(installed, provides)):
        sys.stdout.write(installed[name][0] + "\n\n")


if __name__ == "__main__":
    main()
