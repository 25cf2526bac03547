"""Read aloud, offline: every kiosk string and guide step has a clip in Vietnamese that decodes
to a plausible length for its text; recordings win over the synthetic voice and bad ones are
refused with a clear message; the listen controls play in Chromium with the network cut."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ROOT, complete_wizard, copy_project, mkdocs_build
from handbook import audio
from handbook.model import ContentError, load


def tools_or_fail() -> None:
    missing = audio.missing_tools()
    if missing:
        pytest.fail(f"the speech tools are missing: apt-get install {' '.join(missing)} (.ci/run installs them)")


@pytest.fixture(scope="module")
def built(model):
    tools_or_fail()
    return audio.build(model, ROOT)


def template_ui_keys(name: str) -> set[str]:
    text = (ROOT / "handbook" / "templates" / name).read_text(encoding="utf-8")
    return set(re.findall(r"t\('ui', '([a-z_]+)'", text))


def test_every_kiosk_string_has_vietnamese_audio(built, model, site):
    status = json.loads((site / audio.AUDIO_DIR / "status.json").read_text(encoding="utf-8"))
    assert status["audio"] is True and status["missing"] == []
    spoken = audio.spoken(model, "vi")
    # what the kiosk shows: its questions, hints, answers, paths, slip sentences, and every interface
    # string its page and its script use (except those the program fills in with numbers)
    expected = {f"questions.{q.id}.{k}" for q in model.wizard.questions for k in ("title", "hint")}
    expected |= {f"answers.{a}.label" for q in model.wizard.questions for a in q.answers}
    expected |= {f"paths.{p.id}.title" for p in model.wizard.paths}
    expected |= {f"slip_lines.{line.id}.text" for line in model.procedure.slip}
    expected |= {f"items.{i}.text" for s in model.situations.values() for i in s.checklist}
    expected |= {f"situations.{s}.title" for s in model.situations}
    ui = template_ui_keys("wizard.md.j2") | {f"slip_{k}" for k in ("chosen", "lead", "counter", "needs", "path",
                                                                   "none", "title")}
    # (not wizard_nojs: it shows only where no script runs, and so no sound plays)
    expected |= {f"ui.{k}" for k in ui - {"wizard_nojs"} if "{" not in model.t("vi", "ui", k)}
    assert expected <= set(spoken), sorted(expected - set(spoken))
    assert set(built.clips["vi"]) == set(spoken), sorted(set(spoken) - set(built.clips["vi"]))
    assert status["languages"]["vi"]["synthetic"] == len(spoken)
    for name in built.clips["vi"].values():
        for ext, _, _ in audio.FORMATS:
            assert (site / audio.AUDIO_DIR / f"{name}.{ext}").is_file(), name


def test_pages_offer_to_listen_to_what_they_show(built, model, site):
    kiosk = (site / "kiosk" / "index.html").read_text(encoding="utf-8")
    controls = re.findall(r'<button type="button" class="hb-listen[^"]*" data-clips="([0-9a-f ]+)"', kiosk)
    # one control per question reads the screen: the question, its hint, then every answer; each tile
    # names its answer's clip (data-speaks), so it is marked while read and can say it when touched
    clip = built.clips["vi"]
    assert [c.split() for c in controls] == [
        [clip[f"questions.{q.id}.title"], clip[f"questions.{q.id}.hint"], *(clip[f"answers.{a}.label"] for a in q.answers)]
        for q in model.wizard.questions]
    speaks = dict(re.findall(r'data-answer="([a-z-]+)" aria-pressed="false" data-speaks="([0-9a-f]+)"', kiosk))
    assert speaks == {a: clip[f"answers.{a}.label"] for q in model.wizard.questions for a in q.answers}
    for clips in controls:
        for name in clips.split():
            assert (site / audio.AUDIO_DIR / f"{name}.webm").is_file()
    config = json.loads(re.search(r'<script type="application/json" id="hb-wizard-config">(.*?)</script>',
                                  kiosk, re.S).group(1))
    for line in model.procedure.slip:
        assert config["audio"][f"slip_lines.{line.id}.text"] == built.clips["vi"][f"slip_lines.{line.id}.text"]
    for situation in model.situations.values():
        page = (site / "guides" / situation.id / "index.html").read_text(encoding="utf-8")
        steps = re.findall(r'<li class="hb-strip__panel" data-item="([a-z0-9-]+)">.*?data-clips="([0-9a-f]+)"', page)
        assert [i for i, _ in steps] == list(situation.steps)
        assert all(clip == built.clips["vi"][f"items.{i}.text"] for i, clip in steps)
        every = re.search(r'<p class="hb-listen-all"><button[^>]* data-clips="([0-9a-f ]+)"', page).group(1).split()
        assert every == [built.clips["vi"][f"items.{i.id}.text"] for i in model.items_of(situation)]


def probe(path: Path) -> tuple[str, int, float, str]:
    info = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,channels:format=duration", "-of", "json",
         str(path)], capture_output=True, check=True, timeout=60).stdout)
    decoded = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"],
                             capture_output=True, text=True, timeout=60)
    stream = info["streams"][0]
    return stream["codec_name"], stream["channels"], float(info["format"]["duration"]), decoded.stderr


def test_each_clip_decodes_with_a_plausible_duration_for_its_text(built, model):
    spoken = audio.spoken(model, "vi")
    by_name = {}
    for key, name in built.clips["vi"].items():
        by_name.setdefault(name, spoken[key])
    jobs = [(name, ext, text) for name, text in by_name.items() for ext in ("webm", "mp3")]
    cache = audio.cache_dir()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda job: probe(cache / f"{job[0]}.{job[1]}"), jobs))
    codecs = {"webm": "opus", "mp3": "mp3"}
    for (name, ext, text), (codec, channels, seconds, errors) in zip(jobs, results, strict=True):
        words = audio.words(text)
        assert codec == codecs[ext] and channels == 1, (name, ext, codec, channels)
        assert errors == "", (name, ext, errors)
        # Vietnamese is one syllable a word: a slow voice says 1.5 to 4 of them a second
        assert 0.2 * words <= seconds <= 0.8 * words + 1.5, (text, ext, seconds)
    sizes = {lang: sum((cache / f"{n}.{ext}").stat().st_size for n in built.names(lang) for ext in ("webm", "mp3"))
             for lang in model.languages}
    assert all(size <= 10_000_000 for size in sizes.values()), sizes  # the budget: 10 MB a language


def voice_wav(path: Path, text: str, seconds_of_silence: float = 0.0, voice: str = "vi-vn-x-south") -> Path:
    """A stand-in for a staff member's recording: another voice (the southern one), as WAV."""
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), "--stdin"], input=text.encode(),
                   check=True, timeout=60)
    if seconds_of_silence:
        with wave.open(str(path), "rb") as given:
            params, frames = given.getparams(), given.readframes(given.getnframes())
        with wave.open(str(path), "wb") as out:
            out.setparams(params)
            out.writeframes(frames + b"\0" * int(params.framerate * params.sampwidth * seconds_of_silence))
    return path


def recorded(project: Path, lang: str, key: str, text: str, folder: Path | None = None,
             voice: str = "vi-vn-x-south") -> Path:
    target = (folder or project / "content" / "recordings") / lang
    target.mkdir(parents=True, exist_ok=True)
    voice_wav(target / f"{key}.wav", text, voice=voice)
    with (target / audio.RECORDED).open("a", encoding="utf-8") as index:
        index.write(f'"{key}" = "{text}"\n')
    return target / f"{key}.wav"


def test_a_recording_wins_and_a_stale_one_is_not_played(tmp_path, built):
    project = copy_project(tmp_path / "p")
    model = load(project)
    key, other = "questions.who.title", "answers.elderly.label"
    recorded(project, "vi", key, model.t("vi", "questions", "who", "title"))
    recorded(project, "vi", other, "Một câu khác")  # recorded from text that has since changed
    result = audio.build(model, project)
    assert result.kinds["vi"][key] == "recorded" and result.clips["vi"][key] != built.clips["vi"][key]
    assert result.kinds["vi"][other] == "synthetic" and result.clips["vi"][other] == built.clips["vi"][other]
    assert [r.key for r in result.stale] == [other]
    assert result.clips["en"][key] == built.clips["en"][key]  # another language keeps its own
    codec, channels, seconds, errors = probe(audio.cache_dir() / f"{result.clips['vi'][key]}.webm")
    assert codec == "opus" and errors == "" and seconds > 0.5
    lines, _ = audio.report(model, project)
    assert any("vi:" in line and "1 recorded" in line for line in lines), lines
    assert any("stale" in line and other in line for line in lines), lines

    # a commune's own recording wins over the shared one, in that commune's handbook only
    commune_dir = project / "content" / "communes" / "ngok-reo" / "recordings"
    recorded(project, "vi", key, model.t("vi", "questions", "who", "title"), folder=commune_dir,
             voice="vi-vn-x-central")
    own = audio.build(load(project, commune="ngok-reo"), project, commune="ngok-reo")
    assert own.kinds["vi"][key] == "recorded" and own.clips["vi"][key] not in (result.clips["vi"][key],
                                                                                built.clips["vi"][key])
    assert audio.build(model, project).clips["vi"][key] == result.clips["vi"][key]


def test_a_language_without_a_voice_is_spoken_through_recordings_only(tmp_path):
    tools_or_fail()
    project = copy_project(tmp_path / "p")
    config = project / "content" / "handbook.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('voices = { vi = "vi", en = "en" }',
                                                                 'voices = { vi = "vi" }'), encoding="utf-8")
    model = load(project)
    key = "answers.elderly.label"
    recorded(project, "en", key, model.t("en", "answers", "elderly", "label"))
    result = audio.build(model, project)
    assert result.kinds["en"] == {key: "recorded"}
    lines, _ = audio.report(model, project)
    total = len(audio.spoken(model, "en"))
    assert f"en: {total} spoken strings: 1 recorded, 0 synthetic (no synthetic voice), {total - 1} silent" in lines


BAD = {
    "not audio": (lambda d, key: (d / f"{key}.mp3").write_text("<html>not a recording</html>"), "not audio"),
    "empty": (lambda d, key: (d / f"{key}.m4a").write_bytes(b""), "empty (0 bytes)"),
    "far too long": (lambda d, key: voice_wav(d / f"{key}.wav", "Có", seconds_of_silence=40), "far longer"),
    "unknown string": (lambda d, key: voice_wav(d / "questions.nobody.title.wav", "Ai"), "is not a string"),
    "wrong extension": (lambda d, key: (d / f"{key}.docx").write_bytes(b"PK"), "not a recording's file name"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_bad_recording_is_refused_with_the_file_and_the_fix(tmp_path, case):
    tools_or_fail()
    project = copy_project(tmp_path / "p")
    key = "answers.elderly.label"
    folder = project / "content" / "recordings" / "vi"
    folder.mkdir(parents=True)
    (folder / audio.RECORDED).write_text(f'"{key}" = "Người cao tuổi"\n', encoding="utf-8")
    make, message = BAD[case]
    make(folder, key)
    with pytest.raises(ContentError) as error:
        audio.build(load(project), project)
    text = str(error.value)
    assert "content/recordings/vi/" in text and message in text and "fix:" in text, text
    assert "Traceback" not in text


def test_a_recording_without_its_text_and_an_unknown_language_are_refused(tmp_path):
    tools_or_fail()
    project = copy_project(tmp_path / "p")
    folder = project / "content" / "recordings" / "vi"
    folder.mkdir(parents=True)
    voice_wav(folder / "answers.elderly.label.wav", "Người cao tuổi")
    with pytest.raises(ContentError, match=r"recorded.toml: answers.elderly.label.wav: what it says is not "
                                           r"written\n    fix: add the line \"answers.elderly.label\" = "):
        audio.build(load(project), project)
    shutil.rmtree(project / "content" / "recordings" / "vi")
    (project / "content" / "recordings" / "bdq").mkdir()
    with pytest.raises(ContentError, match="'bdq' is not a language of the handbook"):
        audio.build(load(project), project)
    # and the build stops with the same message, nothing half made
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0 and "'bdq' is not a language of the handbook" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "site" / "index.html").exists()


def test_without_the_speech_tools_the_site_builds_silent_and_says_why(tmp_path, monkeypatch, model):
    from handbook.render import Renderer

    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng, no ffmpeg
    result = audio.build(model, ROOT)
    assert result.enabled is False and result.missing == ["espeak-ng", "ffmpeg"] and not result.files
    pages = Renderer(model, audio=result).render_all()
    assert not any("hb-listen" in html for html in pages.values())


CACHED = """async () => (await (await caches.open("hb-audio")).keys()).map(r => r.url)"""


# Clips play at 16 times their speed (Chromium's highest rate): what is checked is that each
# plays through, offline, and in order, not how long a person listens.
FAST = """(() => { const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () { this.playbackRate = 16; return play.call(this); }; })()"""


@pytest.mark.browser
def test_listen_plays_offline_on_the_kiosk_and_on_a_phone(browser, server, model):
    from test_offline import ACTIVATED

    # the kiosk keeps its language's clips (in the format it plays) with the rest
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(FAST)
    page = context.new_page()
    page.goto(server + "/kiosk/")
    assert page.evaluate(ACTIVATED) == "activated"
    manifest = json.loads(re.search(r"const MANIFEST = (.*);\n", page.evaluate(
        "fetch('/sw.js').then(r => r.text())")).group(1))
    wanted = {server + "/" + path for path, _, _ in manifest["audio"]["vi"]["webm"]}
    page.reload()  # now controlled: the kiosk asks the worker to keep its audio
    page.wait_for_selector("#hb-wizard[data-offline=saved]", state="attached", timeout=120_000)
    kept: set[str] = set()
    for _ in range(240):  # the worker fills the cache in the background: at most two minutes
        kept = set(page.evaluate(CACHED))
        if kept >= wanted:
            break
        page.wait_for_timeout(500)
    assert kept == wanted
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("#hb-wizard[data-engine=ready]", timeout=60_000)
    # one control reads the screen: the question, then each answer, marking the tile being read
    listen = page.locator('[data-step="who"] .hb-listen--question')
    listen.click()
    assert listen.get_attribute("aria-pressed") == "true"
    page.wait_for_selector('[data-step="who"] .hb-choice[data-speaking]', state="attached", timeout=30_000)
    page.wait_for_selector('[data-step="who"] .hb-listen--question[data-listen="ended"]', state="attached",
                           timeout=60_000)
    # the support slip, whole
    complete_wizard(page, who=["elderly"], situation=["no-id-papers"])
    page.locator(".hb-listen--slip").click()
    page.wait_for_selector('.hb-listen--slip[data-listen="ended"]', state="attached", timeout=60_000)
    # read each screen aloud: asked for once, then every screen speaks as it appears
    page.click('[data-go="restart"]')
    page.click(".hb-read-aloud")
    assert page.get_attribute(".hb-read-aloud", "aria-pressed") == "true"
    assert page.evaluate("window.hbListen.playing()") is True
    page.click(".hb-read-aloud")
    assert page.evaluate("window.hbListen.playing()") is False
    context.close()

    # a phone fetches a clip when it is played, and keeps it
    context = browser.new_context(viewport={"width": 375, "height": 812})
    context.add_init_script(FAST)
    page = context.new_page()
    situation = next(iter(model.situations))
    page.goto(f"{server}/guides/{situation}/")
    assert page.evaluate(ACTIVATED) == "activated"
    page.reload()
    assert page.evaluate(CACHED) == []
    step = page.locator(".hb-strip__panel .hb-listen").first
    step.click()
    page.wait_for_selector('.hb-strip__panel .hb-listen[data-listen="ended"]', state="attached", timeout=30_000)
    assert page.evaluate(CACHED) == [server + "/" + audio.AUDIO_DIR + "/" + step.get_attribute("data-clips") + ".webm"]
    context.set_offline(True)
    page.reload()
    step = page.locator(".hb-strip__panel .hb-listen").first
    step.click()
    page.wait_for_selector('.hb-strip__panel .hb-listen[data-listen="ended"]', state="attached", timeout=30_000)
    context.close()
