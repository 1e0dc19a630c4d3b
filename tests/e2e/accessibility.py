"""axe-core in the real window: every screen the stories photograph is also checked by axe-core
(AUTHDESK_AXE_JS, pinned in tests/e2e/axe/package.json), injected through WebDriver; any violation
fails the story that showed that screen. The totals go to docs/accessibility.md at the end of the
run (`write_report`).

Rules: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
"""

import json
import os
from pathlib import Path

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_JS = os.environ.get("AUTHDESK_AXE_JS")
# name -> {"passes": [rule ids], "violations": [...], "inapplicable": n}
RESULTS: dict = {}

RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})
  .then(r => done({
    version: axe.version,
    passes: r.passes.map(p => p.id),
    violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
    })),
  }))
  .catch(e => done({error: String(e)}));
""" % json.dumps(TAGS)


def audit(driver, name):
    """Runs axe-core on the page as it is; raises AssertionError naming every violation."""
    if not AXE_JS:
        raise AssertionError("AUTHDESK_AXE_JS is not set: scripts/e2e.sh installs axe-core and sets it")
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(Path(AXE_JS).read_text())
    result = driver.execute_async_script(RUN)
    if "error" in result:
        raise AssertionError(f"axe-core failed on {name}: {result['error']}")
    RESULTS[name] = result
    if result["violations"]:
        lines = [f"axe-core: {len(result['violations'])} violation(s) on {name}:"]
        for v in result["violations"]:
            lines.append(f"  {v['id']} ({v['impact']}): {v['help']}")
            lines += [f"      {n['target']}: {n['summary']}" for n in v["nodes"]]
        raise AssertionError("\n".join(lines))


def write_report(path: Path):
    """docs/accessibility.md: the screens checked, the rules that passed on each, the violations."""
    if not RESULTS:
        return
    version = next(iter(RESULTS.values())).get("version", "?")
    rules = sorted({r for res in RESULTS.values() for r in res["passes"]})
    violations = sum(len(res["violations"]) for res in RESULTS.values())
    lines = [
        "# Accessibility: axe-core on every screen",
        "",
        f"Written by the end-to-end run (`scripts/e2e.sh`): axe-core {version}, rule tags "
        + ", ".join(f"`{t}`" for t in TAGS)
        + ", injected through WebDriver into the real window (WebKitGTK) at every screenshot of the "
        "stories, light and dark, in English, German, Spanish and the pseudo-locale (`pseudo-locale/…`), "
        "and at 200 % text (`text-200/…`). A violation fails the story.",
        "",
        f"**Screens and states checked: {len(RESULTS)}. Rules that applied and passed: {len(rules)}. "
        f"Violations: {violations}.**",
        "",
        "| screen (theme) | rules passed | violations |",
        "|---|---|---|",
    ]
    for name in sorted(RESULTS):
        res = RESULTS[name]
        lines.append(f"| {name} | {len(res['passes'])} | {len(res['violations'])} |")
    lines += ["", "Rules that applied somewhere: " + ", ".join(f"`{r}`" for r in rules) + "."]
    path.write_text("\n".join(lines) + "\n")
