"""Speech, made at build time: every string the lookup kiosk shows and every guide step, as a
short audio file per language, so the handbook can be heard with no network at all.

- Synthetic voices come from espeak-ng (Debian package ``espeak-ng``), one voice per language
  (content/handbook.toml ``voices``); ffmpeg (Debian package ``ffmpeg``) encodes each clip twice,
  small: Opus in WebM (every current browser) and MP3 (the fallback, e.g. older Safari), mono,
  at speech bitrates.
- Recorded voices win: ``content/recordings/LANG/KEY.EXT`` (every handbook) or
  ``content/communes/ID/recordings/LANG/KEY.EXT`` (that commune's only, over the shared one),
  where KEY is the string's path (``questions.who.title``, ``items.seat-and-water.text``) and
  ``LANG/recorded.toml`` says what each recording says (``"KEY" = "the text read"``). A recording
  whose text has changed since is stale: it is not played (the synthetic voice, if any, is), and
  the audio report lists it. A language with no voice is spoken through recordings only.
  Every recording is checked before it is used, and a bad one stops the build with the file, the
  line and the fix: it must be audio, decoded to measure how long it really plays (a header can
  claim 2 s for ten minutes), and be in the project (a link out of it is refused). recorded.toml
  is checked in one pass, and at most a screenful of its problems is listed, the rest counted.
- Every clip is named by a hash of what made it (engine settings, voice and text, or the
  recording's bytes), so an unchanged string is never made again: clips are kept between builds
  in ``build/cache/audio/`` (the build's cache, ``HANDBOOK_CACHE``, which copies of the project share).

Text reaches the engine on its standard input, never on a command line or through a shell:
no string from content runs as anything but words. Without the two Debian packages the site is
built without audio, and the build says which package is missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .model import ContentError, Model, Problem, Source
from .untranslated import strip as strip_marks

ROOT = Path(__file__).resolve().parents[1]
TOOLS = {"espeak-ng": "espeak-ng", "ffmpeg": "ffmpeg", "ffprobe": "ffmpeg"}  # command: Debian package
# (file extension, MIME type for <source type>, ffmpeg output options): speech, mono, small
FORMATS = (
    ("webm", 'audio/webm; codecs="opus"',
     ["-c:a", "libopus", "-b:a", "16k", "-application", "voip", "-f", "webm"]),
    ("mp3", "audio/mpeg", ["-c:a", "libmp3lame", "-ar", "22050", "-b:a", "24k", "-f", "mp3"]),
)
SPEED = 140  # words a minute: a little slower than espeak-ng's 175, for people who hear poorly
# What made a clip, in its name: change this when the settings above change
SETTINGS = f"v1 speed={SPEED} " + " ".join(" ".join(options) for _, _, options in FORMATS)
AUDIO_DIR = "assets/audio"
RECORDING_EXTENSIONS = (".wav", ".mp3", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".webm", ".flac", ".amr",
                        ".3gp")
RECORDED = "recorded.toml"
MIN_SECONDS = 0.3  # shorter is empty, or silence
# a recording far longer than its text is the wrong file (or a whole conversation)
SECONDS_PER_WORD_MAX = 1.5
SECONDS_SLACK = 5.0
# Bounds on what a recordings folder may hold. A language has a few hundred spoken strings (the
# whole strings file: about 600): more lines in recorded.toml than this were pasted or generated
# by mistake. A recording of one string is seconds long: 50 MB is minutes of studio WAV.
MAX_RECORDED_ENTRIES = 10_000
MAX_RECORDING_BYTES = 50_000_000
SHOWN_PER_FILE = 20  # problems listed per recorded.toml; the rest are counted, not listed
# How long a recording plays is measured by decoding it (its header can say anything): to mono
# 16-bit samples at a low rate, counted, for at most this long (and this much wall time).
DECODE_RATE = 8000
DECODE_MOST_SECONDS = 15 * 60
DECODE_TIMEOUT = 60
TIMED_OUT = "decoding it took more than"  # … DECODE_TIMEOUT s: said, and never kept in the cache

# The interface strings the kiosk shows (its screens, buttons, slip and notices); the rest of
# what it shows (questions, answers, slip lines, paths, guide titles) comes from the content.
KIOSK_UI = (
    "kiosk_title", "kiosk_lead", "kiosk_start", "kiosk_guides",
    "wizard_next", "wizard_back", "wizard_summary_title", "wizard_change", "wizard_show_result",
    "wizard_change_answers", "wizard_restart", "wizard_none", "wizard_loading", "wizard_waiting",
    "wizard_failed", "wizard_slow", "wizard_all_guides", "wizard_print", "wizard_rules_link",
    "slip_title", "slip_chosen", "slip_lead", "slip_counter", "slip_needs", "slip_path", "slip_none",
    "slip_print_receipt", "slip_print_a4",
    "offline_update", "offline_reload", "offline_saved", "offline_failed",
    "untranslated_notice", "draft_notice",
    "listen", "listen_stop", "listen_all", "read_aloud",
    "kiosk_wait", "kiosk_idle_title", "kiosk_idle_text", "kiosk_idle_stay",
)


def spoken(model: Model, lang: str) -> dict[str, str]:
    """Every string that has a clip, by its path (``questions.who.title``), in ``lang``: what the
    kiosk shows, and each guide's title, summary, key steps and checklist items."""
    t = model.t
    out: dict[str, str] = {}

    def say(*path: str) -> None:
        out[".".join(path)] = t(lang, *path)

    for key in KIOSK_UI:
        say("ui", key)
    for question in model.wizard.questions:
        say("questions", question.id, "title")
        say("questions", question.id, "hint")
        for answer in question.answers:
            say("answers", answer, "label")
    for path in model.wizard.paths:
        say("paths", path.id, "title")
    for line in model.procedure.slip:
        say("slip_lines", line.id, "text")
    for conflict in model.procedure.conflicts:
        say("conflicts", conflict.id, "text")
    for proviso in model.procedure.provisos:
        say("provisos", proviso.id, "slip")
    for situation in model.situations.values():
        say("situations", situation.id, "title")
        say("situations", situation.id, "summary")
        for iid in situation.checklist:
            say("items", iid, "text")
    for stage in model.procedure.stages:  # the wizard's checklist, for staff
        for variant in stage.variants:
            for iid in variant.items:
                if iid in model.items:
                    say("items", iid, "text")
    return out


def words(text: str) -> int:
    return len(text.split())


# --------------------------------------------------------------------------- recordings


@dataclass
class Recording:
    lang: str
    key: str
    path: Path
    text: str  # what it says (recorded.toml)
    stale: bool  # the string's text has changed since


def _normal(text: str) -> str:
    return " ".join(strip_marks(text).split())


def recording_dirs(root: Path, commune: str | None) -> list[Path]:
    """Where recordings are looked for, later ones winning."""
    dirs = [root / "content" / "recordings"]
    if commune:
        dirs.append(root / "content" / "communes" / commune / "recordings")
    return [d for d in dirs if d.is_dir()]


def _resolves(model: Model, lang: str, key: str) -> bool:
    node = model.strings.get(lang, {})
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return isinstance(node, str)


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _outside(path: Path, root: Path) -> Path | None:
    """Where ``path`` really is, if a link takes it out of the project (else None)."""
    real = path.resolve()
    return None if real.is_relative_to(root.resolve()) else real


# the key a line of recorded.toml sets (or the first part of a dotted key, or a [table]'s name)
_KEY_LINE = re.compile(r"""^\s*\[*\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*[=.\]]""")


def _key_lines(lines: list[str]) -> dict[str, int]:
    """Each top-level key of a recorded.toml -> the first line that sets it, in one pass."""
    out: dict[str, int] = {}
    for number, text in enumerate(lines, 1):
        if (match := _KEY_LINE.match(text)):
            out.setdefault(next(g for g in match.groups() if g is not None), number)
    return out


def find_recordings(model: Model, root: Path, commune: str | None,
                    problems: list[Problem],
                    shown: int | None = SHOWN_PER_FILE) -> dict[tuple[str, str], Recording]:
    """The recordings that apply to this build, by (language, key); problems are appended.

    Linear in the size of each folder and its recorded.toml, and bounded in what it says: at most
    ``shown`` problems of one recorded.toml are listed, the rest counted (None: every one)."""
    found: dict[tuple[str, str], Recording] = {}
    texts = {lang: spoken(model, lang) for lang in model.languages}
    for base in recording_dirs(root, commune):
        for folder in sorted(p for p in base.iterdir() if not p.name.startswith(".")):
            rel = _rel(folder, root)
            if (real := _outside(folder, root)) is not None:
                problems.append(Problem(rel, None, f"a link to {real}, outside the project: its recordings "
                                        "would be published unseen", f"copy the recordings into {rel}/ "
                                        "(a folder, not a link), or remove the link"))
                continue
            if not folder.is_dir() or folder.name not in model.languages:
                problems.append(Problem(rel, None, f"'{folder.name}' is not a language of the handbook",
                                        f"put recordings in a folder named after a language: "
                                        f"{', '.join(model.languages)}"))
                continue
            lang = folder.name
            index_rel = f"{rel}/{RECORDED}"
            noted: list[Problem] = []  # this folder's recorded.toml problems: listed up to a bound
            index = None
            said: dict | None = {}  # None: recorded.toml is unreadable, so no text can be checked
            if (folder / RECORDED).is_symlink() and (real := _outside(folder / RECORDED, root)) is not None:
                problems.append(Problem(index_rel, None, f"a link to {real}, outside the project",
                                        f"copy the file into {rel}/, or remove the link"))
                said = None
            elif (folder / RECORDED).is_file():
                index = Source(root, folder / RECORDED, problems)
                said = index.data if index.ok else None
            lines: dict[str, int] | None = None

            def line_of(key: str) -> int | None:
                nonlocal lines
                if lines is None:  # once per file, and only when a problem needs a line
                    lines = _key_lines(index.lines) if index is not None else {}
                return lines.get(key)

            if said is not None and len(said) > MAX_RECORDED_ENTRIES:
                first_over = next(k for i, k in enumerate(said) if i == MAX_RECORDED_ENTRIES)
                problems.append(Problem(index_rel, line_of(first_over),
                                        f"{len(said):,} recordings are listed; a language has at most "
                                        f"{MAX_RECORDED_ENTRIES:,} (one line a recording in {rel}/)",
                                        "keep one line for each recording in the folder: the lines from "
                                        "here on were pasted or generated by mistake"))
                said = None
            files: dict[str, Path] = {}
            for path in sorted(p for p in folder.iterdir() if p.name != RECORDED
                               and not p.name.startswith(".") and not p.name.upper().startswith("README")):
                prel = _rel(path, root)
                if path.is_symlink():
                    if (real := _outside(path, root)) is not None:
                        problems.append(Problem(prel, None, f"a link to {real}, outside the project: it "
                                                "would be published unseen", f"copy the recording into "
                                                f"{rel}/ (a file, not a link), or remove the link"))
                        continue
                    if not path.exists():
                        problems.append(Problem(prel, None, "a link to a file that does not exist",
                                                "remove the link, or put the recording there"))
                        continue
                if not path.is_file():
                    continue  # a folder of its own (old takes, say): not read
                if path.suffix.lower() not in RECORDING_EXTENSIONS:
                    problems.append(Problem(prel, None, "not a recording's file name",
                                            f"name it KEY{RECORDING_EXTENSIONS[0]} (or "
                                            f"{', '.join(RECORDING_EXTENSIONS[1:])}), KEY being the "
                                            "string it reads, e.g. questions.who.title.m4a"))
                    continue
                key = path.name[: -len(path.suffix)]
                if key in files:
                    problems.append(Problem(prel, None, f"a second recording of '{key}'",
                                            f"keep one of {files[key].name} and {path.name}"))
                    continue
                files[key] = path
                if not _resolves(model, lang, key):
                    problems.append(Problem(prel, None, f"'{key}' is not a string of the handbook",
                                            "name the file after the string it reads, e.g. "
                                            f"questions.who.title{path.suffix} (the paths of "
                                            f"content/locales/{lang}.toml, joined with dots)"))
                    continue
                if key not in texts[lang] or said is None:
                    continue  # a string this handbook does not speak (another commune's item)
                if key not in said:
                    current = _normal(texts[lang][key]).replace('"', '\\"')
                    noted.append(Problem(index_rel, None, f"{path.name}: what it says is not written",
                                         f'add the line "{key}" = "{current}" (the text as it was read)'))
                    continue
                if not isinstance(said[key], str):
                    noted.append(Problem(index_rel, line_of(key), f"'{key}' is not text",
                                         f'write "{key}" = "the text as it was read"'))
                    continue
                found[(lang, key)] = Recording(lang, key, path, said[key],
                                               _normal(said[key]) != _normal(texts[lang][key]))
            for key, value in (said or {}).items():
                if isinstance(value, dict) and key not in files:
                    noted.append(Problem(index_rel, line_of(key),
                                         f"'{key}' is a table, not a recording's text",
                                         'write each key in quotes, e.g. "questions.who.title" = "the text '
                                         'as it was read" (unquoted, its dots make tables)'))
                elif key not in files:
                    noted.append(Problem(index_rel, line_of(key), f"'{key}' has no recording in {rel}/",
                                         f"add the file ({key}.m4a, .mp3, .wav …) or remove the line"))
            problems.extend(noted[:shown])
            if shown is not None and len(noted) > shown:
                problems.append(Problem(index_rel, None, f"… and {len(noted) - shown:,} more "
                                        f"problems in this file, not listed ({len(noted):,} in all)",
                                        "fix the ones above (often the same fix for every line), then "
                                        "build again: the rest are listed then"))
    return found


# --------------------------------------------------------------------------- the tools


def missing_tools() -> list[str]:
    """The Debian packages whose commands are missing (none: audio can be made)."""
    return sorted({package for command, package in TOOLS.items() if shutil.which(command) is None})


def probe(path: Path) -> tuple[str | None, float]:
    """(codec of the first audio stream, or None if it is not audio; duration in seconds)."""
    try:
        done = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                               "stream=codec_name:format=duration", "-of", "json", "--", str(path)],
                              capture_output=True, timeout=60, check=False)
        info = json.loads(done.stdout or b"{}")
    except (subprocess.TimeoutExpired, ValueError):
        return None, 0.0
    streams = info.get("streams") or []
    try:
        duration = float((info.get("format") or {}).get("duration") or 0)
    except ValueError:
        duration = 0.0
    return (streams[0].get("codec_name") if streams else None), duration


def played_seconds(path: Path) -> tuple[float | None, str]:
    """How long the first audio stream really plays: decoded (as :func:`make_clip` will) and its
    samples counted, since a header can claim 2 s for ten minutes. Bounded: at most a second past
    :data:`DECODE_MOST_SECONDS` is decoded, in at most :data:`DECODE_TIMEOUT` seconds.
    (seconds, "") or (None, why it cannot be decoded)."""
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(path), "-map", "0:a:0",
               "-vn", "-t", str(DECODE_MOST_SECONDS + 1), "-ac", "1", "-ar", str(DECODE_RATE), "-f", "s16le", "-"]
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=DECODE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, f"{TIMED_OUT} {DECODE_TIMEOUT} s"
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        cause = re.sub(r"\[[^\]]* @ 0x[0-9a-f]+\] ", "", said[0]) if said else ""  # the first: the cause
        return None, (cause or f"ffmpeg stopped with status {done.returncode}")[-200:]
    return len(done.stdout) / (2 * DECODE_RATE), ""


def measure(path: Path) -> dict:
    """What ffprobe says of a recording and how long it really plays, kept in the build's cache
    by the hash of its bytes: an unchanged recording is decoded once, not on every build."""
    bounds = f"{DECODE_RATE}-{DECODE_MOST_SECONDS}"  # what was measured depends on these too
    kept = cache_dir() / f"{clip_name(('recorded', path))}.{bounds}.measured.json"
    try:
        return json.loads(kept.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    codec, header = probe(path)
    played, why = played_seconds(path) if codec else (None, "")
    measured = {"codec": codec, "header": header, "played": played, "why": why}
    if not why.startswith(TIMED_OUT):  # a slow machine is not a property of the file
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f"{kept.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        partial.write_text(json.dumps(measured), encoding="utf-8")
        os.replace(partial, kept)
    return measured


def check_recording(recording: Recording, root: Path) -> Problem | None:
    path = recording.path
    rel = _rel(path, root)
    size = path.stat().st_size
    if size == 0:
        return Problem(rel, None, "the recording is empty (0 bytes)", "record it again, or remove the file")
    if size > MAX_RECORDING_BYTES:
        return Problem(rel, None, f"the recording is {size / 1e6:.0f} MB; a recording of one string is at "
                       f"most {MAX_RECORDING_BYTES / 1e6:.0f} MB",
                       "check that it is the right file, or save it as .m4a or .mp3 (a minute of speech "
                       "is about 1 MB)")
    measured = measure(path)
    header_seconds, seconds, why = measured["header"], measured["played"], measured["why"]
    if measured["codec"] is None:
        return Problem(rel, None, "not audio (ffprobe finds no sound in it)",
                       "save the recording as .m4a, .mp3, .ogg or .wav; a photo or a document cannot be played")
    if seconds is None:
        return Problem(rel, None, f"the recording cannot be played: ffmpeg cannot decode it ({why})",
                       "save it again as .m4a, .mp3, .ogg or .wav from the recording app or an audio editor")
    # what the header claims, when it is not what plays (a damaged or doctored file)
    claims = (f", though its header says {header_seconds:.1f} s"
              if header_seconds > 0 and abs(header_seconds - seconds) > 1 else "")
    if seconds < MIN_SECONDS:
        return Problem(rel, None, f"the recording lasts {seconds:.2f} s when played{claims}: it is "
                       + ("cut short or damaged" if claims else "empty"),
                       "copy the file again from where it was recorded, or record it again"
                       if claims else "record the text again, closer to the microphone")
    limit = SECONDS_SLACK + SECONDS_PER_WORD_MAX * words(recording.text)
    if seconds > limit:
        lasts = (f"more than {DECODE_MOST_SECONDS:.0f} s" if seconds >= DECODE_MOST_SECONDS
                 else f"{seconds:.0f} s")
        return Problem(rel, None, f"the recording lasts {lasts} when played{claims}, far longer than its "
                       f"text ({words(recording.text)} words: at most {limit:.0f} s)",
                       "trim the silence and talk before and after, or check that it is the right file"
                       + ("; then save it again (its header is wrong)" if claims else ""))
    return None


def _run(command: list[str], stdin: bytes | None = None) -> None:
    done = subprocess.run(command, input=stdin, capture_output=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {done.stderr.decode('utf-8', 'replace').strip()[-300:]}")


def make_clip(source: tuple, out: Path) -> None:
    """Write ``out``.webm and ``out``.mp3 from a ("synthetic", voice, text) or ("recorded", path)."""
    with tempfile.TemporaryDirectory(prefix="hb-audio-") as tmp:
        if source[0] == "synthetic":
            _, voice, text = source
            wav = Path(tmp) / "speech.wav"
            # the text on standard input, as plain text (no SSML, no options from content)
            _run(["espeak-ng", "-v", voice, "-s", str(SPEED), "-w", str(wav), "--stdin"], text.encode("utf-8"))
            given = wav
        else:
            given = source[1]
        # the first audio stream: the one check_recording measured (not ffmpeg's pick of several)
        command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", str(given),
                   "-map", "0:a:0", "-map_metadata", "-1", "-vn"]
        parts = []
        for ext, _, options in FORMATS:
            part = Path(tmp) / f"clip.{ext}"
            command += ["-ac", "1", *options, str(part)]
            parts.append((ext, part))
        _run(command)
        out.parent.mkdir(parents=True, exist_ok=True)
        for ext, part in parts:
            target = out.with_suffix(f".{ext}")
            shutil.move(str(part), target.with_name(target.name + ".tmp"))
            os.replace(target.with_name(target.name + ".tmp"), target)  # never half a clip in the cache


# --------------------------------------------------------------------------- the build


@dataclass
class Audio:
    """The clips of one build: per language, string key -> clip name (``assets/audio/NAME.ext``)."""
    enabled: bool
    missing: list[str] = field(default_factory=list)  # Debian packages not installed
    clips: dict[str, dict[str, str]] = field(default_factory=dict)
    kinds: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> key -> recorded|synthetic
    files: dict[str, bytes] = field(default_factory=dict)  # site path -> bytes
    stale: list[Recording] = field(default_factory=list)
    made: int = 0  # clips made in this build (the rest came from the cache)

    def names(self, lang: str) -> list[str]:
        return sorted(set(self.clips.get(lang, {}).values()))


def cache_dir() -> Path:
    return Path(os.environ.get("HANDBOOK_CACHE") or ROOT / "build" / "cache") / "audio"


def plan(model: Model, root: Path, commune: str | None, problems: list[Problem],
         check: bool = True, shown: int | None = SHOWN_PER_FILE) -> tuple[dict[str, dict[str, tuple]], dict[tuple[str, str], Recording]]:
    """What each spoken string is made from, per language: ("recorded", path) or ("synthetic",
    voice, text); strings with neither are silent (left out)."""
    recordings = find_recordings(model, root, commune, problems, shown)
    if check:  # each one probed and decoded: side by side, reported in order
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            problems.extend(p for p in pool.map(lambda r: check_recording(r, root), recordings.values()) if p)
    sources: dict[str, dict[str, tuple]] = {}
    reference = model.reference
    for lang in model.languages:
        out = sources.setdefault(lang, {})
        for key, text in spoken(model, lang).items():
            untranslated = strip_marks(text) != text  # shown in the reference language: spoken in it
            speaker = reference if untranslated else lang
            recording = recordings.get((speaker, key))
            if recording and not recording.stale:
                out[key] = ("recorded", recording.path)
            elif "{" in text:
                continue  # a string the program fills in: no clip of the template
            elif model.voices.get(speaker):
                out[key] = ("synthetic", model.voices[speaker], _normal(text))
    return sources, recordings


def clip_name(source: tuple) -> str:
    digest = hashlib.sha256(SETTINGS.encode())
    if source[0] == "synthetic":
        digest.update(f"\0synthetic\0{source[1]}\0{source[2]}".encode())
    else:
        digest.update(b"\0recorded\0" + source[1].read_bytes())
    return digest.hexdigest()[:20]


def build(model: Model, root: Path = ROOT, commune: str | None = None, cache: Path | None = None) -> Audio:
    """Every clip of this build, made (or taken from the cache); raises :class:`ContentError` on a
    bad recording. Without the tools, an Audio with ``enabled=False`` and the missing packages."""
    missing = missing_tools()
    if missing:
        return Audio(False, missing)
    problems: list[Problem] = []
    sources, recordings = plan(model, root, commune, problems)
    if problems:
        raise ContentError.first_file(problems)
    cache = cache or cache_dir()
    audio = Audio(True, stale=[r for r in recordings.values() if r.stale])
    todo: dict[str, tuple] = {}
    for lang, by_key in sources.items():
        for key, source in by_key.items():
            name = clip_name(source)
            audio.clips.setdefault(lang, {})[key] = name
            audio.kinds.setdefault(lang, {})[key] = source[0]
            if not all((cache / f"{name}.{ext}").is_file() for ext, _, _ in FORMATS):
                todo[name] = source
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for future in [pool.submit(make_clip, source, cache / name) for name, source in todo.items()]:
            future.result()
    audio.made = len(todo)
    for name in {n for by_key in audio.clips.values() for n in by_key.values()}:
        for ext, _, _ in FORMATS:
            audio.files[f"{AUDIO_DIR}/{name}.{ext}"] = (cache / f"{name}.{ext}").read_bytes()
    return audio


def report(model: Model, root: Path = ROOT, commune: str | None = None,
           every: bool = False) -> tuple[list[str], list[Problem]]:
    """Per language: how many spoken strings are recorded, synthetic or silent; stale recordings;
    the problems found (per recorded.toml, the first few and a count, unless ``every``)."""
    problems: list[Problem] = []
    sources, recordings = plan(model, root, commune, problems, check=False,
                               shown=None if every else SHOWN_PER_FILE)
    tools = missing_tools()
    lines = []
    for lang in model.languages:
        texts = spoken(model, lang)
        total = len(texts)
        kinds = [s[0] for s in sources[lang].values()]
        recorded, synthetic = kinds.count("recorded"), kinds.count("synthetic")
        borrowed = sum(1 for key, s in sources[lang].items() if strip_marks(texts[key]) != texts[key])
        voice = model.voices.get(lang)
        said = [f"voice {voice}" if voice else "no synthetic voice"]
        if borrowed:
            said.append(f"{borrowed} untranslated, in {model.reference}")
        lines.append(f"{lang}: {total} spoken strings: {recorded} recorded, {synthetic} synthetic "
                     f"({'; '.join(said)}), {total - recorded - synthetic} silent")
        for r in sorted((r for r in recordings.values() if r.lang == lang and r.stale), key=lambda r: r.key):
            lines.append(f"    stale: {_rel(r.path, root)}: its text has changed since it was recorded (record it again, "
                         f"then update {RECORDED})")
    if tools:
        lines.append(f"(the speech tools are not installed: Debian package{'s' if len(tools) > 1 else ''} "
                     f"{', '.join(tools)}; the site is built without audio)")
    return lines, problems


def is_clip_path(path: str) -> bool:
    return path.startswith(f"{AUDIO_DIR}/") and bool(re.search(r"\.(webm|mp3)$", path))
