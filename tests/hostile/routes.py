"""Every route the server registers, read from the registrations in
src/api/*.cc (`server.Get(...)`, `server.Post(base + "/x", ...)`, where a
name is a constant of the same file or of a src/api/*.h header), as
(method, sample path) with each regex group replaced by a sample value.
A registration this reader cannot evaluate is an error, so a new way of
registering routes makes the suites that use it fail instead of skipping it."""
import glob, os, re

SAMPLES = [(r"(\d{1,18})", "1"), ("([A-Za-z0-9_-]{1,40})", "sillytavern"), ("([a-z]{1,16})", "chub")]
TOKEN = r'(?:R"\(.*?\)"|"(?:[^"\\]|\\.)*"|\w+)'
EXPR = rf"{TOKEN}(?:\s*\+\s*{TOKEN})*"
CALL = re.compile(rf"\bserver_?\.(Get|Post|Put|Patch|Delete|Options)\(\s*({EXPR})\s*,", re.S)
ASSIGN = re.compile(rf"(?:(?:inline )?constexpr char|const std::string)\s+(\w+)(?:\[\])?\s*=\s*({EXPR})\s*;")


def _evaluate(expr, names):
    parts = re.findall(TOKEN, expr, re.S)
    out = ""
    for p in parts:
        m = re.fullmatch(r'R"\((.*)\)"', p, re.S) or re.fullmatch(r'"((?:[^"\\]|\\.)*)"', p)
        if m:
            out += m.group(1)
        elif p in names:
            out += names[p]
        else:
            raise ValueError(f"cannot evaluate route part {p!r} in {expr!r}")
    return out


def _read_names(text, names):
    for m in ASSIGN.finditer(text):
        try:
            names[m.group(1)] = _evaluate(m.group(2), names)
        except ValueError:
            pass


def registered_routes(src_dir):
    routes = []
    shared = {}
    for path in sorted(glob.glob(os.path.join(src_dir, "api", "*.h"))):
        _read_names(open(path).read(), shared)
    for path in sorted(glob.glob(os.path.join(src_dir, "api", "*.cc"))):
        if path.endswith("_test.cc"):
            continue
        text = open(path).read()
        names = dict(shared)
        _read_names(text, names)
        calls = len(re.findall(r"\bserver_?\.(?:Get|Post|Put|Patch|Delete|Options)\(", text))
        found = CALL.findall(text)
        if calls != len(found):
            raise ValueError(f"{os.path.basename(path)}: {calls} route registrations but only {len(found)} readable")
        for m in CALL.finditer(text):
            pattern = _evaluate(m.group(2), names)
            sample = pattern
            for regex, value in SAMPLES:
                sample = sample.replace(regex, value)
            if "(" in sample or "\\" in sample:
                raise ValueError(f"{os.path.basename(path)}: no sample value for a group in {pattern!r}")
            routes.append((m.group(1).upper(), sample, pattern))
    return routes


if __name__ == "__main__":
    import sys
    for r in registered_routes(sys.argv[1]):
        print(*r)
