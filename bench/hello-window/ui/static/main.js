import init from "./hello_window_ui.js";
init();
