// bench/serve/oidc-provider.mjs — node-oidc-provider as the reference registration server for
// bench/serve.sh. Run from a directory holding its node_modules (bench/serve.sh installs the
// pinned package-lock.json into $BENCH_OUT/node-oidc with `npm ci`):
//
//     node oidc-provider.mjs PORT INITIAL_ACCESS_TOKEN
//
// Binds 127.0.0.1:PORT only; issuer http://127.0.0.1:PORT; RFC 7591 registration at /reg
// (needs `Authorization: Bearer INITIAL_ACCESS_TOKEN`) and RFC 7592 management at /reg/{id}.
// The default in-memory adapter is used (an LRU holding at most 1,000 entries: nothing is
// durable, unlike dcrctl's fsync'd SQLite commits). Prints `listening on 127.0.0.1:PORT` on
// stderr once the socket is bound.
import Provider from 'oidc-provider';

const [port, initialAccessToken] = process.argv.slice(2);
if (!port || !initialAccessToken) {
  console.error('usage: node oidc-provider.mjs PORT INITIAL_ACCESS_TOKEN');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  features: {
    devInteractions: { enabled: false },
    registration: { enabled: true, initialAccessToken },
    registrationManagement: { enabled: true },
  },
});
const server = provider.listen(Number(port), '127.0.0.1', () => {
  const { address, port: bound } = server.address();
  console.error(`listening on ${address}:${bound}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
