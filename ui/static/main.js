// Loads the Dioxus UI. Kept out of index.html so the CSP needs no inline script.
import init from "./authdesk_ui.js";
init();
