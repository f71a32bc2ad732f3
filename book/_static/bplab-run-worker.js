/* bplab: the Web Worker behind the Run buttons (bplab-run.js). It loads Pyodide and the
 * wheels from this site's _static/pyodide/ (listed in the pyodide-lock.json there, every one
 * checked against the official lock at build time) and runs the cells of one page in one
 * Python namespace. Messages out: status, ready, fatal, stream, display, error, note, done. */
"use strict";

let pyodide = null;
let starting = null;
let runCell = null;
let lockImports = {};   // import name -> package, for the packages this site serves

// What a page's code names without importing it: bplab.datasets.digits() imports sklearn.
const LAZY = [[/\bdigits\b/, "scikit-learn"]];

const PRELUDE = String.raw`
import ast, base64, builtins, io, linecache, logging, os, re, sys, traceback, types
from js import post_output

# "Matplotlib is building the font cache" (first use in a page): not the cell's output
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

# matplotlib is imported by the cells that use it, not here (a faster first output): its
# backend is this small module, Agg drawing whose show() sends the figures to the page.
_BACKEND = """
from matplotlib.backend_bases import FigureManagerBase as FigureManager
from matplotlib.backends.backend_agg import FigureCanvasAgg as FigureCanvas


def show(*args, **kwargs):
    import sys
    sys.modules["bplab_run_kernel"].flush_figures()
"""
with open("/home/pyodide/bplab_page_backend.py", "w") as _f:
    _f.write(_BACKEND)
sys.path.insert(0, "/home/pyodide")
os.environ["MPLBACKEND"] = "module://bplab_page_backend"

NS = {"__name__": "__main__", "__builtins__": builtins}
for _stream in (sys.stdout, sys.stderr):   # a print shows at once, even before a long loop
    try:
        _stream.reconfigure(line_buffering=True)
    except (AttributeError, ValueError):
        pass
CURRENT = {"id": 0}


def _post(kind, **fields):
    post_output(kind, CURRENT["id"], fields.get("name", ""), fields.get("mime", ""),
                fields.get("data", ""))


def _flush_figures():
    sys.stdout.flush()
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return
    for num in plt.get_fignums():
        fig = plt.figure(num)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight")
        _post("display", mime="image/png", data=base64.b64encode(buf.getvalue()).decode())
    plt.close("all")


sys.modules["bplab_run_kernel"] = types.SimpleNamespace(flush_figures=lambda: _flush_figures())


def display(*objs, **kwargs):
    """IPython's display(), for the page: the richest format this page can show."""
    sys.stdout.flush()
    for obj in objs:
        for meth, mime in (("_repr_png_", "image/png"), ("_repr_svg_", "image/svg+xml"),
                           ("_repr_html_", "text/html"), ("_repr_markdown_", "text/markdown")):
            fn = getattr(obj, meth, None)
            data = fn() if callable(fn) else None
            if data is not None:
                if isinstance(data, bytes):
                    data = base64.b64encode(data).decode()
                _post("display", mime=mime, data=data)
                break
        else:
            _post("display", mime="text/plain", data=repr(obj))


class _Data:
    def __init__(self, data=None, **kwargs):
        self.data = data

    def __repr__(self):
        return f"<IPython.core.display.{type(self).__name__} object>"


class Markdown(_Data):
    def _repr_markdown_(self):
        return self.data


class HTML(_Data):
    def _repr_html_(self):
        return self.data


class SVG(_Data):
    def _repr_svg_(self):
        return self.data


def _shim_ipython():
    """A small IPython.display (display, Markdown, HTML, SVG): the real IPython is a Jupyter
    kernel's, not served here."""
    ipy = types.ModuleType("IPython")
    disp = types.ModuleType("IPython.display")
    for name, value in (("display", display), ("Markdown", Markdown), ("HTML", HTML),
                        ("SVG", SVG)):
        setattr(disp, name, value)
    ipy.display = disp
    ipy.get_ipython = lambda: None
    sys.modules.setdefault("IPython", ipy)
    sys.modules.setdefault("IPython.display", disp)


_shim_ipython()
NS["display"] = display


class NotInTheBrowser(RuntimeError):
    """What a cell asked for cannot happen in a web page."""


def _input(prompt=""):
    raise NotInTheBrowser("input() waits for typing, which a cell in this page cannot do: "
                          "put the value in the code instead.")


builtins.input = _input


def _magic(line):
    word = line.lstrip("%!").split()[0] if line.strip("%! ") else line
    if word == "matplotlib":
        return None   # figures already appear under the cell
    raise NotInTheBrowser(f"'{line.strip()}' is a Jupyter command, not Python; it needs a "
                          f"Jupyter kernel (bplab, numpy, matplotlib and scikit-learn are "
                          f"already here).")


NS["_bplab_magic"] = _magic
_MAGIC = re.compile(r"^(\s*)([%!].*)$")


def _translate(code):
    return "\n".join(_MAGIC.sub(lambda m: f"{m.group(1)}_bplab_magic({m.group(2)!r})", line)
                     for line in code.split("\n"))


HINTS = [
    (lambda e: isinstance(e, RuntimeError) and "can't start new thread" in str(e),
     "This cell starts threads, which Python in the browser cannot do (Pyodide has a single "
     "thread). It runs in a Jupyter kernel (make lab, Binder, Colab)."),
    (lambda e: isinstance(e, ModuleNotFoundError) and (e.name or "").split(".")[0] in
     ("torch", "ipywidgets", "nbformat", "nbclient"),
     "This cell needs a package the page does not have ({}): it runs in a Jupyter kernel "
     "(make lab, Binder, Colab). The other cells of the page run here."),
]


def run_cell(cell_id, number, code):
    """Run one cell like Jupyter: statements, then the last expression's value displayed."""
    CURRENT["id"] = cell_id
    name = f"<cell {number}>"
    source = _translate(code)
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    try:
        tree = ast.parse(source, name)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr) and not code.rstrip().endswith(";"):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, name, "exec"), NS)
        if last is not None:
            value = eval(compile(last, name, "eval"), NS)
            if value is not None:
                NS["_"] = value
                if type(value).__module__.startswith("matplotlib"):
                    pass   # the figure itself is drawn below, as in Jupyter
                else:
                    display(value)
        _flush_figures()
        return True
    except BaseException as exc:   # noqa: B902 - report everything, as a notebook does
        sys.stdout.flush()
        _flush_figures()
        tb = exc.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != name:
            tb = tb.tb_next   # hide this runner's frames
        if tb is None:   # it did not start: a syntax error
            text = "".join(traceback.format_exception_only(type(exc), exc))
        else:
            text = "".join(traceback.format_exception(type(exc), exc, tb))
        _post("error", data=text)
        for test, hint in HINTS:
            if test(exc):
                _post("note", data=hint.format(getattr(exc, "name", "")))
        if isinstance(exc, ModuleNotFoundError):
            _post("missing", data=(exc.name or "").split(".")[0])
        return False
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
`;

function post(msg) { self.postMessage(msg); }

// Jupyter's %magics and !commands are not Python: left out when looking for imports.
function pythonOnly(code) { return code.replace(/^(\s*)[%!].*$/gm, "$1pass"); }

async function init(indexURL, pageCode) {
  const phases = {}, t0 = performance.now();
  const mark = (name) => { phases[name] = Math.round(performance.now() - t0); };
  post({ type: "status", text: "Loading Python (Pyodide) from this site…" });
  importScripts(indexURL + "pyodide.js");
  pyodide = await loadPyodide({ indexURL, lockFileURL: indexURL + "pyodide-lock.json",
                                packageCacheDir: indexURL });
  mark("runtime_ms");
  const lock = await (await fetch(indexURL + "pyodide-lock.json")).json();
  for (const [name, entry] of Object.entries(lock.packages)) {
    for (const mod of entry.imports || []) lockImports[mod] = name;
  }
  const wanted = new Set(["bplab"]);   // bplab, numpy, matplotlib (bplab's lock entry)
  for (const [pattern, pkg] of LAZY) if (pattern.test(pageCode)) wanted.add(pkg);
  try {
    const found = pyodide.pyimport("pyodide.code").find_imports(pythonOnly(pageCode)).toJs();
    for (const mod of found) if (lockImports[mod.split(".")[0]]) wanted.add(lockImports[mod.split(".")[0]]);
  } catch (e) { /* a cell that does not parse: its own run will say so */ }
  post({ type: "status", text: `Loading ${[...wanted].join(", ")} …` });
  await pyodide.loadPackage([...wanted], { messageCallback: () => {}, errorCallback: () => {} });
  mark("packages_ms");
  self.post_output = (kind, id, name, mime, data) => {
    if (kind === "missing") { missing = data; return; }
    post({ type: kind, id, name, mime, data, text: data });
  };
  pyodide.setStdout({ write: (buf) => streamOut("stdout", buf) });
  pyodide.setStderr({ write: (buf) => streamOut("stderr", buf) });
  pyodide.runPython(PRELUDE + "\nimport bplab");
  runCell = pyodide.globals.get("run_cell");
  const info = pyodide.runPython(
    "import platform, numpy; f'Python {platform.python_version()}, numpy {numpy.__version__}'");
  mark("bplab_imported_ms");
  post({ type: "ready", phases, text: `Python is running in your browser (${info}, bplab).` });
}

let currentId = 0;
let missing = null;
const decoder = new TextDecoder();
function streamOut(name, buf) {
  post({ type: "stream", id: currentId, name, text: decoder.decode(buf, { stream: true }) });
  return buf.length;
}

async function run(id, cell, code) {
  currentId = id;
  missing = null;
  try {
    await pyodide.loadPackagesFromImports(pythonOnly(code), { messageCallback: () => {} });
  } catch (e) { /* an import the site does not serve: the run reports ModuleNotFoundError */ }
  const ok = runCell(id, cell, code);
  if (!ok && missing && lockImports[missing]) {
    const pkg = lockImports[missing];
    await pyodide.loadPackage([pkg], { messageCallback: () => {} });
    post({ type: "note", id, text: `${pkg} was not loaded yet; it is now: press Run again.` });
  }
  post({ type: "done", id, ok });
}

let chain = Promise.resolve();
self.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type === "init") {
    starting = init(msg.indexURL, msg.pageCode).catch((e) => {
      post({ type: "fatal", text: `Python could not start: ${e && e.message ? e.message : e}` });
      throw e;
    });
  } else if (msg.type === "run") {
    chain = chain.then(() => starting).then(() => run(msg.id, msg.cell, msg.code))
      .catch((e) => post({ type: "done", id: msg.id, ok: false,
                           text: `${e && e.message ? e.message : e}` }));
  }
};
