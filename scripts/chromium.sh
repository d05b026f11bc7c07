#!/usr/bin/env bash
# Make sure the browser tests have a Chromium: CHROMIUM_PATH, else Debian's /usr/bin/chromium,
# installed with apt-get when we are root. Never lets browser tests be skipped for lack of one.
set -euo pipefail

if [ -n "${CHROMIUM_PATH:-}" ]; then
    if [ -x "$CHROMIUM_PATH" ]; then
        exit 0
    fi
    echo "CHROMIUM_PATH ($CHROMIUM_PATH) is geen uitvoerbaar bestand; laat het naar een Chromium wijzen of haal het weg." >&2
    exit 1
fi

if [ -x /usr/bin/chromium ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "chromium: niet gevonden, installeren met apt-get" >&2
    packages=(chromium)
    dpkg -s fonts-dejavu-core >/dev/null 2>&1 || packages+=(fonts-dejavu-core)
    wait_for_lock=(-o DPkg::Lock::Timeout=600)  # another apt-get may be running
    if apt-get "${wait_for_lock[@]}" update -qq &&
        DEBIAN_FRONTEND=noninteractive apt-get "${wait_for_lock[@]}" install -y -qq \
            "${packages[@]}" >&2 &&
        [ -x /usr/bin/chromium ]; then
        exit 0
    fi
fi

echo "Chromium ontbreekt: installeer het (Debian: sudo apt-get install chromium) of zet CHROMIUM_PATH op een Chromium-programma." >&2
exit 1
