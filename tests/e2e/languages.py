"""Finds text on the screen that is not in a message file: in the pseudo-locale every letter the
UI writes is accented, so a word of plain ASCII letters came from somewhere else. User data is
left out: what is marked `translate="no"` (HTML's own mark for names, titles, addresses, codes),
form values, and addresses, URLs and paths."""

import re

# Every visible text node and every accessible name or hint an attribute gives, outside content
# marked as not to be translated.
COLLECT = """
const out = [];
const skip = (el) => !el || el.closest('[translate="no"], script, style, code, kbd, pre, [hidden], [aria-hidden="true"]');
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const el = node.parentElement;
  if (!skip(el) && el.getClientRects().length && node.textContent.trim()) out.push(node.textContent);
}
for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], [alt], [aria-description]')) {
  if (skip(el)) continue;
  for (const a of ['aria-label', 'placeholder', 'title', 'alt', 'aria-description']) {
    if (el.hasAttribute(a)) out.push(el.getAttribute(a));
  }
}
out.push(document.title);
return out;
"""

DATA = re.compile(r"\S+@\S+|https?://\S+|(?:^|\s)/\S+|\b\w*[\d_]\w*\b")
WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def untranslated(driver, data=()):
    """The plain-English words on the screen, with the text they stand in (empty: none); `data`:
    what the story typed (task titles), which names and labels may quote."""
    found = []
    for text in driver.execute_script(COLLECT):
        for typed in data:
            text = text.replace(typed, " ")
        words = WORD.findall(DATA.sub(" ", text))
        if words:
            found.append(text.strip()[:80])
    return sorted(set(found))
