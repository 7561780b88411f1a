// Roll a finished cutover back: the clients return to the old source, with nothing lost.
// Works where the pair has a native way back, after 'stop --demote-source' left the old source
// replicating the new primary (check says before the cutover whether the pair has one).
//
//   bin/cutover run scripts/rollback.js --arg source=redis://old-host:6379 \
//     --arg target=redis://new-host:6379 --arg repoint='your-tool set REDIS_URL=$CUTOVER_TARGET_URI' --yes
//
// source and target are named as in the cutover; inside the script they swap.

for (const name of ['source', 'target', 'repoint']) {
  if (!args[name]) {
    print('missing --arg ' + name + '=...: see the comment at the top of this script');
    exit(2);
  }
}
const step = (title, fn) => {
  print('» ' + title);
  return fn();
};

step('connect the old source and the new primary', () => {
  connect('source', args.source);
  connect('target', args.target);
});
if (!confirm('Roll back: freeze writes on the new primary and send the clients back to the old source?')) {
  print('✗ not confirmed (run with --yes, or answer at a terminal); nothing was changed');
  exit(3);
}
const roles = step('rollback: the new primary becomes the source', () => rollback());
print('  source ' + roles.newSource + ', target ' + roles.newTarget);
step('wait until the old source has caught up', () => waitLag({maxBytes: 0, timeout: args.catchup || '300s'}));
let frozen = false;
try {
  step('freeze writes on the new primary', () => freezeWrites({max: args.max || '60s', lease: args.lease || '5s', yes: true}));
  frozen = true;
  step('wait for lag 0 at the frozen offset', () => waitLag({maxBytes: 0, timeout: '10s'}));
  step('repoint back: ' + args.repoint, () => repoint({via: 'exec', command: args.repoint, yes: true}));
} catch (e) {
  print('✗ rollback aborted before clients moved: ' + e.message);
  if (frozen) {
    unfreeze({yes: true});
    print('  writes on the new primary resumed');
  }
  exit(1);
}
const summary = step('stop replication and demote the new primary', () => stop({yes: true, demoteSource: true}));
print('  ' + summary.sourceAfter);
print(isDryRun() ? '✓ rehearsal done: nothing was changed' : '✓ rolled back: the old source is the primary again');
