#!/bin/sh
# Installs what OCR of scanned PDF pages runs: Debian's tesseract-ocr and its Norwegian model
# (tesseract-ocr-nor). Idempotent: returns at once when both are there. apt-get as root (or sudo).
set -eu

TESSERACT=/usr/bin/tesseract
PACKAGES="tesseract-ocr tesseract-ocr-nor"

has_nor() {
    [ -x "$TESSERACT" ] && "$TESSERACT" --list-langs 2>/dev/null | grep -qx nor
}

say() {
    echo "install-ocr: $*"
}

if has_nor; then
    say "$("$TESSERACT" --version 2>/dev/null | head -n 1) with nor already installed"
    exit 0
fi
command -v apt-get >/dev/null 2>&1 || {
    say "apt-get not found; install Tesseract at $TESSERACT with its Norwegian model (nor)" >&2
    exit 1
}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
[ -z "$SUDO" ] || command -v sudo >/dev/null 2>&1 || {
    say "need root to install $PACKAGES with apt-get" >&2
    exit 1
}
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # the package list is words
$SUDO apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
has_nor || { say "tesseract-ocr-nor installed, yet $TESSERACT does not list nor" >&2; exit 1; }
say "$("$TESSERACT" --version 2>/dev/null | head -n 1) with nor installed"
