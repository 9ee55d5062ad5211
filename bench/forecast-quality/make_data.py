#!/usr/bin/env python3
"""Writes the public series of other frequencies as CSVs (date,value) for the forecast-quality
table. They come from the datasets shipped inside the `statsmodels` package (PyPI):
  sunspots  yearly     Wolf sunspot numbers 1700-2008            statsmodels.datasets.sunspots
  nile      yearly     Nile flow at Aswan 1871-1970              statsmodels.datasets.nile
  macrodata quarterly  US real GDP 1959Q1-2009Q3                 statsmodels.datasets.macrodata
  elnino    monthly    Pacific sea surface temperature 1950-2010 statsmodels.datasets.elnino
  co2       weekly     Mauna Loa CO2 1958-2001 (gaps left empty) statsmodels.datasets.co2
Usage: make_data.py OUT_DIR"""
import os
import sys

import statsmodels.api as sm


def write(path, rows):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("date,value\n")
        for date, value in rows:
            f.write(f"{date},{'' if value != value else repr(float(value))}\n")
    os.replace(tmp, path)


def main(out):
    os.makedirs(out, exist_ok=True)
    d = sm.datasets.sunspots.load_pandas().data
    write(f"{out}/sunspots-yearly.csv", [(f"{int(y):04d}-01-01", v) for y, v in zip(d.YEAR, d.SUNACTIVITY)])
    d = sm.datasets.nile.load_pandas().data
    write(f"{out}/nile-yearly.csv", [(f"{int(y):04d}-01-01", v) for y, v in zip(d.year, d.volume)])
    d = sm.datasets.macrodata.load_pandas().data
    write(f"{out}/usgdp-quarterly.csv",
          [(f"{int(y):04d}-{3 * (int(q) - 1) + 1:02d}-01", v) for y, q, v in zip(d.year, d.quarter, d.realgdp)])
    d = sm.datasets.elnino.load_pandas().data
    months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    write(f"{out}/elnino-monthly.csv",
          [(f"{int(y):04d}-{m + 1:02d}-01", row[name]) for y, (_, row) in zip(d.YEAR, d.iterrows()) for m, name in enumerate(months)])
    d = sm.datasets.co2.load_pandas().data
    write(f"{out}/co2-weekly.csv", [(t.strftime("%Y-%m-%d"), v) for t, v in zip(d.index, d.co2)])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
