"""At 200 % text size every screen keeps all of its content (WCAG 1.4.4): the app sizes its text in
rem, so the system's text size (the webview's default font size) scales it; here the page's root
size is doubled as that setting would. Nothing may spill sideways out of the window, and no text may
be cut off by its box, nor a field's placeholder by the field."""

from conftest import OUT, unique_email

# Elements whose text is wider or taller than their box while the box hides the rest, and the
# page's own sideways overflow.
CUT_OFF = """
const cut = [];
for (const el of document.querySelectorAll('body *')) {
  const style = getComputedStyle(el);
  const hides = (v) => v === 'hidden' || v === 'clip';
  if (!el.getClientRects().length || !el.textContent.trim()) continue;
  if ((hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1) ||
      (hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1)) {
    if (!el.classList.contains('sr-only')) cut.push(el.id || el.className || el.tagName);
  }
}
// A field's placeholder (its hint, often its only visible words) wider than the field: measured
// as laid-out text in the field's font (a canvas resolves `system-ui` to another font).
for (const el of document.querySelectorAll('input[placeholder]')) {
  if (!el.getClientRects().length || el.value) continue;
  const style = getComputedStyle(el);
  const ruler = document.createElement('span');
  ruler.textContent = el.placeholder;
  for (const p of ['fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'letterSpacing']) ruler.style[p] = style[p];
  Object.assign(ruler.style, { position: 'absolute', visibility: 'hidden', whiteSpace: 'pre' });
  document.body.appendChild(ruler);
  const wide = ruler.getBoundingClientRect().width;
  ruler.remove();
  // A search field keeps room for its clear button, empty or not (about 1em in WebKitGTK).
  const button = el.type === 'search' ? parseFloat(style.fontSize) : 0;
  const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - button;
  if (wide > room + 1) cut.push(`${el.id || el.name}'s placeholder`);
}
const page = document.documentElement;
if (page.scrollWidth > window.innerWidth + 1) cut.push(`the page: ${page.scrollWidth}px wide in ${window.innerWidth}px`);
return cut;
"""


def test_every_screen_at_200_percent_text(make_app):
    shots = OUT / "text-200"
    shots.mkdir(parents=True, exist_ok=True)
    app = make_app(AUTHDESK_THEME="light")
    app.el("#signin-title")
    app.driver.execute_script("document.documentElement.style.fontSize = '200%'")

    def check(name):
        app.screenshot(shots / f"{name}.png")
        cut = app.driver.execute_script(CUT_OFF)
        assert not cut, f"{name} at 200 % text: cut off or overflowing: {cut}"

    check("sign-in")
    app.click("#to-signup")
    app.type("#password", "short")
    check("sign-up")
    app.sign_up(unique_email("large-text"))
    app.el("#empty")
    check("dashboard-empty")
    for title in ["Renew passport", "Call the plumber about the leaking kitchen tap before the weekend"]:
        app.add_task(title)
    check("dashboard")
    app.click("#nav-settings")
    app.el("#about-version")
    check("settings")
    app.click("#nav-data")
    app.el("#data-title")
    check("your-data")
