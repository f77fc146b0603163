#!/usr/bin/env bash
# From a fresh Debian/Ubuntu machine to text from the bundled sample, in one command:
#  1. system packages: Tesseract language data (eng, rus, fra, Latin and Cyrillic
#     scripts), the tesseract program (pytesseract's benchmark anchor, and the training
#     tools), the fonts the tests and the model training render with, and a C compiler /
#     Python headers / venv when missing;
#  2. a virtual environment in .venv with ocr and its test extras;
#  3. the tutorial's script on examples/multilingual.png.
# Runs apt-get (through sudo when not root) only for packages that are missing.
set -euo pipefail
cd "$(dirname "$0")"

packages=(
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-fra
  tesseract-ocr-script-latn tesseract-ocr-script-cyrl
  fonts-dejavu-core fonts-noto-core fonts-liberation2 fontconfig
  # the fonts the bundled models were trained in (python -m ocr.training build-models)
  fonts-dejavu-extra fonts-freefont-ttf fonts-noto-extra fonts-linuxlibertine
  fonts-firacode fonts-cmu fonts-sil-andika fonts-sil-charis fonts-sil-doulos
  fonts-sil-gentiumplus fonts-vollkorn
  # and the held-out ones they are evaluated in (python -m ocr.training evaluate)
  fonts-roboto-unhinted fonts-crosextra-carlito fonts-crosextra-caladea fonts-ebgaramond
  fonts-junicode fonts-open-sans fonts-paratype
)
command -v cc >/dev/null || packages+=(build-essential)
python3 -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
  || packages+=(python3-dev)
python3 -c 'import ensurepip' 2>/dev/null || packages+=(python3-venv)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check ".[test]"

.venv/bin/python examples/ocr_demo.py examples/multilingual.png
