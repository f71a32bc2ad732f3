// Run bplab's unit tests inside Pyodide under Node.js: the Python, numpy, matplotlib and
// scikit-learn the website's Run buttons use (Python 3.12, numpy 2.0.2, matplotlib 3.8.4,
// scikit-learn 1.6.1), not the virtual environment's.
//
//   node tools/pyodide_pytest.mjs tests/test_network.py [more test files or pytest args]
//
// Needs `npm ci` (the runtime), then `python tools/pyodide_assets.py --tests` (the verified
// wheels in .cache/pyodide/site and pytest/hypothesis in .cache/pyodide/test-wheels). Every
// file is read from those folders: nothing is fetched from the network. bplab and the tests
// are the repository's own files (mounted at /repo), so the run tests the working tree.
// Exit status: pytest's.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SITE = join(ROOT, ".cache", "pyodide", "site");
const TEST_WHEELS = join(ROOT, ".cache", "pyodide", "test-wheels");

function fail(message) {
  console.error(`pyodide_pytest: ${message}`);
  process.exit(2);
}

const lockPath = join(SITE, "pyodide-lock.json");
if (!existsSync(lockPath) || !existsSync(TEST_WHEELS)) {
  fail("no assets: run `python tools/pyodide_assets.py --tests` first");
}
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
for (const entry of Object.values(lock.packages)) {
  // a file missing here would make Pyodide fetch it from its CDN: refuse instead
  if (!existsSync(join(SITE, entry.file_name))) fail(`${entry.file_name} missing in ${SITE}`);
}

const pyodide = await loadPyodide({
  indexURL: SITE + "/", packageCacheDir: SITE + "/", lockFileURL: lockPath,
});
// raw writes, so that pytest's progress dots stay on one line
pyodide.setStdout({ write: (buf) => { process.stdout.write(buf); return buf.length; } });
pyodide.setStderr({ write: (buf) => { process.stderr.write(buf); return buf.length; } });
await pyodide.loadPackage(["numpy", "matplotlib", "scikit-learn", "tqdm", "packaging"],
  { messageCallback: () => {} });
for (const name of readdirSync(TEST_WHEELS).filter((f) => f.endsWith(".whl"))) {
  pyodide.unpackArchive(new Uint8Array(readFileSync(join(TEST_WHEELS, name))), "wheel",
    { extractDir: "/lib/python3.12/site-packages" });
}
pyodide.FS.mkdirTree("/repo");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: ROOT }, "/repo");

const args = process.argv.slice(2);
pyodide.globals.set("ARGS", pyodide.toPy(args.length ? args : ["tests/test_network.py"]));
const code = await pyodide.runPythonAsync(`
import os, sys, platform
os.chdir("/repo")
sys.path.insert(0, "/repo")
os.environ["MPLBACKEND"] = "Agg"
import numpy, matplotlib, sklearn, pytest
print(f"Pyodide: Python {platform.python_version()}, numpy {numpy.__version__}, "
      f"matplotlib {matplotlib.__version__}, scikit-learn {sklearn.__version__}")
_rc = int(pytest.main(["-q", "-p", "no:cacheprovider", *ARGS]))
sys.stdout.flush(); sys.stderr.flush()
_rc
`);
process.exit(code);
