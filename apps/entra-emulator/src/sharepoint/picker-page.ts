import { baseStyles } from '../identity/sign-in/layout';
import { html, raw } from '../util/html';
import { PICKER_APP_JS } from './picker-app';
import { PICKER_MESSENGER_JS } from './picker-messenger';
import type { PickerEntry, PickerOptions } from './picker-options';

export interface PickerPageInput {
  nonce: string;
  lang: string;
  /** The SharePoint origin: `/_api/v2.0` is under it. */
  origin: string;
  options: PickerOptions;
  entry: PickerEntry;
  userName: string;
  /** Given only when the host handles no authentication: the page then reads with the posted token. */
  formToken: string | undefined;
}

/** The File Picker page: a skeleton the script fills (see picker-app.ts), its options in a JSON block. */
export function pickerPage(input: PickerPageInput): string {
  const { nonce, options } = input;
  const config = JSON.stringify({
    origin: input.origin,
    lang: input.lang,
    options,
    entry: input.entry,
    formToken: input.formToken ?? null,
  }).replace(/</g, '\\u003c');
  return `<!doctype html>${html`<html lang="${input.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title}</title>
<style nonce="${nonce}">${raw(baseStyles)}${raw(pickerStyles)}</style>
</head>
<body>
<div class="picker">
  <header class="top">
    <span class="mark" aria-hidden="true">S</span>
    <h1 id="title">${options.title}</h1>
    <span class="who">${input.userName}</span>
  </header>
  <div class="layout">
    <nav class="side" aria-label="Locations"><ul id="nav"></ul></nav>
    <main class="main">
      <div id="error" class="banner" role="alert" hidden></div>
      ${
        options.search
          ? html`<form id="search" role="search" class="search"><label for="q" class="sr-only">Search in this location</label><input id="q" type="search" placeholder="Search" autocomplete="off"><button type="submit" class="secondary">Search</button></form>`
          : html`<form id="search" hidden><input id="q" type="hidden"></form>`
      }
      <nav aria-label="Breadcrumb"><ol id="crumbs" class="crumbs"></ol></nav>
      <h2 id="heading" tabindex="-1">Loading…</h2>
      <table class="items">
        <caption class="sr-only">Files and folders</caption>
        <thead><tr><th scope="col"><span class="sr-only">Selected</span></th><th scope="col">Name</th><th scope="col">Modified</th><th scope="col">Size</th></tr></thead>
        <tbody id="rows"></tbody>
      </table>
      <p id="empty" class="empty" hidden></p>
    </main>
  </div>
  <footer class="tray">
    <p id="status" class="status" role="status"></p>
    <button id="pick" type="button" class="primary" disabled>${options.pickLabel}</button>
    <button id="cancel" type="button" class="secondary">${options.closeLabel}</button>
  </footer>
</div>
<script type="application/json" id="picker-config">${raw(config)}</script>
<script nonce="${nonce}">${raw(PICKER_MESSENGER_JS)}${raw(PICKER_APP_JS)}</script>
</body>
</html>`}`;
}

/** SharePoint's error page: what the real picker shows for a missing or unusable token. */
export function pickerErrorPage(input: {
  nonce: string;
  title: string;
  message: string;
  detail?: string;
}): string {
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title}</title>
<style nonce="${input.nonce}">${raw(baseStyles)}${raw(pickerStyles)}</style>
</head>
<body>
<main class="page">
  <div class="card">
    <div class="brand" aria-hidden="true"><span class="mark">S</span><span class="brand-name">SharePoint</span></div>
    <h1>${input.title}</h1>
    <p role="alert" class="error">${input.message}</p>
    ${input.detail ? html`<p class="detail">${input.detail}</p>` : ''}
  </div>
  <p class="footnote">Emulated SharePoint · local Entra emulator, not Microsoft.</p>
</main>
</body>
</html>`}`;
}

const pickerStyles = `
body{background:#fff}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.picker{display:flex;flex-direction:column;height:100vh}
.top{display:flex;align-items:center;gap:12px;padding:10px 20px;border-bottom:1px solid #e1dfdd}
.top h1{font-size:18px;margin:0;flex:1}
.top .mark{background:#038387}
.who{font-size:13px;color:#505050}
.layout{display:flex;flex:1;min-height:0}
.side{width:220px;flex:none;border-right:1px solid #e1dfdd;padding:12px 8px;overflow:auto;background:#faf9f8}
.side ul{list-style:none;margin:0;padding:0}
.nav-item{display:block;width:100%;text-align:left;background:transparent;border:0;padding:8px 12px;min-height:36px;border-radius:4px;color:#1b1b1b}
.nav-item:hover{background:#edebe9}
.nav-item[aria-current]{background:#e1dfdd;font-weight:600}
.main{flex:1;overflow:auto;padding:12px 20px}
.search{display:flex;gap:8px;margin:0 0 8px}
.search input{flex:1;font:inherit;padding:5px 8px;border:1px solid #8a8886;border-radius:2px}
.search input:focus{outline:2px solid #0f6cbd;outline-offset:-1px}
.crumbs{list-style:none;display:flex;flex-wrap:wrap;gap:4px;margin:4px 0;padding:0;font-size:14px}
.crumbs li+li:before{content:"›";margin:0 6px;color:#605e5c}
.main h2{font-size:20px;margin:4px 0 8px}
.items{width:100%;border-collapse:collapse;font-size:14px}
.items th{text-align:left;font-weight:600;color:#505050;border-bottom:1px solid #e1dfdd;padding:6px 8px}
.items td{padding:6px 8px;border-bottom:1px solid #f3f2f1}
.items tr.selected td{background:#deecf9}
.items .select{width:32px}
.items .size{color:#505050;white-space:nowrap}
.name{display:flex;align-items:center;gap:8px}
.icon{display:inline-block;width:16px;height:18px;border-radius:2px;background:#8a8886;flex:none}
.icon.folder{background:#ffb900}.icon.word{background:#185abd}.icon.excel{background:#107c41}.icon.powerpoint{background:#c43e1c}.icon.pdf{background:#d13438}.icon.image{background:#8764b8}.icon.video{background:#0078d4}
.link{background:transparent;border:0;padding:0;min-width:0;min-height:0;color:#0f6cbd;text-align:left;font:inherit;cursor:pointer}
.link:hover{text-decoration:underline}
.banner{background:#fde7e9;color:#a4262c;border:1px solid #f1bbbc;padding:8px 12px;margin:0 0 8px}
.empty{color:#505050}
.tray{display:flex;align-items:center;gap:8px;padding:12px 20px;border-top:1px solid #e1dfdd}
.status{flex:1;margin:0;font-size:14px;color:#505050}
button:disabled{opacity:.5;cursor:not-allowed}
@media (max-width:600px){.side{display:none}}
`;
