/**
 * The total of every sample of `name` (all label sets) in a Prometheus text page; 0 when absent.
 * The worker labels its send histogram by template, and the bench only sends one.
 */
export async function scrapeTotal(metricsUrl: string, name: string): Promise<number> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`GET ${metricsUrl} answered ${response.status}`);
  let total = 0;
  for (const line of (await response.text()).split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const value = Number(line.trim().split(/\s+/).pop());
    if (Number.isFinite(value)) total += value;
  }
  return total;
}

/** The running sum and count of the worker's SMTP send histogram (first attempt to accepted). */
export async function smtpSendSeconds(metricsUrl: string): Promise<{ sum: number; count: number }> {
  return {
    sum: await scrapeTotal(metricsUrl, 'email_send_duration_seconds_sum'),
    count: await scrapeTotal(metricsUrl, 'email_send_duration_seconds_count'),
  };
}
