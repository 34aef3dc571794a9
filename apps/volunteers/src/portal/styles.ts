/**
 * The portal's stylesheet (GET /portal.css): served from the service, so the pages need no inline style (CSP
 * style-src 'self'). Colours meet WCAG AA contrast on white; errors carry a thick border and the word "Error" as well
 * as their colour; focus is always visible; the honeypot is display:none (neither seen nor read by screen readers).
 */
export const PORTAL_CSS = `*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:100%;line-height:1.5;color:#1b1b1b;background:#fff}
body{margin:0}
a{color:#1d4ed8;text-decoration:underline}
a:visited{color:#5b21b6}
a:focus,button:focus,input:focus,select:focus,textarea:focus,main:focus{outline:3px solid #b45309;outline-offset:2px}
main:focus{outline:none}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:.5rem 1rem}
.skip:focus{left:.5rem}
header.site{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem;padding:.75rem 1rem;border-bottom:4px solid #1d4ed8}
header.site .brand{margin:0;font-weight:700}
header.site .edition{font-weight:400;color:#374151}
.langs{list-style:none;margin:0;padding:0;display:flex;gap:1rem}
main{max-width:40rem;margin:0 auto;padding:1rem}
footer.site{max-width:40rem;margin:2rem auto;padding:1rem;border-top:1px solid #6b7280;color:#374151;font-size:.9rem}
h1{font-size:2rem;line-height:1.2;margin:1rem 0}
h2{font-size:1.4rem;margin:1.5rem 0 .5rem}
fieldset{border:0;margin:0 0 1.5rem;padding:0;min-width:0}
fieldset fieldset{margin-bottom:.75rem}
legend{font-weight:700;font-size:1.15rem;padding:0;margin-bottom:.25rem}
fieldset fieldset legend{font-size:1rem}
.field{margin-bottom:1.25rem}
label{display:block;font-weight:600;margin-bottom:.25rem}
.choice label{display:inline;font-weight:400;margin-left:.4rem}
.choice{margin:.4rem 0}
.choices.inline{display:flex;gap:1.5rem}
.req{font-weight:400;color:#374151}
.hint{color:#374151;margin:0 0 .4rem}
input[type=text],input[type=email],input[type=tel],input[type=date],select,textarea{display:block;width:100%;max-width:24rem;font:inherit;padding:.45rem;border:2px solid #1b1b1b;border-radius:0;background:#fff;color:#1b1b1b}
input[type=checkbox],input[type=radio]{width:1.25rem;height:1.25rem;vertical-align:middle}
.range{display:flex;flex-wrap:wrap;gap:1rem}
.range .field{flex:1 1 10rem;margin-bottom:.5rem}
button{font:inherit;font-weight:700;padding:.6rem 1.2rem;border:2px solid #14532d;background:#15803d;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1b1b1b;border-color:#1b1b1b}
.has-error{border-left:5px solid #b3261e;padding-left:.75rem}
.has-error input,.has-error select{border-color:#b3261e}
.error-message{color:#b3261e;font-weight:700;margin:0 0 .4rem}
.form-error{color:#b3261e;border-left:5px solid #b3261e;padding-left:.75rem}
.error-summary{border:5px solid #b3261e;padding:1rem;margin:1rem 0}
.error-summary h2{margin-top:0}
.error-summary a{color:#b3261e;font-weight:700}
.notice{border:5px solid #15803d;padding:.5rem 1rem;margin:1rem 0}
.warning{border-left:5px solid #b45309;padding-left:.75rem}
.status-link{font-size:1.1rem;word-break:break-all}
.offer{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
.offer dt{font-weight:700}
.offer dd{margin:0}
.actions{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.hp{display:none}
textarea{max-width:100%;min-height:5rem}
.data-actions{list-style:none;padding:0}
.data-actions li{margin:.5rem 0}
`;
