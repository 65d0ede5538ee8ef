import { html, type RawHtml, raw } from '../../util/html';

export interface LayoutOptions {
  title: string;
  tenantName: string;
  nonce: string;
  body: RawHtml;
  /** Extra HTML after the card (hidden iframes of the logout page). */
  after?: RawHtml;
  script?: string;
}

/**
 * The page frame of every emulator page: a calm, Microsoft-style card on a soft background, with the
 * tenant's name where Entra shows company branding. Inline CSS only (one nonce), no external assets.
 */
export function layout({ title, tenantName, nonce, body, after, script }: LayoutOptions): string {
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<style nonce="${nonce}">${raw(baseStyles)}</style>
</head>
<body>
<main class="page">
  <div class="card">
    <div class="brand" aria-hidden="true"><span class="mark">${tenantName.slice(0, 1)}</span><span class="brand-name">${tenantName}</span></div>
    ${body}
  </div>
  <p class="footnote">${tenantName} demo tenant · local Entra emulator, not Microsoft. Every demo user's password is <code>Passw0rd!</code></p>
</main>
${after}
${script ? html`<script nonce="${nonce}">${raw(script)}</script>` : ''}
</body>
</html>`}`;
}

export const baseStyles = `
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font-family:"Segoe UI","Segoe UI Web (West European)",system-ui,-apple-system,BlinkMacSystemFont,Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b1b1b;background:#eef1f5 linear-gradient(135deg,#e8eef7 0%,#f5f3ef 100%);font-size:15px;line-height:1.4}
.page{min-height:100%;display:flex;flex-direction:column;align-items:center;justify-content:center;padding:24px 12px}
.card{width:100%;max-width:440px;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2);min-height:338px}
.brand{display:flex;align-items:center;gap:10px;margin-bottom:16px}
.mark{display:inline-flex;align-items:center;justify-content:center;width:28px;height:28px;border-radius:4px;background:#0f6cbd;color:#fff;font-weight:600;font-size:15px}
.brand-name{font-size:15px;font-weight:600;color:#505050;letter-spacing:.2px}
h1{font-size:24px;font-weight:600;line-height:1.25;margin:0 0 4px}
.sub{margin:0 0 16px;color:#505050}
.identity{display:flex;align-items:center;gap:8px;margin:0 0 12px;color:#1b1b1b}
.field{margin:0 0 16px}
label{display:block;font-size:13px;color:#505050;margin:0 0 2px}
input[type=text],input[type=email],input[type=password]{width:100%;font:inherit;padding:6px 0;border:0;border-bottom:1px solid #666;border-radius:0;background:transparent;outline:none}
input[type=text]:focus,input[type=email]:focus,input[type=password]:focus{border-bottom:2px solid #0067b8;padding-bottom:5px}
input[aria-invalid=true]{border-bottom-color:#e81123}
.error{color:#e81123;margin:0 0 12px;font-size:14px}
.hint{font-size:13px;color:#505050;margin:0 0 16px}
.actions{display:flex;justify-content:flex-end;gap:8px;margin-top:32px}
button{font:inherit;min-width:108px;min-height:32px;padding:4px 12px;border:1px solid transparent;cursor:pointer}
.primary{background:#0067b8;color:#fff}
.primary:hover{background:#005da6}
.secondary{background:#cccccc;color:#000}
.secondary:hover{background:#b8b8b8}
button:focus-visible,a:focus-visible,.tile:focus-visible{outline:2px solid #000;outline-offset:2px}
a{color:#0067b8;text-decoration:none}
a:hover{text-decoration:underline;color:#666}
.tiles{list-style:none;margin:0 0 8px;padding:0}
.tile{display:flex;width:100%;align-items:center;gap:12px;text-align:left;background:#fff;border:0;padding:12px 8px;min-height:56px}
.tile:hover{background:#f2f2f2}
.avatar{display:inline-flex;align-items:center;justify-content:center;width:40px;height:40px;border-radius:50%;background:#e1dfdd;color:#323130;font-weight:600;flex:none}
.tile small{display:block;color:#505050}
.perms{margin:0 0 16px;padding-left:20px}
.perms li{margin:4px 0}
.footnote{max-width:440px;font-size:12px;color:#5a5a5a;text-align:center;margin:16px 0 0}
code{font-family:Consolas,Menlo,monospace;font-size:12px;background:#f3f2f1;padding:1px 4px;border-radius:2px}
.detail{font-size:12px;color:#505050;word-break:break-word;background:#f6f6f6;padding:8px;margin:12px 0 0}
`;
