#!/usr/bin/env bash
# The speech tools the build needs to make audio (handbook/audio.py): espeak-ng and ffmpeg, from
# Debian. `make setup` runs this: it installs them when it can (as root, or with sudo that needs
# no password); otherwise it says which packages are missing, and the site is built without sound.
set -u
missing=()
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
{ command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null; } || missing+=(ffmpeg)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then as_root=(); elif sudo -n true 2>/dev/null; then as_root=(sudo -n); else as_root=(none); fi
if [ "${as_root[0]:-}" != none ] && command -v apt-get >/dev/null; then
  echo "installing the speech tools: ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  if "${as_root[@]}" apt-get update -qq && \
     "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    exit 0
  fi
fi
echo "audio: the Debian package(s) ${missing[*]} are not installed, so the handbook is built without sound." >&2
echo "       to add sound: sudo apt-get install ${missing[*]}   (then build again)" >&2
exit 0
