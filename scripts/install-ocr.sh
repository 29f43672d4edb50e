#!/bin/sh
# Installs what the OCR reader runs: Debian's tesseract-ocr and its Norwegian model (tesseract-ocr-nor).
# Idempotent: returns at once when both are already there. Needs root (or sudo) for apt-get.
set -eu

TESSERACT=/usr/bin/tesseract

if [ -x "$TESSERACT" ] && "$TESSERACT" --list-langs 2>/dev/null | grep -qx nor; then
    echo "install-ocr: $("$TESSERACT" --version 2>/dev/null | head -n 1) with nor already installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-ocr: need root to install tesseract-ocr and tesseract-ocr-nor with apt-get" >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-ocr: apt-get not found; install Tesseract at $TESSERACT with its Norwegian model (nor)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-nor >/dev/null
echo "install-ocr: $("$TESSERACT" --version 2>/dev/null | head -n 1) with nor installed"
