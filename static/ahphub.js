// ahphub.js: progressive enhancement. Every page works without it; with it, the NHS.UK
// frontend components (header menu, error summary focus, password reveal, copy buttons,
// scrollable tables) are initialised. Loaded as a module, so it runs after the document is
// parsed; no inline script is needed, which keeps the Content-Security-Policy strict.
import { initAll } from './nhsuk-frontend.min.js';

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');
initAll();

// "Print or save as PDF" buttons: the browser's own print dialog, which can also save a PDF.
// The button is hidden when printing (ahphub.css), and without JavaScript it does nothing, so
// it is shown only once this has run.
for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
