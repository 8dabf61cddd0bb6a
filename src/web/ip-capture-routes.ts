import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Lang } from '../domain/i18n/message-ref';
import { isGlobalAddress, normaliseIp } from '../domain/net';
import type { Clock } from '../common/clock';
import { readLimitedBody } from '../common/read-body';
import type { IpCapture, IpCaptureError, Store } from '../use-cases/ports/store';
import { clientAddress, parseTrustedProxies } from './client-address';
import { type PageKey, pageText } from './page-messages';
import type { ConfirmedAddress } from '../use-cases/confirm-ip';

/**
 * The one-time page behind `PUBLIC_URL/napter/ip/<token>` (`/napter open … from me`). GET only shows: Slack's link
 * unfurler and browser prefetchers open links too, so only the POST of the Confirm form consumes the token.
 * The token is the only credential: it travels in the path, so nothing on the page may leak it (no external
 * assets, `Referrer-Policy: no-referrer`), and the responses are never cached.
 */
export const IP_CAPTURE_ROUTE_PATH = '/napter/ip/:token';

export type LocalizedText = string | { readonly en: string; readonly ja: string };

export type IpConfirmOutcome = { readonly ok: true; readonly message: LocalizedText } | { readonly ok: false; readonly message: LocalizedText };

export interface IpCaptureRoutesDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** IPs or CIDRs of our own reverse proxies; `X-Forwarded-For` counts only from them. */
  readonly trustedProxies: readonly string[];
  /** Asked by the browser when the server sees a non-global address; answers JSON `{ "ip": … }` or plain text. */
  readonly ipEchoUrl?: string | undefined;
  /** Creates the mapping and updates the Slack message; called at most once per token. */
  readonly onConfirm: (capture: IpCapture, address: ConfirmedAddress) => Promise<IpConfirmOutcome>;
  readonly logger?: { warn(...args: unknown[]): void; error(...args: unknown[]): void };
}

/** What Bolt's receivers pass: the request with the `:token` path parameter in `params`. */
export type RouteRequest = IncomingMessage & { params?: Readonly<Record<string, string | string[]>> };

/** A Confirm form is a few dozen bytes; anything much larger is not ours. */
const MAX_FORM_BYTES = 4096;
const BODY_TIMEOUT_MS = 10_000;

export function ipCaptureUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/napter/ip/${encodeURIComponent(token)}`;
}

export function createIpCaptureRoutes(deps: IpCaptureRoutesDeps): CustomRoute[] {
  // Fail at start, naming the bad entry, rather than on the first request.
  parseTrustedProxies(deps.trustedProxies);
  const echoUrl = deps.ipEchoUrl === undefined ? undefined : parseEchoUrl(deps.ipEchoUrl);

  const guard =
    (handle: (req: RouteRequest, res: ServerResponse) => Promise<void>) =>
    (req: RouteRequest, res: ServerResponse): void => {
      handle(req, res).catch((error: unknown) => {
        deps.logger?.error('IP capture page failed', error);
        if (!res.headersSent) sendPage(res, 500, bilingualPage('ipPage.error.title', 'ipPage.error'));
        else res.end();
      });
    };

  const showPage = async (req: RouteRequest, res: ServerResponse) => {
    const lookup = await deps.store.ipCaptures.peek(tokenOf(req));
    if ('error' in lookup) {
      sendLookupError(res, lookup);
      return;
    }
    const seenIp = clientAddress(req, deps.trustedProxies);
    sendPage(res, 200, confirmPage(lookup.lang, seenIp, isGlobalAddress(seenIp), echoUrl));
  };

  const confirm = async (req: RouteRequest, res: ServerResponse) => {
    const token = tokenOf(req);
    const form = await readForm(req);
    if (form === 'too-large' || form === 'wrong-type') {
      sendPage(res, form === 'too-large' ? 413 : 415, bilingualPage('ipPage.bad-request.title', 'ipPage.bad-request'));
      return;
    }
    const pending = await deps.store.ipCaptures.peek(token);
    if ('error' in pending) {
      sendLookupError(res, pending);
      return;
    }

    const seenIp = clientAddress(req, deps.trustedProxies);
    const postedText = (form.get('ip') ?? '').trim().slice(0, 64);
    const postedIp = normaliseIp(postedText);
    // The server-seen address wins whenever it is usable: the echoed one is only what the browser claims.
    const address: ConfirmedAddress | undefined = isGlobalAddress(seenIp)
      ? { ip: seenIp, proof: 'seen' }
      : postedIp !== undefined && isGlobalAddress(postedIp)
        ? { ip: postedIp, proof: 'claimed' }
        : undefined;
    if (address === undefined) {
      // The token is left unused: the user can go back and enter the right address.
      deps.logger?.warn('IP capture refused a non-global address', { captureId: pending.id, seenIp, posted: postedText });
      const body = postedText === '' ? pageText(pending.lang, 'ipPage.refused-empty') : pageText(pending.lang, 'ipPage.refused', { ip: postedText });
      sendPage(res, 400, page(pending.lang, pageText(pending.lang, 'ipPage.refused.title'), paragraph(body)));
      return;
    }

    const consumed = await deps.store.ipCaptures.consume(token);
    if ('error' in consumed) {
      sendLookupError(res, consumed);
      return;
    }
    let outcome: IpConfirmOutcome;
    try {
      outcome = await deps.onConfirm(consumed, address);
    } catch (error) {
      deps.logger?.error('IP capture confirm failed', { captureId: consumed.id }, error);
      sendPage(res, 500, page(consumed.lang, pageText(consumed.lang, 'ipPage.error.title'), paragraph(pageText(consumed.lang, 'ipPage.error'))));
      return;
    }
    const lang = consumed.lang;
    const title = pageText(lang, outcome.ok ? 'ipPage.done.title' : 'ipPage.failed.title');
    const text = typeof outcome.message === 'string' ? outcome.message : outcome.message[lang];
    sendPage(res, outcome.ok ? 200 : 422, page(lang, title, paragraph(text) + paragraph(pageText(lang, 'ipPage.back-to-slack'))));
  };

  return [
    { path: IP_CAPTURE_ROUTE_PATH, method: ['GET'], handler: guard(showPage) },
    { path: IP_CAPTURE_ROUTE_PATH, method: ['POST'], handler: guard(confirm) },
    // Answered here rather than left to the receiver, whose "unhandled request" path would be a log line
    // with the token in it; a HEAD from a link checker must not look like a page view either.
    { path: IP_CAPTURE_ROUTE_PATH, method: OTHER_METHODS, handler: refuseMethod },
  ];
}

const OTHER_METHODS = ['HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

function refuseMethod(req: RouteRequest, res: ServerResponse): void {
  req.resume();
  res.writeHead(405, { Allow: 'GET, POST', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'Content-Length': '0' });
  res.end();
}

function tokenOf(req: RouteRequest): string {
  const fromParams = req.params?.token;
  if (typeof fromParams === 'string') return fromParams;
  const path = (req.url ?? '').split('?')[0] ?? '';
  const last = path.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return '';
  }
}

function parseEchoUrl(text: string): URL {
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RangeError(`IP_ECHO_URL must be an http(s) URL, for example https://api.ipify.org?format=json (got ${text})`);
  }
  return url;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | 'too-large' | 'wrong-type'> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    req.resume();
    return 'wrong-type';
  }
  const body = await readLimitedBody(req, { maxBytes: MAX_FORM_BYTES, timeoutMs: BODY_TIMEOUT_MS });
  return body === 'too-large' ? body : new URLSearchParams(body.toString('utf8'));
}

function sendLookupError(res: ServerResponse, lookup: IpCaptureError): void {
  const status = lookup.error === 'unknown' ? 404 : 410;
  sendPage(res, status, bilingualPage(`ipPage.${lookup.error}.title`, `ipPage.${lookup.error}`));
}

interface RenderedPage {
  readonly html: string;
  readonly connectSrc?: string | undefined;
}

function sendPage(res: ServerResponse, status: number, rendered: (nonce: string) => RenderedPage): void {
  const nonce = randomBytes(16).toString('base64');
  const { html, connectSrc } = rendered(nonce);
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': [
      "default-src 'none'",
      `style-src 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      `connect-src ${connectSrc ?? "'none'"}`,
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  });
  res.end(html);
}

const STYLE =
  'body{font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans",Meiryo,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1d1c1d}' +
  'h1{font-size:1.4rem}.ip{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.6rem;font-weight:bold}' +
  'input[type=text]{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.2rem;width:100%;padding:.4rem;box-sizing:border-box}' +
  'button{font-size:1.1rem;padding:.6rem 1.2rem;margin-top:1rem;background:#007a5a;color:#fff;border:0;border-radius:4px;cursor:pointer}' +
  'button[disabled]{background:#8a8a8a}.note{color:#616061;font-size:.9rem}hr{margin:2rem 0;border:0;border-top:1px solid #ddd}';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (char) => `&#${char.charCodeAt(0)};`);
}

const paragraph = (text: string): string => `<p>${escapeHtml(text)}</p>`;

function page(lang: Lang | 'en ja', title: string, body: string, extra?: { script: string; connectSrc: string }) {
  return (nonce: string): RenderedPage => ({
    html:
      `<!doctype html><html lang="${lang === 'ja' ? 'ja' : 'en'}"><head><meta charset="utf-8">` +
      '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow">' +
      `<title>${escapeHtml(title)}</title><style nonce="${nonce}">${STYLE}</style></head>` +
      `<body><h1>${escapeHtml(title)}</h1>${body}` +
      (extra === undefined ? '' : `<script nonce="${nonce}">${extra.script}</script>`) +
      '</body></html>',
    connectSrc: extra?.connectSrc,
  });
}

/** For a token that is unknown, the language is unknown too: both, Japanese first for SORACOM's home market. */
function bilingualPage(titleKey: PageKey, bodyKey: PageKey) {
  return page(
    'en ja',
    `${pageText('ja', titleKey)} / ${pageText('en', titleKey)}`,
    `<div lang="ja">${paragraph(pageText('ja', bodyKey))}</div><hr><div lang="en">${paragraph(pageText('en', bodyKey))}</div>`,
  );
}

/**
 * Reads the echo service's answer (JSON `ip`/`address`/`origin`, or the bare address as text), puts it in
 * the form and enables Confirm. The server checks the value again: the script is a convenience, not a guard.
 */
const ECHO_SCRIPT = `(function(){
var box=document.getElementById('napter-echo');var input=document.getElementById('napter-ip');
var button=document.getElementById('napter-confirm');var status=document.getElementById('napter-status');
input.setAttribute('readonly','');button.setAttribute('disabled','');
function done(ip){if(ip){input.value=ip;status.textContent='';}else{status.textContent=box.getAttribute('data-failed');}
input.removeAttribute('readonly');button.removeAttribute('disabled');}
fetch(box.getAttribute('data-echo-url'),{cache:'no-store',credentials:'omit',referrerPolicy:'no-referrer'})
.then(function(r){if(!r.ok)throw new Error('HTTP '+r.status);return r.text();})
.then(function(text){var ip='';try{var j=JSON.parse(text);ip=typeof j==='string'?j:(j.ip||j.address||j.origin||'');}catch(e){ip=text;}
ip=String(ip).trim();done(/^[0-9a-fA-F:.]{2,45}$/.test(ip)?ip:'');})
.catch(function(){done('');});
})();`;

function confirmPage(lang: Lang, seenIp: string, seenIsGlobal: boolean, echoUrl: URL | undefined) {
  const tr = (key: PageKey, params?: Record<string, string>) => pageText(lang, key, params);
  const footer = `<p class="note">${escapeHtml(tr('ipPage.expires'))}</p>`;
  if (seenIsGlobal) {
    return page(
      lang,
      tr('ipPage.title'),
      paragraph(tr('ipPage.intro')) +
        `<p>${escapeHtml(tr('ipPage.seen-label'))}</p><p class="ip" id="napter-seen-ip">${escapeHtml(seenIp)}</p>` +
        `<form method="post"><button type="submit" id="napter-confirm">${escapeHtml(tr('ipPage.confirm'))}</button></form>` +
        footer,
    );
  }
  // Editable and enabled in the HTML itself, so the page still works where the script cannot run.
  const input = () =>
    `<form method="post"><label for="napter-ip">${escapeHtml(tr('ipPage.echo-label'))}</label>` +
    `<input type="text" name="ip" id="napter-ip" maxlength="45" autocomplete="off" spellcheck="false" inputmode="text" required>` +
    `<button type="submit" id="napter-confirm">${escapeHtml(tr('ipPage.confirm'))}</button></form>`;
  if (echoUrl === undefined) {
    return page(lang, tr('ipPage.title'), paragraph(tr('ipPage.intro')) + paragraph(tr('ipPage.seen-private-no-echo', { seenIp })) + input() + footer);
  }
  const echoHost = echoUrl.host;
  return page(
    lang,
    tr('ipPage.title'),
    paragraph(tr('ipPage.intro')) +
      paragraph(tr('ipPage.seen-private', { seenIp, echoHost })) +
      `<div id="napter-echo" data-echo-url="${escapeHtml(echoUrl.href)}" data-failed="${escapeHtml(tr('ipPage.echo-failed', { echoHost }))}">` +
      `<p id="napter-status" class="note" role="status">${escapeHtml(tr('ipPage.echo-pending'))}</p></div>` +
      `<noscript><p>${escapeHtml(tr('ipPage.echo-failed', { echoHost }))}</p></noscript>` +
      input() +
      footer,
    { script: ECHO_SCRIPT, connectSrc: echoUrl.origin },
  );
}
