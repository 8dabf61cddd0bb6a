/**
 * Wraps the Web API client's fetch to tell `onError(method, code)` of every call Slack did not answer with
 * `ok: true`: Slack's error code (`channel_not_found`, `ratelimited`…), `http_<status>` for an answer that is not
 * Slack's JSON, `network` when none came. Only Web API calls are looked at (the method is the URL's last segment);
 * the response itself passes unchanged.
 */
export function observeSlackApiErrors(apiBase: string, onError: (method: string, code: string) => void, base: typeof fetch = fetch): typeof fetch {
  const prefix = apiBase.endsWith('/') ? apiBase : `${apiBase}/`;
  const tell = (method: string, code: string) => {
    try {
      onError(method, code);
    } catch {
      // Counting is never the call's problem.
    }
  };
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = url.startsWith(prefix) ? (url.slice(prefix.length).split(/[?#]/)[0] ?? '') : undefined;
    if (method === undefined) return base(input, init);
    let response: Response;
    try {
      response = await base(input, init);
    } catch (error) {
      tell(method, 'network');
      throw error;
    }
    if (response.status === 429) tell(method, 'ratelimited');
    else if (response.status !== 200) tell(method, `http_${response.status}`);
    else {
      const body = (await response
        .clone()
        .json()
        .catch(() => undefined)) as { ok?: unknown; error?: unknown } | undefined;
      if (body?.ok !== true) tell(method, typeof body?.error === 'string' ? body.error : 'unreadable_answer');
    }
    return response;
  };
}
