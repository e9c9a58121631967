/**
 * Whether a URL points at this machine (127.0.0.0/8, ::1, localhost): such servers (Ollama,
 * llama.cpp, LM Studio) need no API key, and nothing sent to them leaves the machine.
 */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]' || host === '::1') return true;
  return /^127(?:\.\d{1,3}){3}$/.test(host);
}
