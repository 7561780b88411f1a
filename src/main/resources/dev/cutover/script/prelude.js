// The globals a cutover script sees. Each calls one method of the host API object, which
// calls the same session primitive as the shell command of the same name.
(function (api) {
  'use strict';
  const g = globalThis;
  const endpoint = (role) => Object.freeze({
    call: (...words) => api.call(role, words.map(String)),
    info: (section) => api.info(role, section === undefined ? '' : String(section)),
    get connected() { return api.connected(role); },
    toString: () => '[' + role + ' endpoint]',
  });
  const show = (v) => {
    if (typeof v === 'string') return v;
    if (v === undefined) return 'undefined';
    if (v !== null && typeof v === 'object') {
      try { return JSON.stringify(v, null, 2); } catch (e) { return String(v); }
    }
    return String(v);
  };
  g.connect = (role, uri, options) => api.connect(String(role), String(uri), options === undefined ? null : options);
  g.disconnect = (role) => { api.disconnect(String(role)); };
  g.status = () => api.status();
  g.check = (options) => api.check(options === undefined ? null : options);
  g.replicate = (options) => api.replicate(options === undefined ? null : options);
  g.lag = () => api.lag();
  g.freezeWrites = (options) => api.freezeWrites(options === undefined ? null : options);
  g.unfreeze = (options) => api.unfreeze(options === undefined ? null : options);
  g.repoint = (options) => api.repoint(options === undefined ? null : options);
  g.proxy = Object.freeze({
    start: (options) => api.proxyStart(options === undefined ? null : options),
    status: () => api.proxyStatus(),
    stop: () => api.proxyStop(),
  });
  g.confirm = (question) => api.confirm(String(question));
  g.isDryRun = () => api.isDryRun();
  g.rollback = () => api.rollback();
  g.cmd = (line) => { api.cmd(String(line)); };
  g.verify = (options) => api.verify(options === undefined ? null : options);
  g.waitLag = (options) => api.waitLag(options === undefined ? null : options);
  g.stop = (options) => api.stop(options === undefined ? null : options);
  g.print = (...values) => { api.print(values.map(show).join(' ')); };
  g.sleep = (duration) => { api.sleep(duration); };
  g.exit = (code) => api.exit(code === undefined ? 0 : code | 0);
  g.waitFor = (fn, options) => {
    const o = options || {};
    const timeout = api.millis(o.timeout === undefined ? '30s' : o.timeout);
    const every = api.millis(o.every === undefined ? '250ms' : o.every);
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = fn();
      if (value) return value;
      if (Date.now() >= deadline) {
        api.timedOut(o.message || ('waitFor: condition still false after ' + timeout + ' ms'));
      }
      api.sleep(every);
    }
  };
  g.source = endpoint('source');
  g.target = endpoint('target');
  g.args = Object.freeze({});
  Object.defineProperty(g, '__show', { value: show, enumerable: false });
})
