// Backstride interval timer: the one hand-written script of the app.
//
// Time is never counted in ticks. The position in the session is derived from
// timestamps (performance.timeOrigin + performance.now(), a monotonic clock in
// epoch milliseconds), so the timer stays right when the tab is in the
// background, the screen sleeps or the page is reloaded (the start time is kept
// in sessionStorage). Ticks only repaint and fire the cue of a step that began.
//
// data-speed on the root element multiplies the clock (a test clock: speed=60
// plays a minute a second).

const root = document.querySelector("[data-timer]");

if (root) {
  const steps = JSON.parse(document.getElementById("timer-steps").textContent);
  const speed = Math.max(1, Number(root.dataset.speed) || 1);
  const storageKey = root.dataset.storageKey;
  const logUrl = root.dataset.logUrl;
  const text = {
    next: root.dataset.lNext,
    finished: root.dataset.lFinished,
    pause: root.dataset.lPause,
    resume: root.dataset.lResume,
    nothing: root.dataset.lNothing,
    done: root.dataset.lDone,
  };
  const el = {
    label: root.querySelector("[data-label]"),
    count: root.querySelector("[data-count]"),
    note: root.querySelector("[data-note]"),
    next: root.querySelector("[data-next]"),
    bar: root.querySelector("[data-bar]"),
    totalLeft: root.querySelector("[data-total-left]"),
    toggle: root.querySelector("[data-toggle]"),
    finish: root.querySelector("[data-finish]"),
    walkHome: root.querySelector("[data-walk-home]"),
    end: root.querySelector("[data-end]"),
  };

  // Cumulative start of each step, in session seconds.
  const starts = [];
  let total = 0;
  for (const step of steps) {
    starts.push(total);
    total += step.seconds;
  }

  const now = () => performance.timeOrigin + performance.now();

  // state: startedAt (epoch ms), pausedAt (epoch ms or null), pausedMs (total paused).
  let state = load();
  let shownIndex = -2;
  let audio = null;
  let wakeLock = null;
  let frame = null;

  function load() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(storageKey) || "null");
      if (saved && typeof saved.startedAt === "number") return saved;
    } catch (error) {
      // Private mode or corrupt data: start fresh.
    }
    return null;
  }

  function save() {
    try {
      if (state) sessionStorage.setItem(storageKey, JSON.stringify(state));
      else sessionStorage.removeItem(storageKey);
    } catch (error) {
      // Storage refused: the timer still works, it just cannot survive a reload.
    }
  }

  // Session seconds elapsed, from the timestamps alone.
  function elapsed() {
    if (!state) return 0;
    const until = state.pausedAt ?? now();
    return Math.max(0, ((until - state.startedAt - state.pausedMs) * speed) / 1000);
  }

  function position(seconds) {
    if (seconds >= total) return { index: steps.length, left: 0 };
    let index = 0;
    while (index + 1 < steps.length && starts[index + 1] <= seconds) index += 1;
    return { index, left: starts[index] + steps[index].seconds - seconds };
  }

  // Running seconds done so far: whole run steps passed plus the current one's share.
  function runSeconds(seconds) {
    let ran = 0;
    steps.forEach((step, i) => {
      if (step.kind !== "run") return;
      ran += Math.min(step.seconds, Math.max(0, seconds - starts[i]));
    });
    return Math.round(ran);
  }

  function clock(seconds) {
    const whole = Math.ceil(seconds);
    const m = Math.floor(whole / 60);
    const s = String(whole % 60).padStart(2, "0");
    return `${m}:${s}`;
  }

  function render() {
    if (!state) return; // not started: the page shows "Ready"
    const seconds = elapsed();
    const { index, left } = position(seconds);
    if (index !== shownIndex) {
      enterStep(index, shownIndex !== -2);
      shownIndex = index;
    }
    if (index < steps.length) {
      const step = steps[index];
      el.count.textContent = clock(left);
      el.bar.style.width = `${(100 * (step.seconds - left)) / step.seconds}%`;
    }
    el.totalLeft.textContent = clock(Math.max(0, total - seconds));
    if (!state.pausedAt && index < steps.length) schedule();
  }

  function enterStep(index, cue) {
    root.dataset.stepIndex = String(index);
    if (index >= steps.length) {
      finish(cue);
      return;
    }
    const step = steps[index];
    root.dataset.stepKind = step.kind;
    root.dataset.history = `${root.dataset.history || ""} ${step.kind}`.trim();
    el.label.textContent = step.label;
    el.note.textContent = step.note;
    const following = steps[index + 1];
    el.next.textContent = following
      ? `${text.next}: ${following.label} ${clock(following.seconds)}`
      : `${text.next}: ${text.nothing}`;
    if (cue) announce(step);
  }

  function finish(cue) {
    root.dataset.stepKind = "finished";
    el.label.textContent = text.finished;
    el.count.textContent = "0:00";
    el.note.textContent = text.done;
    el.next.textContent = "";
    el.bar.style.width = "100%";
    el.toggle.hidden = true;
    el.end.hidden = true;
    el.walkHome.hidden = true;
    el.finish.hidden = false;
    el.finish.href = logLink({ status: "done", ran: runSeconds(total) });
    if (cue) announce({ say: text.finished, kind: "finished" });
    releaseWakeLock();
  }

  function schedule() {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(render);
  }

  // --- Cues: beep (WebAudio), voice (speechSynthesis), vibration ---------------------

  function announce(step) {
    beep(step.kind === "run" ? 880 : 660);
    if ("vibrate" in navigator) navigator.vibrate(step.kind === "run" ? [300, 100, 300] : [300]);
    if ("speechSynthesis" in window && step.say) {
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(new SpeechSynthesisUtterance(step.say));
    }
  }

  function beep(frequency) {
    if (!audio) return;
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.25, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + 0.4);
  }

  function unlockAudio() {
    // Browsers allow sound only after a tap: create the context on the start button.
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) audio = new Context();
    if (audio && audio.state === "suspended") audio.resume();
  }

  // --- Screen wake lock --------------------------------------------------------------

  async function keepAwake() {
    if (!("wakeLock" in navigator) || wakeLock) return;
    try {
      wakeLock = await navigator.wakeLock.request("screen");
      wakeLock.addEventListener("release", () => { wakeLock = null; });
    } catch (error) {
      wakeLock = null; // refused (battery saver, not visible): the timer still keeps time
    }
  }

  function releaseWakeLock() {
    if (wakeLock) wakeLock.release();
    wakeLock = null;
  }

  // --- Controls ----------------------------------------------------------------------

  function toggle() {
    unlockAudio();
    if (!state) {
      state = { startedAt: now(), pausedAt: null, pausedMs: 0 };
      shownIndex = -1; // so the first step is announced
    } else if (state.pausedAt) {
      state.pausedMs += now() - state.pausedAt;
      state.pausedAt = null;
    } else {
      state.pausedAt = now();
    }
    save();
    updateToggle();
    showSessionControls();
    if (state.pausedAt) releaseWakeLock();
    else keepAwake();
    render();
  }

  function updateToggle() {
    const paused = state && state.pausedAt;
    el.toggle.textContent = !state ? el.toggle.textContent : paused ? text.resume : text.pause;
    root.dataset.paused = paused ? "true" : "false";
  }

  function showSessionControls() {
    el.walkHome.hidden = false;
    el.end.hidden = false;
  }

  function logLink(params) {
    const query = new URLSearchParams(params);
    return `${logUrl}?${query.toString()}`;
  }

  function leave(params) {
    const ran = runSeconds(elapsed());
    state = null;
    save();
    releaseWakeLock();
    window.location.assign(logLink({ ...params, ran }));
  }

  el.toggle.addEventListener("click", toggle);
  el.walkHome.addEventListener("click", () => leave({ status: "partial", walked_home: "1" }));
  el.end.addEventListener("click", () => leave({ status: "partial" }));
  el.finish.addEventListener("click", () => { state = null; save(); });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && state && !state.pausedAt) {
      keepAwake();
      render();
    }
  });
  // requestAnimationFrame stops in a background tab; this keeps the cues coming there.
  setInterval(() => { if (state && !state.pausedAt) render(); }, 500);

  if (state) {
    shownIndex = position(elapsed()).index; // resumed after a reload: no stale cue
    showSessionControls();
    enterStep(shownIndex, false);
    updateToggle();
    if (!state.pausedAt) keepAwake();
  }
  // Tells people-driven tests (and assistive tooling) that the buttons are live.
  root.dataset.ready = "true";
  render();
}
