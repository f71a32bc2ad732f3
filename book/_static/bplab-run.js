/* bplab: Run buttons on the code cells. Python (Pyodide) runs in a Web Worker, loaded from
 * this site's _static/pyodide/ on the first click only; the cells of a page share one Python,
 * like a notebook's kernel. Added by book/_ext/bplab_run.py to pages with code cells. */
(function () {
  "use strict";
  const SCRIPT = document.currentScript && document.currentScript.src;
  if (!SCRIPT || typeof Worker === "undefined") return;
  const WORKER_URL = new URL("bplab-run-worker.js", SCRIPT).href;
  const INDEX_URL = new URL("pyodide/", SCRIPT).href;

  const state = {
    worker: null, ready: false, busy: null, queue: [], cells: [], nextId: 1,
    timings: { firstClick: null, ready: null, firstOutput: null },
  };
  window.bplabRun = state;   // read by the browser tests (timings) and handy in the console

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else e.setAttribute(k, v);
    }
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function setStatus(text) {
    state.statusEl.textContent = text;
  }

  // -- the worker ---------------------------------------------------------------------------
  function startWorker() {
    state.worker = new Worker(WORKER_URL);
    state.ready = false;
    state.worker.onmessage = (ev) => onMessage(ev.data);
    state.worker.onerror = (ev) => {
      ev.preventDefault();
      failAll(`Python could not start in this browser: ${ev.message || "worker error"}.`);
    };
    const page = state.cells.map((c) => c.code()).join("\n");
    state.worker.postMessage({ type: "init", indexURL: INDEX_URL, pageCode: page });
    setStatus("Loading Python in your browser (Pyodide, about 25 MB, from this site)…");
  }

  function failAll(text) {
    if (state.busy) finish(state.busy, false, text);
    for (const job of state.queue.splice(0)) finish(job, false, text);
    if (state.worker) state.worker.terminate();
    state.worker = null;
    setStatus(text);
  }

  function onMessage(msg) {
    const job = state.busy;
    switch (msg.type) {
      case "status":
        setStatus(msg.text);
        break;
      case "ready":
        state.ready = true;
        if (state.timings.ready === null) {
          state.timings.ready = performance.now();
          state.timings.phases = msg.phases;   // load steps inside the worker, in ms
        }
        setStatus(msg.text);
        break;
      case "fatal":
        failAll(msg.text);
        break;
      case "stream": case "display": case "error": case "note":
        if (job && job.id === msg.id) show(job.cell, msg);
        break;
      case "done":
        if (job && job.id === msg.id) finish(job, msg.ok);
        break;
    }
  }

  function submit(cell) {
    if (cell.pending) return;
    if (state.timings.firstClick === null) state.timings.firstClick = performance.now();
    if (!state.worker) startWorker();
    const job = { id: state.nextId++, cell };
    cell.pending = job;
    clearOutput(cell);
    cell.out.hidden = false;
    cell.stored.forEach((s) => { s.style.display = "none"; });   // this run's output replaces it
    cell.runBtn.disabled = true;
    cell.root.classList.add("bplab-run-queued");
    state.queue.push(job);
    pump();
  }

  function pump() {
    if (state.busy || !state.queue.length || !state.worker) return;
    const job = (state.busy = state.queue.shift());
    job.cell.root.classList.replace("bplab-run-queued", "bplab-run-running");
    job.cell.stopBtn.hidden = false;
    job.cell.note.textContent = "Running…";
    state.worker.postMessage({ type: "run", id: job.id, code: job.cell.code(),
                               cell: job.cell.index + 1 });
  }

  function finish(job, ok, text) {
    const cell = job.cell;
    if (state.busy === job) state.busy = null;
    cell.pending = null;
    cell.runBtn.disabled = false;
    cell.stopBtn.hidden = true;
    cell.root.classList.remove("bplab-run-queued", "bplab-run-running");
    cell.note.textContent = text || (ok ? "Ran in your browser." : "Stopped with an error.");
    cell.root.dataset.bplabRun = ok ? "ok" : "error";
    pump();
  }

  function stop() {
    const text = "Stopped. Python was restarted, so the variables of earlier cells are gone: " +
                 "run those cells again.";
    failAll(text);
    state.cells.forEach((c) => { if (c.out.childNodes.length) c.note.textContent = text; });
  }

  function reset() {
    if (state.worker) state.worker.terminate();
    state.worker = null; state.busy = null; state.queue = []; state.ready = false;
    for (const cell of state.cells) {
      cell.pending = null;
      clearOutput(cell);
      cell.out.hidden = true;
      cell.stored.forEach((s) => { s.style.display = ""; });
      cell.runBtn.disabled = false;
      cell.stopBtn.hidden = true;
      cell.note.textContent = "";
      cell.root.classList.remove("bplab-run-queued", "bplab-run-running");
      delete cell.root.dataset.bplabRun;
      if (cell.editor) cell.editor.value = cell.original;
    }
    setStatus("Reset: Python restarts on the next Run; the stored code and outputs are back.");
  }

  // -- outputs ------------------------------------------------------------------------------
  function clearOutput(cell) {
    cell.out.replaceChildren();
    cell.lastStream = null;
  }

  function show(cell, msg) {
    if (state.timings.firstOutput === null) state.timings.firstOutput = performance.now();
    if (msg.type === "stream") {
      if (!cell.lastStream || cell.lastStream.dataset.name !== msg.name) {
        cell.lastStream = el("pre", { class: `bplab-run-stream bplab-run-${msg.name}`,
                                      "data-name": msg.name });
        cell.out.append(cell.lastStream);
      }
      cell.lastStream.textContent += msg.text;
      return;
    }
    cell.lastStream = null;
    if (msg.type === "error") {
      cell.out.append(el("pre", { class: "bplab-run-error" }, msg.text));
    } else if (msg.type === "note") {
      cell.out.append(el("p", { class: "bplab-run-warning", role: "note" }, msg.text));
    } else if (msg.type === "display") {
      cell.out.append(render(msg.mime, msg.data, cell));
    }
  }

  function render(mime, data, cell) {
    if (mime === "image/png") {
      cell.figures = (cell.figures || 0) + 1;
      return el("img", { class: "bplab-run-figure", src: `data:image/png;base64,${data}`,
                         alt: `Figure ${cell.figures} drawn by this run of cell ${cell.index + 1}` });
    }
    if (mime === "text/html" || mime === "image/svg+xml") {
      const div = el("div", { class: "bplab-run-html" });
      div.innerHTML = data;   // made by the reader's own Python in this page
      return div;
    }
    if (mime === "text/markdown") return markdown(data);
    return el("pre", { class: "bplab-run-result" }, data);
  }

  function inline(text) {
    const esc = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return esc.replace(/&lt;br&gt;/g, "<br>")
      .replace(/`([^`]+)`/g, "<code>$1</code>")
      .replace(/\\([|*_`\\])/g, "$1");
  }

  function markdown(text) {
    // enough Markdown for the course's tables: pipe tables, `code`, <br> and escapes
    const div = el("div", { class: "bplab-run-markdown" });
    const lines = text.split("\n");
    const cells = (line) => line.replace(/^\s*\||\|\s*$/g, "").split(/(?<!\\)\|/).map((c) => c.trim());
    let i = 0;
    while (i < lines.length) {
      if (/^\s*\|/.test(lines[i]) && i + 1 < lines.length && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1])) {
        const table = el("table", { class: "bplab-run-table" });
        const head = table.createTHead().insertRow();
        cells(lines[i]).forEach((c) => { const th = el("th"); th.innerHTML = inline(c); head.append(th); });
        const body = table.createTBody();
        for (i += 2; i < lines.length && /^\s*\|/.test(lines[i]); i++) {
          const row = body.insertRow();
          cells(lines[i]).forEach((c) => { row.insertCell().innerHTML = inline(c); });
        }
        const wrap = el("div", { class: "bplab-run-table-wrap" });
        wrap.append(table);
        div.append(wrap);
      } else {
        if (lines[i].trim()) { const p = el("p"); p.innerHTML = inline(lines[i]); div.append(p); }
        i++;
      }
    }
    return div;
  }

  // -- the cells ----------------------------------------------------------------------------
  function editCell(cell) {
    const details = cell.pre.closest("details");
    if (details) details.open = true;   // a hidden input: show it to edit it
    if (cell.editor) { cell.editor.focus(); return; }
    const ed = el("textarea", { class: "bplab-run-editor", spellcheck: "false",
                                "aria-label": `Code of cell ${cell.index + 1} (editable)` });
    ed.value = cell.original;
    ed.rows = Math.max(3, cell.original.split("\n").length + 1);
    ed.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && (ev.shiftKey || ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault(); submit(cell);
      }
    });
    cell.pre.parentNode.insertBefore(ed, cell.pre);
    cell.pre.style.display = "none";
    cell.editor = ed;
    cell.editBtn.textContent = "Editing";
    cell.editBtn.setAttribute("aria-pressed", "true");
    ed.setSelectionRange(0, 0);   // the caret at the start: the code shows from its first column
    ed.focus();
    ed.scrollLeft = 0;
  }

  function setup() {
    const nodes = [...document.querySelectorAll("div.cell")].filter(
      (c) => c.querySelector(".cell_input pre"));
    if (!nodes.length) return;
    const article = document.querySelector("article") || document.body;
    const bar = el("div", { class: "bplab-run-bar", role: "region",
                            "aria-label": "Run the code in your browser" });
    const runAll = el("button", { type: "button", class: "bplab-run-btn" }, "Run all cells");
    const resetBtn = el("button", { type: "button", class: "bplab-run-btn" }, "Reset Python");
    state.statusEl = el("span", { class: "bplab-run-status", role: "status", "aria-live": "polite" },
      "Each code cell has a Run button: Python runs in your browser, served by this site; " +
      "edit a cell's code and run it again. Cells share their variables, in page order.");
    bar.append(runAll, resetBtn, state.statusEl);
    nodes[0].parentNode.insertBefore(bar, nodes[0]);
    nodes.forEach((root, index) => {
      const pre = root.querySelector(".cell_input pre");
      const original = pre.textContent.replace(/\n$/, "");
      const cell = { root, pre, original, index, editor: null, pending: null,
                     stored: [...root.querySelectorAll(":scope > .cell_output, :scope > details .cell_output")] };
      cell.code = () => (cell.editor ? cell.editor.value : cell.original);
      const tools = el("div", { class: "bplab-run-tools" });
      cell.runBtn = el("button", { type: "button", class: "bplab-run-btn bplab-run-run",
                                   "aria-label": `Run cell ${index + 1}` }, "▶ Run");
      cell.editBtn = el("button", { type: "button", class: "bplab-run-btn",
                                    "aria-label": `Edit the code of cell ${index + 1}`,
                                    "aria-pressed": "false" }, "Edit");
      cell.stopBtn = el("button", { type: "button", class: "bplab-run-btn bplab-run-stop",
                                    "aria-label": `Stop cell ${index + 1} (restarts Python)` }, "■ Stop");
      cell.stopBtn.hidden = true;
      cell.note = el("span", { class: "bplab-run-note", "aria-live": "polite" });
      tools.append(cell.runBtn, cell.editBtn, cell.stopBtn, cell.note);
      cell.out = el("div", { class: "bplab-run-output", "aria-label": `Output of cell ${index + 1}`,
                             role: "region" });
      cell.out.hidden = true;
      root.insertBefore(tools, root.firstChild);
      const input = root.querySelector(".cell_input");
      const after = input.closest("details") && input.closest("details").parentNode === root
        ? input.closest("details") : input;
      after.after(cell.out);
      cell.runBtn.addEventListener("click", () => submit(cell));
      cell.editBtn.addEventListener("click", () => editCell(cell));
      cell.stopBtn.addEventListener("click", stop);
      state.cells.push(cell);
    });
    runAll.addEventListener("click", () => state.cells.forEach(submit));
    resetBtn.addEventListener("click", reset);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
