// The "through a proxy" cutover (write-heavy workloads): applications talk to a cutover proxy;
// at the cutover the proxy holds writes, replication drains to lag 0, and the proxy moves every
// client connection to the target and releases the held writes there. Clients see a short pause,
// never an error or a reconnect.
//
//   bin/cutover run scripts/cutover-via-proxy.js \
//     --arg source=redis://10.0.0.5:6379 --arg target=valkeys://new-cache:6380 \
//     --arg proxy=unix:/run/cutover/proxy.sock --yes
//
// --arg proxy=… attaches to a running 'cutover proxy' (add --arg tokenEnv=VAR --arg fingerprint=HEX for a TCP control
// address); --arg listen=HOST:PORT instead starts a proxy inside this run (demos and tests: it
// stops when the run ends); with neither, the session's own proxy ('proxy start') is used. Optional: --arg mode=psync, --arg max=30s (longest write hold),
// --arg flushTarget=true, --arg clientPasswordEnv=VAR (--arg clientUser=…) for what the clients'
// AUTH becomes on the target, --arg keepRunning=NAME (when the proxy lives in this shell: after the
// cutover, wait until the key NAME exists on the target before leaving, so the proxy goes on serving).
// Any failure before the clients move releases the held writes to the source and exits non-zero.

for (const name of ['source', 'target']) {
  if (!args[name]) {
    print('missing --arg ' + name + '=...: see the comment at the top of this script');
    exit(2);
  }
}
if (args.proxy && args.listen) {
  print('give either --arg proxy=<control address> or --arg listen=HOST:PORT, not both');
  exit(2);
}

let held = false;
const step = (title, fn) => {
  print('» ' + title);
  return fn();
};
const fail = (message, code) => {
  print('✗ ' + message);
  if (held) {
    unfreeze({yes: true});
    print('  the held writes went to the source (released); the target still replicates');
  }
  exit(code);
};

step('connect source and target', () => {
  connect('source', args.source, {replace: true});
  connect('target', args.target, {replace: true});
});
if (args.proxy || args.listen) {
  step(args.proxy ? 'attach to the proxy at ' + args.proxy : 'start a proxy on ' + args.listen, () => {
    print('  ' + (args.proxy ? connect('proxy', args.proxy, {tokenEnv: args.tokenEnv, fingerprint: args.fingerprint}) : proxy.start({listen: args.listen})));
  });
} else {
  try {
    proxy.status();
  } catch (e) {
    print('no proxy: give --arg proxy=<control address> or --arg listen=HOST:PORT (see the top of this script)');
    exit(2);
  }
}

const report = step('check', () => check({flushTarget: args.flushTarget === 'true'}));
for (const item of report.items) {
  if (item.applies !== 'always' && item.applies !== report.mode) continue; // lines of other modes
  if (item.mark !== 'ok') print('  ' + (item.mark === 'fail' ? '✗ ' : '! ') + item.finding + (item.fix ? ': ' + item.fix : ''));
}
if (!report.passed) fail('check failed; nothing was changed', 3);
if (!confirm('Replicate, hold writes in the proxy, move its clients to the target and stop replication?')) {
  fail('not confirmed (run with --yes, or answer at a terminal); nothing was changed', 3);
}

step('replicate', () => replicate({mode: args.mode || 'auto', flushTarget: args.flushTarget === 'true', yes: true}));
step('wait until the target has caught up', () => waitLag({maxBytes: 0, timeout: args.catchup || '300s'}));

let moved;
try {
  const hold = step('hold writes in the proxy', () =>
    freezeWrites({via: 'proxy', max: args.max || '30s', catchupTimeout: args.catchup || '10s', yes: true}));
  held = true;
  print('  source frozen at offset ' + hold.frozenOffset + (hold.caughtUpMs === null ? '' : '; target caught up in '
    + hold.caughtUpMs + ' ms'));
  if (report.mode === 'scan') {
    const v = step('verify (scan mode has no offsets)', () => verify({full: true}));
    if (!v.equal) fail('verify found differences; nothing was moved', 1);
  } else {
    step('wait for lag 0 at the frozen offset', () => waitLag({maxBytes: 0, timeout: '10s'}));
  }
  moved = step('move the proxy\'s clients to the target', () => repoint({via: 'proxy', yes: true,
    clientPasswordEnv: args.clientPasswordEnv, clientUser: args.clientUser}));
  held = false;
  print('  ' + moved.summary);
} catch (e) {
  fail('cutover aborted before clients moved: ' + e.message, 1);
}

const summary = step('stop replication and demote the old source', () => stop({yes: true, demoteSource: true}));
print('  ' + summary.sourceAfter);
if (isDryRun()) {
  print('✓ rehearsal done: every precondition held and nothing was changed');
  exit(0);
}
print('✓ done: clients write to the target through the proxy; replication took ' + summary.syncingMs
  + ' ms to sync and streamed ' + summary.bytesStreamed + ' bytes of changes');
if (!args.proxy && args.keepRunning) {
  print('  the proxy in this run keeps serving until ' + args.keepRunning + ' exists on the target');
  while (!target.call('EXISTS', args.keepRunning)) sleep('100ms');
}
