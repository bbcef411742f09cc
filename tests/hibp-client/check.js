// Runs the independent `hibp` npm client against a Pwned Passwords range API at BASE_URL and prints one JSON line.
// Used by Mamori.Breach.Tests (HibpClientTests); install with `npm ci --prefix tests/hibp-client`.
//   node check.js BASE_URL password PASSWORD          -> {"count":N}  (pwnedPassword, SHA-1, with Add-Padding)
//   node check.js BASE_URL range PREFIX SUFFIX [MODE] -> {"count":N}  (pwnedPasswordRange, sha1|ntlm, with Add-Padding)
// Errors the client raises are printed as {"error":"..."} with exit code 2.
import { pwnedPassword, pwnedPasswordRange } from 'hibp';

const [baseUrl, command, a, b, mode = 'sha1'] = process.argv.slice(2);
const options = { baseUrl, addPadding: true, timeoutMs: 10000, userAgent: 'mamori-hibp-client-check' };
try {
  let count;
  if (command === 'password') {
    count = await pwnedPassword(a, options);
  } else if (command === 'range') {
    const range = await pwnedPasswordRange(a, { ...options, mode });
    count = range[b] || 0;
  } else {
    throw new Error(`unknown command ${command}`);
  }
  console.log(JSON.stringify({ count }));
} catch (err) {
  console.log(JSON.stringify({ error: String(err && err.message ? err.message : err) }));
  process.exit(2);
}
