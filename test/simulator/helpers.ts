import type { RunningSimulator } from '../../src/simulator';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body, undefined when empty or not JSON. */
  readonly body: unknown;
}

export async function call(
  simulator: RunningSimulator,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<ApiResponse> {
  const init: RequestInit = { method, headers: { ...(options.headers ?? {}) } };
  if (options.rawBody !== undefined) init.body = options.rawBody;
  else if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const response = await fetch(`${simulator.baseUrl}${path}`, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

export async function login(simulator: RunningSimulator, tokenTimeoutSeconds?: number): Promise<Record<string, string>> {
  const response = await call(simulator, 'POST', '/v1/auth', {
    body: { authKeyId: simulator.authKeyId, authKey: simulator.authKey, ...(tokenTimeoutSeconds === undefined ? {} : { tokenTimeoutSeconds }) },
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${response.text}`);
  const { apiKey, token } = response.body as { apiKey: string; token: string };
  return { 'x-soracom-api-key': apiKey, 'x-soracom-token': token };
}

/** An authenticated caller of one simulator. */
export async function client(simulator: RunningSimulator) {
  const headers = await login(simulator);
  return (method: string, path: string, body?: unknown) => call(simulator, method, path, { headers, body });
}

export const T0 = Date.UTC(2026, 0, 15, 1, 0, 0);
