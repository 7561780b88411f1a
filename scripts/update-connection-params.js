// The "update connection parameters" cutover (read-heavy workloads): replicate, freeze writes on
// the source, repoint the applications with your own command, end replication, demote the source.
//
//   bin/cutover run scripts/update-connection-params.js \
//     --arg source=redis://10.0.0.5:6379 --arg target=valkeys://new-cache:6380 \
//     --arg repoint='kubectl set env deploy/app REDIS_URL=$CUTOVER_TARGET_URI' --yes
//
// Optional: --arg mode=native, --arg max=30s (longest write freeze), --arg lease=5s,
// --arg flushTarget=true, --arg demote=false (leave the old source frozen instead of demoting it).
// Any failure before the repoint unfreezes the source and exits non-zero.

for (const name of ['source', 'target', 'repoint']) {
  if (!args[name]) {
    print('missing --arg ' + name + '=...: see the comment at the top of this script');
    exit(2);
  }
}

let frozen = false;
const step = (title, fn) => {
  print('» ' + title);
  return fn();
};
const fail = (message, code) => {
  print('✗ ' + message);
  if (frozen) {
    unfreeze({yes: true});
    print('  writes on the source resumed (unfrozen); the target still replicates');
  }
  exit(code);
};

step('connect source and target', () => {
  connect('source', args.source);
  connect('target', args.target);
});

const report = step('check', () => check({flushTarget: args.flushTarget === 'true'}));
for (const item of report.items) {
  if (item.applies !== 'always' && item.applies !== report.mode) continue; // lines of other modes
  if (item.mark !== 'ok') print('  ' + (item.mark === 'fail' ? '✗ ' : '! ') + item.finding + (item.fix ? ': ' + item.fix : ''));
}
if (!report.passed) fail('check failed; nothing was changed', 3);

if (!confirm('Replicate, freeze writes on the source, run the repoint command and stop replication?')) {
  fail('not confirmed (run with --yes, or answer at a terminal); nothing was changed', 3);
}

step('replicate', () => replicate({mode: args.mode || 'auto', flushTarget: args.flushTarget === 'true', yes: true}));
step('wait until the target has caught up', () => waitLag({maxBytes: 0, timeout: args.catchup || '300s'}));

try {
  const freeze = step('freeze writes on the source', () =>
    freezeWrites({max: args.max || '60s', lease: args.lease || '5s', yes: true}));
  frozen = true;
  print('  frozen at offset ' + freeze.frozenOffset + (freeze.caughtUpMs === null ? '' : '; target caught up in ' + freeze.caughtUpMs + ' ms'));
  step('wait for lag 0 at the frozen offset', () => waitLag({maxBytes: 0, timeout: '10s'}));
  const moved = step('repoint: ' + args.repoint, () => repoint({via: 'exec', command: args.repoint, yes: true}));
  if (moved.output) print('  ' + moved.output.split('\n').join('\n  '));
} catch (e) {
  fail('cutover aborted before clients moved: ' + e.message, 1);
}

const summary = step('stop replication' + (args.demote === 'false' ? '' : ' and demote the old source'),
  () => stop({yes: true, demoteSource: args.demote !== 'false'}));
print('  ' + summary.sourceAfter);
if (isDryRun()) {
  print('✓ rehearsal done: every precondition held and nothing was changed');
  exit(0);
}
print('✓ done: the target is the primary; replication took ' + summary.syncingMs + ' ms to sync and streamed '
  + summary.bytesStreamed + ' bytes of changes');
