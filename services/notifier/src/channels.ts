export interface WebhookResponse {
  readonly status: number;
}

/** Posts a signed body to a tenant endpoint. */
export interface WebhookPoster {
  post(url: string, headers: Record<string, string>, body: string): Promise<WebhookResponse>;
}

export const fetchPoster = (timeoutMs = 10_000): WebhookPoster => ({
  async post(url, headers, body) {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    await res.arrayBuffer().catch(() => undefined);
    return { status: res.status };
  },
});

export interface EmailMessage {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

/** Sends customer e-mail directly (optional; off unless the stack and the tenant enable it). */
export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}
